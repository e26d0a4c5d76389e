using System.CommandLine;
using ObjectStorage.Cli.Output;
using ObjectStorage.Cli.Progress;

namespace ObjectStorage.Cli.Commands;

/// <summary>
/// What <c>cp</c> and <c>sync</c> share: two store URLs, a prefix, parallelism, dry run, the
/// progress display on stderr and the summary (a table, or JSON) on stdout. Both run
/// <see cref="StoreSync"/>. Objects that fail are listed on stderr, one line each, and make the
/// exit code 1; the others still go through.
/// </summary>
internal abstract class TransferCommand : StoreCommand
{
    private readonly Argument<string> _source = UrlArgument("SRC_URL", "The store to read from");
    private readonly Argument<string> _target = UrlArgument("DST_URL", "The store to write to (created if missing)");
    private readonly Option<string> _prefix = PrefixOption("Only keys that start with this (they keep their full key in the target)");
    private readonly Option<int> _parallel = new("--parallel", "-j")
    {
        Description = "Objects in flight at once (1 to 256)",
        DefaultValueFactory = _ => 8,
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
    }

    /// <summary>The command's own choices on top of the shared ones.</summary>
    protected abstract SyncOptions Choose(ParseResult parse, SyncOptions shared);

    protected override async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var sourceUrl = parse.GetRequiredValue(_source);
        var targetUrl = parse.GetRequiredValue(_target);
        var options = Choose(parse, new SyncOptions
        {
            Prefix = parse.GetValue(_prefix) ?? "",
            Parallelism = parse.GetValue(_parallel),
            DryRun = parse.GetValue(_dryRun),
        });
        ObjectKey.ValidatePrefix(options.Prefix);
        if (options.Parallelism is < 1 or > 256) throw new ArgumentException($"--parallel must be from 1 to 256, not {options.Parallelism}");

        await using var source = Stores.Open(sourceUrl, StoreAccess.Read);
        await using var target = OpenTarget(targetUrl, options.DryRun);
        try
        {
            StoreSync.ThrowIfOverlapping(source, target, options.Prefix);
            return await TransferAsync(parse, sourceUrl, targetUrl, source, target, options, cancellationToken);
        }
        catch (OperationCanceledException) when (target is ZipStore zip)
        {
            // An interrupted sync into an archive keeps the archive it had, rather than a part of the new one.
            zip.Discard();
            throw;
        }
    }

    private async Task<int> TransferAsync(ParseResult parse, string sourceUrl, string targetUrl, ObjectStore source, ObjectStore target, SyncOptions options,
        CancellationToken cancellationToken)
    {
        // The total for the progress display; a listing reads no object body.
        long objects = 0, bytes = 0;
        await foreach (var info in source.ListAsync(options.Prefix, cancellationToken))
        {
            objects++;
            bytes += info.Size;
        }

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var progress = TransferProgress.Create(Name, objects, bytes, parse.GetValue(_quiet));
        var report = await progress.RunAsync(async p =>
        {
            var done = await StoreSync.SyncAsync(source, target, options with { Progress = p }, cancellationToken);
            // Inside the progress display, so that "done" means the archive is written, not just spooled.
            if (target is ZipStore zip && !options.DryRun) await zip.FlushAsync(cancellationToken);
            return done;
        });
        var elapsed = clock.Elapsed;

        foreach (var failure in report.Failures)
            Console.Error.WriteLine($"objstore: {Name} failed to {failure.Action.ToString().ToLowerInvariant()} {ObjectKey.Quote(failure.Key)}: {failure.Error.Message}");
        foreach (var skipped in report.Skipped)
            Console.Error.WriteLine($"objstore: {Name}: {skipped}");
        if (WantsJson(parse)) Json.Write(new TransferReport(sourceUrl, targetUrl, report, elapsed));
        else SummaryTable.Write(Name, sourceUrl, targetUrl, report, elapsed);
        return report.Succeeded ? ExitCodes.Ok : ExitCodes.Failure;
    }

    // A dry run must not create the target: a target that does not exist yet is an empty one.
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

    /// <summary>The <c>--json</c> summary of a sync or copy.</summary>
    private sealed class TransferReport(string source, string target, SyncReport report, TimeSpan elapsed)
    {
        public string Source => source;
        public string Target => target;
        public bool DryRun => report.DryRun;
        public long Copied => report.Copied;
        public long Updated => report.Updated;
        public long Deleted => report.Deleted;
        public long Unchanged => report.Unchanged;
        public long Extraneous => report.Extraneous;
        public long Failed => report.Failures.Count;
        public long Skipped => report.Skipped.Count;
        public long BytesCopied => report.BytesCopied;
        public double Seconds => Math.Round(elapsed.TotalSeconds, 3);
        public IEnumerable<object> Failures => report.Failures.Select(static f => new { f.Key, action = f.Action, error = f.Error.Message });
        public IEnumerable<object> SkippedEntries => report.Skipped.Select(static s => new { s.Store, s.Entry, s.Reason });
    }
}
