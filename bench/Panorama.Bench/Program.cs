using Panorama.Bench;

return args.FirstOrDefault() switch
{
    "ingest" => await IngestLoadRun.RunAsync(args.Skip(1).ToArray()),
    "append" => await AppendRun.RunAsync(),
    "store-load" => await StoreLoadRun.RunAsync(args.Skip(1).ToArray()),
    "enrich" => EnrichRun.Run(),
    "spool-read" => SpoolReadRun.Run(args.Skip(1).ToArray()),
    "queries" => await QueryRun.RunAsync(args.Skip(1).ToArray()),
    "clickhouse-queries" => await ClickHouseQueryRun.RunAsync(args.Skip(1).ToArray()),
    "dashboard" => await DashboardRun.RunAsync(args.Skip(1).ToArray()),
    "screenshots" => await ScreenshotRun.RunAsync(args.Skip(1).ToArray()),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: dotnet run -c Release --project bench/Panorama.Bench -- ingest [--seconds 15] [--connections 100]");
    return 2;
}
