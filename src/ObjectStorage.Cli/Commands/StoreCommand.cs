using System.CommandLine;

namespace ObjectStorage.Cli.Commands;

/// <summary>
/// A subcommand of <c>objstore</c>: its help shows a description and examples; its action runs
/// asynchronously and lets exceptions out to <see cref="ErrorReport"/>, which picks the exit code.
/// </summary>
internal abstract class StoreCommand : Command
{
    protected StoreCommand(string name, string description, params string[] examples)
        : base(name, description)
    {
        Examples = examples;
        SetAction((parse, cancellationToken) =>
        {
            Stores.UseConfig(parse.GetValue(ConfigOption));
            return RunAsync(parse, cancellationToken);
        });
    }

    /// <summary>Command lines shown at the end of the command's <c>--help</c>.</summary>
    public IReadOnlyList<string> Examples { get; }

    /// <summary>The <c>--json</c> option, on every command.</summary>
    public static Option<bool> JsonOption { get; } = new("--json")
    {
        Description = "Print machine-readable JSON on stdout instead of text",
        Recursive = true,
    };

    /// <summary>The <c>--config</c> option, on every command: a YAML file of named stores, opened as <c>NAME:</c>.</summary>
    public static Option<string> ConfigOption { get; } = new("--config")
    {
        Description = "A YAML file of named stores (the Python original's format, docs/configuration.md); then NAME: opens the store of that name",
        HelpName = "FILE",
        Recursive = true,
    };

    protected abstract Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken);

    protected static bool WantsJson(ParseResult parse) => parse.GetValue(JsonOption);

    protected static Argument<string> UrlArgument(string name = "URL", string what = "The store") => new(name)
    {
        Description = what + ": mem://, a path, file:///abs/path, hashdir:///path, sqlite:///path/to.db, zip:///path/to.zip, s3://bucket/prefix, http(s)://host/path, safefs:///path, or NAME: with --config (see docs/cli.md)",
    };

    protected static Argument<string> KeyArgument() => new("KEY") { Description = "The object's key, e.g. reports/2026/q3.pdf" };

    protected static Option<int> ParallelOption(string what) => new("--parallel", "-j")
    {
        Description = what + " (1 to 256)",
        DefaultValueFactory = _ => 8,
    };

    /// <summary>The value of a <see cref="ParallelOption"/>; throws <see cref="ArgumentException"/> outside 1 to 256.</summary>
    protected static int Parallelism(ParseResult parse, Option<int> option)
    {
        int parallelism = parse.GetValue(option);
        return parallelism is >= 1 and <= 256 ? parallelism : throw new ArgumentException($"--parallel must be from 1 to 256, not {parallelism}");
    }

    protected static Option<string> PrefixOption(string what) => new("--prefix", "-p")
    {
        Description = what,
        DefaultValueFactory = _ => "",
    };
}
