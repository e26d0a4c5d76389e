using System.Collections.Concurrent;
using System.Diagnostics;

namespace ObjectStorage.Cli.Transfer;

/// <summary>
/// One-way copy of one store's objects into another, for <c>sync</c> and <c>cp</c>: walks both
/// listings in key order as a merge (no key sets in memory), streams each body, keeps going past
/// a failed key and reports it. Written against the public <see cref="ObjectStore"/> API only, so
/// that it can hand over to the library's <c>StoreSync</c> without changing its callers.
/// </summary>
internal static class StoreTransfer
{
    /// <summary>Runs the transfer; <paramref name="progress"/> hears of every key from several threads at once.</summary>
    public static async Task<TransferSummary> RunAsync(
        ObjectStore source, ObjectStore target, TransferSettings settings, IProgress<TransferStep>? progress, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        long copied = 0, updated = 0, deleted = 0, unchanged = 0, bytes = 0;
        var failures = new ConcurrentQueue<TransferFailure>();

        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, settings.Parallelism), CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(Plan(source, target, settings, cancellationToken), parallel, async (work, ct) =>
        {
            TransferStep step;
            try
            {
                step = await DoAsync(source, target, work, settings, ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                step = new TransferStep(work.Key, TransferOutcome.Failed, work.Size, e.Message);
                failures.Enqueue(new TransferFailure(work.Key, e.Message));
            }
            switch (step.Outcome)
            {
                case TransferOutcome.Copied: Interlocked.Increment(ref copied); Interlocked.Add(ref bytes, step.Bytes); break;
                case TransferOutcome.Updated: Interlocked.Increment(ref updated); Interlocked.Add(ref bytes, step.Bytes); break;
                case TransferOutcome.Unchanged: Interlocked.Increment(ref unchanged); break;
                case TransferOutcome.Deleted: Interlocked.Increment(ref deleted); break;
            }
            progress?.Report(step);
        }).ConfigureAwait(false);

        var sorted = failures.OrderBy(static f => f.Key, KeyComparer.Utf8).ToList();
        return new TransferSummary(copied, updated, deleted, unchanged, bytes, clock.Elapsed, settings.DryRun, sorted);
    }

    private enum Work { Copy, Compare, Delete }

    private readonly record struct Planned(string Key, Work Kind, long Size, long TargetSize);

    // The merge of the two ordered listings: what to do for each key, without doing it.
    private static async IAsyncEnumerable<Planned> Plan(
        ObjectStore source, ObjectStore target, TransferSettings settings, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var left = source.ListAsync(settings.Prefix, cancellationToken).GetAsyncEnumerator(cancellationToken);
        // cp never looks at the target's listing: it overwrites whatever is there.
        var needTarget = settings.Compare != CompareMode.Never || settings.DeleteExtraneous;
        await using var right = (needTarget ? target.ListAsync(settings.Prefix, cancellationToken) : Empty()).GetAsyncEnumerator(cancellationToken);

        bool hasLeft = await left.MoveNextAsync().ConfigureAwait(false);
        bool hasRight = await right.MoveNextAsync().ConfigureAwait(false);
        while (hasLeft || hasRight)
        {
            int order = !hasLeft ? 1 : !hasRight ? -1 : KeyComparer.Utf8.Compare(left.Current.Key, right.Current.Key);
            if (order < 0)
            {
                yield return new Planned(left.Current.Key, Work.Copy, left.Current.Size, -1);
                hasLeft = await left.MoveNextAsync().ConfigureAwait(false);
            }
            else if (order > 0)
            {
                if (settings.DeleteExtraneous) yield return new Planned(right.Current.Key, Work.Delete, 0, right.Current.Size);
                hasRight = await right.MoveNextAsync().ConfigureAwait(false);
            }
            else
            {
                yield return new Planned(left.Current.Key, Work.Compare, left.Current.Size, right.Current.Size);
                hasLeft = await left.MoveNextAsync().ConfigureAwait(false);
                hasRight = await right.MoveNextAsync().ConfigureAwait(false);
            }
        }
    }

    private static async ValueTask<TransferStep> DoAsync(ObjectStore source, ObjectStore target, Planned work, TransferSettings settings, CancellationToken ct)
    {
        switch (work.Kind)
        {
            case Work.Delete:
                if (!settings.DryRun) await target.DeleteAsync(work.Key, ct).ConfigureAwait(false);
                return new TransferStep(work.Key, TransferOutcome.Deleted, 0);
            case Work.Compare when settings.Compare == CompareMode.Size && work.Size == work.TargetSize:
                return new TransferStep(work.Key, TransferOutcome.Unchanged, work.Size);
            case Work.Compare when settings.Compare == CompareMode.Content && work.Size == work.TargetSize
                                   && await SameContentAsync(source, target, work.Key, ct).ConfigureAwait(false):
                return new TransferStep(work.Key, TransferOutcome.Unchanged, work.Size);
        }

        // A key that cp finds nowhere in the target listing is still "copied": cp does not list the target.
        var outcome = work.Kind == Work.Compare ? TransferOutcome.Updated : TransferOutcome.Copied;
        if (settings.DryRun) return new TransferStep(work.Key, outcome, work.Size);
        await using var body = await source.OpenReadAsync(work.Key, ct).ConfigureAwait(false);
        await target.PutAsync(work.Key, body, ct).ConfigureAwait(false);
        return new TransferStep(work.Key, outcome, work.Size);
    }

    private static async ValueTask<bool> SameContentAsync(ObjectStore source, ObjectStore target, string key, CancellationToken ct)
    {
        await using var a = await source.OpenReadAsync(key, ct).ConfigureAwait(false);
        await using var b = await target.OpenReadAsync(key, ct).ConfigureAwait(false);
        var bufferA = new byte[81920];
        var bufferB = new byte[81920];
        while (true)
        {
            int readA = await a.ReadAtLeastAsync(bufferA, bufferA.Length, throwOnEndOfStream: false, ct).ConfigureAwait(false);
            int readB = await b.ReadAtLeastAsync(bufferB, bufferB.Length, throwOnEndOfStream: false, ct).ConfigureAwait(false);
            if (!bufferA.AsSpan(0, readA).SequenceEqual(bufferB.AsSpan(0, readB))) return false;
            if (readA < bufferA.Length) return true;
        }
    }

#pragma warning disable CS1998 // an empty async stream
    private static async IAsyncEnumerable<ObjectInfo> Empty()
    {
        yield break;
    }
#pragma warning restore CS1998
}
