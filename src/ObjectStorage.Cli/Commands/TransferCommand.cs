using System.CommandLine;
using ObjectStorage.Cli.Options;
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
    private readonly Option<int> _parallel = ParallelOption("Objects in flight at once");
    private readonly Option<bool> _dryRun = new("--dry-run", "-n") { Description = "Show what would be done; change nothing" };
    private readonly Option<bool> _quiet = new("--quiet", "-q") { Description = "No progress display (the summary is still printed)" };
    private readonly SelectionOptions _selection = new();

    private readonly Option<string?> _key = new("--key", "-k") { Description = "Only this one object (its bytes are shown moving when the transfer is large)" };
    private readonly Option<string?> _to = new("--to") { Description = "With --key: the key to write in the target (default: the same key)" };

    protected TransferCommand(string name, string description, params string[] examples)
        : this(name, description, singleObject: false, examples)
    {
    }

    /// <summary>With <paramref name="singleObject"/>, the command also takes <c>--key K [--to K2]</c> for one object.</summary>
    protected TransferCommand(string name, string description, bool singleObject, params string[] examples)
        : base(name, description, examples)
    {
        if (singleObject)
        {
            Options.Add(_key);
            Options.Add(_to);
        }
        Arguments.Add(_source);
        Arguments.Add(_target);
        Options.Add(_prefix);
        Options.Add(_parallel);
        Options.Add(_dryRun);
        Options.Add(_quiet);
        _selection.AddTo(this);
    }

    /// <summary>The command's own choices on top of the shared ones.</summary>
    protected abstract SyncOptions Choose(ParseResult parse, SyncOptions shared);

    /// <summary>How the source is opened: read-only, except for a command that removes what it moved.</summary>
    protected virtual StoreAccess SourceAccess(bool dryRun) => StoreAccess.Read;

    /// <summary>Sees each object's outcome beside the progress display (mv verifies and removes the moved ones).</summary>
    protected virtual IProgress<SyncProgress> Observe(IProgress<SyncProgress> display) => display;

    /// <summary>After the transfer, before the summary: mv removes what it moved and returns how many, others return null.</summary>
    protected virtual Task<long?> FinishAsync(ObjectStore source, ObjectStore target, SyncOptions options, SyncReport report, CancellationToken cancellationToken) =>
        Task.FromResult<long?>(null);

    /// <summary>After one object was copied and verified (cp --key): mv removes the source object.</summary>
    protected virtual Task FinishOneAsync(ObjectStore source, string key, CancellationToken cancellationToken) => Task.CompletedTask;

    protected override async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var sourceUrl = parse.GetRequiredValue(_source);
        var targetUrl = parse.GetRequiredValue(_target);
        if (parse.GetValue(_key) is { } key) return await RunOneAsync(parse, sourceUrl, targetUrl, key, cancellationToken);
        if (parse.GetValue(_to) is not null) throw new ArgumentException("--to names the target key of one object: give that object's --key too");
        var options = Choose(parse, new SyncOptions
        {
            Prefix = parse.GetValue(_prefix) ?? "",
            Parallelism = Parallelism(parse, _parallel),
            DryRun = parse.GetValue(_dryRun),
            Filter = _selection.Filter(parse),
        });
        ObjectKey.ValidatePrefix(options.Prefix);

        await using var source = Stores.Open(sourceUrl, SourceAccess(options.DryRun));
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
        // The total for the progress display; a listing reads no object body. Without a display
        // only --delete needs to know whether the source is empty, and its first object says so.
        bool quiet = parse.GetValue(_quiet);
        long objects = 0, bytes = 0;
        var now = DateTimeOffset.UtcNow;
        if (!quiet || options.DeleteExtraneous)
        {
            await foreach (var info in source.ListAsync(options.Prefix, cancellationToken))
            {
                if (options.Filter?.Matches(info, now) == false) continue;
                objects++;
                bytes += info.Size;
                if (quiet) break;
            }
        }
        if (objects == 0 && options.DeleteExtraneous) await WarnOfEmptySourceAsync(sourceUrl, target, options, cancellationToken);

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var progress = TransferProgress.Create(Name, objects, bytes, quiet);
        var report = await progress.RunAsync(async p =>
        {
            var done = await StoreSync.SyncAsync(source, target, options with { Progress = Observe(p) }, cancellationToken);
            // Inside the progress display, so that "done" means the archive is written, not just spooled.
            if (target is ZipStore zip && !options.DryRun) await zip.FlushAsync(cancellationToken);
            return done;
        });
        var removed = await FinishAsync(source, target, options, report, cancellationToken);
        var elapsed = clock.Elapsed;

        foreach (var failure in report.Failures)
            Console.Error.WriteLine($"objstore: {Name} failed to {failure.Action.ToString().ToLowerInvariant()} {ObjectKey.Quote(failure.Key)}: {failure.Error.Message}");
        foreach (var skipped in report.Skipped)
            Console.Error.WriteLine($"objstore: {Name}: {skipped}");
        if (report.ExceedsMaxDelete)
            Console.Error.WriteLine($"objstore: {Name}: would delete {report.Deleted} objects, more than --max-delete {report.MaxDelete}: the sync would be refused");
        if (WantsJson(parse)) Json.Write(TransferReport.Of(sourceUrl, targetUrl, report, elapsed, removed), Json.Context.TransferReport);
        else SummaryTable.Write(Name, sourceUrl, targetUrl, report, elapsed);
        if (removed is { } count && !WantsJson(parse))
            Console.Out.WriteLine($"{(options.DryRun ? "would remove" : "removed")} {Units.Objects(count)} from the source, each after its copy was verified");
        return report.Succeeded ? ExitCodes.Ok : ExitCodes.Failure;
    }

    // One object, --key K [--to K2]: streamed with its bytes shown, then verified by the target's size.
    private async Task<int> RunOneAsync(ParseResult parse, string sourceUrl, string targetUrl, string key, CancellationToken cancellationToken)
    {
        var targetKey = parse.GetValue(_to) ?? key;
        ObjectKey.Validate(key);
        ObjectKey.Validate(targetKey);
        bool dryRun = parse.GetValue(_dryRun);
        bool oneStore = string.Equals(sourceUrl, targetUrl, StringComparison.Ordinal);
        if (oneStore && key == targetKey) throw new ArgumentException($"{Name}: {ObjectKey.Quote(key)} would be copied onto itself: give another target store or --to KEY");

        // One URL is one store: opening an archive or database twice would make two writers of it.
        await using var source = Stores.Open(sourceUrl, oneStore ? (dryRun ? StoreAccess.Read : StoreAccess.ReadWrite) : SourceAccess(dryRun));
        await using var other = oneStore ? null : OpenTarget(targetUrl, dryRun);
        var target = other ?? source;
        var info = await source.StatAsync(key, cancellationToken) ?? throw new ObjectNotFoundException(source.ToString() ?? "", key);
        if (!dryRun)
        {
            await ObjectCopy.CopyAsync(source, key, target, targetKey, info, Name, parse.GetValue(_quiet), cancellationToken);
            if (target is ZipStore zip && !ReferenceEquals(zip, source)) await zip.FlushAsync(cancellationToken);
            await FinishOneAsync(source, key, cancellationToken);
            if (source is ZipStore same && ReferenceEquals(same, target)) await same.FlushAsync(cancellationToken);
        }

        var verb = Name == "mv" ? "moved" : "copied";
        if (WantsJson(parse)) Json.Write(new CopyOneDocument(sourceUrl, key, targetUrl, targetKey, info.Size, dryRun), Json.Context.CopyOneDocument);
        else Console.Out.WriteLine($"{(dryRun ? "would be " + verb : verb)}: {ObjectKey.Quote(key)} -> {(oneStore ? "" : targetUrl + " ")}{ObjectKey.Quote(targetKey)} ({Units.Bytes(info.Size)})");
        return ExitCodes.Ok;
    }

    // A sync from an empty source with --delete empties the target: almost always a wrong URL or prefix, so say so first.
    private async Task WarnOfEmptySourceAsync(string sourceUrl, ObjectStore target, SyncOptions options, CancellationToken cancellationToken)
    {
        long doomed = 0;
        var now = DateTimeOffset.UtcNow;
        await foreach (var info in target.ListAsync(options.Prefix, cancellationToken))
            if (options.Filter?.Matches(info, now) != false) doomed++;
        if (doomed == 0) return;
        var under = options.Prefix.Length > 0 ? $" under {ObjectKey.Quote(options.Prefix)}" : "";
        Console.Error.WriteLine($"objstore: {Name}: WARNING: the source {sourceUrl} holds no objects{under}, so --delete {(options.DryRun ? "would delete" : "deletes")} " +
                                $"every object of the target{under} ({Units.Objects(doomed)})" + (options.MaxDelete is null ? "; --max-delete N guards against this" : ""));
    }

    // A dry run must not create the target: a target that does not exist yet is an empty one.
    protected static ObjectStore OpenTarget(string url, bool dryRun)
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

    // Built by Of rather than from the SyncReport itself: the source generator describes every constructor
    // parameter's type too, and SyncReport's failures would pull in Exception, which is not trim-safe.
    /// <summary>The <c>--json</c> summary of a sync or copy.</summary>
    internal sealed record TransferReport(
        string Source,
        string Target,
        bool DryRun,
        long Copied,
        long Updated,
        long Deleted,
        long Unchanged,
        long Extraneous,
        long Failed,
        long Skipped,
        long BytesCopied,
        long? MaxDelete,
        long? RemovedFromSource,
        bool ExceedsMaxDelete,
        double Seconds,
        IEnumerable<SyncFailureEntry> Failures,
        IEnumerable<SkippedEntryDocument> SkippedEntries)
    {
        public static TransferReport Of(string source, string target, SyncReport report, TimeSpan elapsed, long? removed) => new(
            source,
            target,
            report.DryRun,
            report.Copied,
            report.Updated,
            report.Deleted,
            report.Unchanged,
            report.Extraneous,
            report.Failures.Count,
            report.Skipped.Count,
            report.BytesCopied,
            report.MaxDelete,
            removed,
            report.ExceedsMaxDelete,
            Math.Round(elapsed.TotalSeconds, 3),
            report.Failures.Select(static f => new SyncFailureEntry(f.Key, f.Action, f.Error.Message)),
            report.Skipped.Select(static s => new SkippedEntryDocument(s.Store, s.Entry, s.Reason)));
    }
}
