using Panorama.Cli;

return await Commands.RunAsync(args);
