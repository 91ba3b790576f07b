namespace Panorama.Cli;

/// <summary>The words and <c>--name value</c> options of one command line.</summary>
sealed class CommandLine
{
    readonly Dictionary<string, List<string>> options = new(StringComparer.Ordinal);
    readonly HashSet<string> flags = new(StringComparer.Ordinal);

    /// <summary>Options that take no value.</summary>
    static readonly string[] KnownFlags = ["yes"];

    public List<string> Words { get; } = [];

    /// <summary>Arguments not understood here (e.g. <c>--urls</c>, <c>--Panorama:X=Y</c>) go to the web host.</summary>
    public List<string> HostArguments { get; } = [];

    public static CommandLine Parse(string[] args, params string[] knownOptions)
    {
        var line = new CommandLine();
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            if (arg.StartsWith("--", StringComparison.Ordinal))
            {
                var name = arg[2..];
                string? value = null;
                var equals = name.IndexOf('=');
                if (equals >= 0)
                {
                    value = name[(equals + 1)..];
                    name = name[..equals];
                }
                if (equals < 0 && KnownFlags.Contains(name))
                {
                    line.flags.Add(name);
                }
                else if (knownOptions.Contains(name))
                {
                    value ??= i + 1 < args.Length ? args[++i] : throw new CommandLineException($"--{name} needs a value.");
                    if (!line.options.TryGetValue(name, out var values)) line.options[name] = values = [];
                    values.Add(value);
                }
                else
                {
                    line.HostArguments.Add(arg);
                    if (equals < 0 && i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal)) line.HostArguments.Add(args[++i]);
                }
            }
            else
            {
                line.Words.Add(arg);
            }
        }
        return line;
    }

    public string? Option(string name) => options.TryGetValue(name, out var values) ? values[^1] : null;

    public bool Flag(string name) => flags.Contains(name);

    public IReadOnlyList<string> Options(string name) => options.TryGetValue(name, out var values) ? values : [];
}

sealed class CommandLineException(string message) : Exception(message);
