using System.CommandLine;
using ObjectStorage.Cli.Output;
using ObjectStorage.Cli.Progress;
using ObjectStorage.Cli.Transfer;

namespace ObjectStorage.Cli.Commands;

/// <summary>
/// What <c>cp</c> and <c>sync</c> share: two store URLs, a prefix, parallelism, dry run, the
/// progress display on stderr and the summary (a table, or JSON) on stdout. Objects that fail are
/// listed on stderr, one line each, and make the exit code 1; the others still go through.
/// </summary>
internal abstract class TransferCommand : StoreCommand
{
    private readonly Argument<string> _source = UrlArgument("SRC_URL", "The store to read from");
    private readonly Argument<string> _target = UrlArgument("DST_URL", "The store to write to (created if missing)");
    private readonly Option<string> _prefix = PrefixOption("Only keys that start with this (keys keep their full name in the target)");
    private readonly Option<int> _parallel = new("--parallel", "-j")
    {
        Description = "Objects in flight at once (1 to 256)",
        DefaultValueFactory = _ => 4,
    };
    private readonly Option<bool> _dryRun = new("--dry-run", "-n") { Description = "Show what would be done; change nothing" };
    private readonly Option<bool> _quiet = new("--quiet", "-q") { Description = "No progress display (the summary is still printed)" };

    protected TransferCommand(string name, string description, params string[] examples)
        : base(name, description, examples)
    {
        Arguments.Add(_source);
        Arguments.Add(_target);
        Options.Add(_prefix);
        Options.Add(_parallel);
        Options.Add(_dryRun);
        Options.Add(_quiet);
        _parallel.Validators.Add(result =>
        {
            int value = result.GetValueOrDefault<int>();
            if (value is < 1 or > 256) result.AddError($"--parallel must be from 1 to 256, not {value}");
        });
    }

    /// <summary>The command's own choices on top of the shared ones.</summary>
    protected abstract TransferSettings Settings(ParseResult parse, TransferSettings shared);

    protected override async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var sourceUrl = parse.GetRequiredValue(_source);
        var targetUrl = parse.GetRequiredValue(_target);
        var settings = Settings(parse, new TransferSettings
        {
            Prefix = parse.GetValue(_prefix) ?? "",
            Parallelism = parse.GetValue(_parallel),
            DryRun = parse.GetValue(_dryRun),
        });
        ObjectKey.ValidatePrefix(settings.Prefix);

        await using var source = Stores.Open(sourceUrl, StoreAccess.Read);
        await using var target = OpenTarget(targetUrl, settings.DryRun);

        long objects = 0, bytes = 0;
        await foreach (var info in source.ListAsync(settings.Prefix, cancellationToken))
        {
            objects++;
            bytes += info.Size;
        }

        var progress = TransferProgress.Create(Name, objects, bytes, parse.GetValue(_quiet));
        var summary = await progress.RunAsync(p => StoreTransfer.RunAsync(source, target, settings, p, cancellationToken));

        foreach (var failure in summary.Failures) Console.Error.WriteLine($"objstore: {Name} failed for {failure.Key}: {failure.Error}");
        if (WantsJson(parse)) Json.Write(new TransferReport(sourceUrl, targetUrl, summary));
        else SummaryTable.Write(Name, sourceUrl, targetUrl, summary);
        return summary.Failed > 0 ? ExitCodes.Failure : ExitCodes.Ok;
    }

    // A dry run must not create the target; a target that does not exist yet is an empty one.
    private static ObjectStore OpenTarget(string url, bool dryRun)
    {
        if (!dryRun) return Stores.Open(url, StoreAccess.ReadWrite);
        try
        {
            return Stores.Open(url, StoreAccess.Read);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return new DictStore();
        }
    }

    private sealed class TransferReport(string source, string target, TransferSummary summary)
    {
        public string Source => source;
        public string Target => target;
        public bool DryRun => summary.DryRun;
        public long Copied => summary.Copied;
        public long Updated => summary.Updated;
        public long Deleted => summary.Deleted;
        public long Unchanged => summary.Unchanged;
        public long Failed => summary.Failed;
        public long BytesCopied => summary.BytesCopied;
        public double Seconds => Math.Round(summary.Elapsed.TotalSeconds, 3);
        public IReadOnlyList<TransferFailure> Failures => summary.Failures;
    }
}
