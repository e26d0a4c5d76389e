using System.Collections.Concurrent;
using System.CommandLine;

namespace ObjectStorage.Cli.Commands;

/// <summary>
/// <c>objstore mv SRC_URL DST_URL (--key K [--to K2] | [--prefix P] [filters])</c>: copy, verify
/// that the target holds each copy, then delete the source objects. A source object is never
/// deleted before its copy is verified, and one whose copy failed stays.
/// </summary>
internal sealed class MvCommand : TransferCommand
{
    private readonly ConcurrentQueue<(string Key, long Size)> _copied = new();

    public MvCommand()
        : base("mv", "Move objects: copy them (one with --key, or every one under --prefix through the filters), check that the target holds each copy at its size, " +
                     "then delete them from the source. A source object whose copy failed or does not verify is kept. Within one store, --key K --to K2 renames.",
            singleObject: true,
            "objstore mv ./outbox s3://my-bucket/inbox",
            "objstore mv sqlite://objstore-demo.db sqlite://objstore-demo.db --key drafts/a.md --to published/a.md",
            "objstore mv s3://my-bucket/incoming ./archive --prefix 2026/ --min-age 7d --dry-run")
    {
    }

    protected override SyncOptions Choose(ParseResult parse, SyncOptions shared) => shared with { Compare = SyncCompare.Always };

    protected override StoreAccess SourceAccess(bool dryRun) => dryRun ? StoreAccess.Read : StoreAccess.ReadWrite;

    protected override IProgress<SyncProgress> Observe(IProgress<SyncProgress> display) => new Recorder(display, _copied);

    protected override async Task<long?> FinishAsync(ObjectStore source, ObjectStore target, SyncOptions options, SyncReport report, CancellationToken cancellationToken)
    {
        if (options.DryRun) return report.Copied + report.Updated;
        // The keys that were copied, checked again now, after the whole transfer, then deleted in batches.
        var verified = new ConcurrentQueue<string>();
        await Parallel.ForEachAsync(_copied, new ParallelOptions { MaxDegreeOfParallelism = options.Parallelism, CancellationToken = cancellationToken }, async (copied, ct) =>
        {
            try
            {
                await ObjectCopy.VerifyAsync(source, copied.Key, target, copied.Key, new ObjectInfo(copied.Key, copied.Size), ct);
                verified.Enqueue(copied.Key);
            }
            catch (IOException error)
            {
                Console.Error.WriteLine($"objstore: mv: {error.Message}");
            }
        });
        await source.DeleteManyAsync(verified, cancellationToken);
        return verified.Count;
    }

    protected override Task FinishOneAsync(ObjectStore source, string key, CancellationToken cancellationToken) =>
        source.DeleteAsync(key, cancellationToken).AsTask();

    // Passes every report on to the display, and keeps the keys that were copied.
    private sealed class Recorder(IProgress<SyncProgress> display, ConcurrentQueue<(string Key, long Size)> copied) : IProgress<SyncProgress>
    {
        public void Report(SyncProgress value)
        {
            if (value.Error is null && value.Action is SyncAction.Copy or SyncAction.Update) copied.Enqueue((value.Key, value.Bytes));
            display.Report(value);
        }
    }
}
