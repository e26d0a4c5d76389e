using System.Collections.Concurrent;

namespace ObjectStorage;

/// <summary>
/// Makes a target store's contents identical to a source store's, in one direction: copies what the
/// target lacks or holds differently (see <see cref="SyncCompare"/>), optionally deletes what the
/// source lacks, and reports what it did.
/// </summary>
/// <remarks>
/// Both listings are walked together in key order (a merge join, one entry of each in hand), and
/// each object is streamed from source to target, so neither the key sets nor any object body need
/// fit in memory. An object that fails is recorded in <see cref="SyncReport.Failures"/> and the sync
/// goes on; a rerun retries it, so repeated syncs converge. A failing listing ends the sync with its
/// exception. Over identical stores a sync compares listings only: it reads no object body (unless
/// <see cref="SyncCompare.Content"/> is asked for) and writes nothing. The exception is a local store against
/// S3, whose listing lacks the kept times: there the local bytes are hashed against S3's MD5 ETags rather than
/// sending one HEAD per object of equal size.
/// </remarks>
public static partial class StoreSync
{
    /// <summary>Brings <paramref name="target"/> in line with <paramref name="source"/>; see <see cref="SyncOptions"/>.</summary>
    public static SyncReport Sync(ObjectStore source, ObjectStore target, SyncOptions? options = null)
    {
        var run = new SyncRun(source, target, options ?? new SyncOptions());
        using var skipped = run.CollectSkipped();
        run.ThrowIfTooManyDeletes();
        var pairs = ListingJoin.Pair(source.List(run.Options.Prefix), target.List(run.Options.Prefix), run.Selected);
        ListingJoin.ForEachInParallel(pairs, run.Options.Parallelism, run.Apply);
        return run.Report();
    }

    /// <inheritdoc cref="Sync(ObjectStore, ObjectStore, SyncOptions?)"/>
    public static async Task<SyncReport> SyncAsync(ObjectStore source, ObjectStore target, SyncOptions? options = null, CancellationToken cancellationToken = default)
    {
        var run = new SyncRun(source, target, options ?? new SyncOptions());
        using var skipped = run.CollectSkipped();
        await run.ThrowIfTooManyDeletesAsync(cancellationToken).ConfigureAwait(false);
        var pairs = ListingJoin.PairAsync(source.ListAsync(run.Options.Prefix, cancellationToken), target.ListAsync(run.Options.Prefix, cancellationToken),
            run.Selected, cancellationToken);
        await Parallel.ForEachAsync(pairs, new ParallelOptions { MaxDegreeOfParallelism = run.Options.Parallelism, CancellationToken = cancellationToken },
            run.ApplyAsync).ConfigureAwait(false);
        return run.Report();
    }

    /// <summary>
    /// Throws <see cref="OverlappingStoresException"/> when <paramref name="source"/> and <paramref name="target"/>
    /// keep objects in one place (see <see cref="StoreLocation.Overlaps"/>) for the keys under <paramref name="prefix"/>;
    /// a store that gives no <see cref="ObjectStore.Locations"/> cannot be checked and passes.
    /// </summary>
    public static void ThrowIfOverlapping(ObjectStore source, ObjectStore target, string prefix = "")
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(target);
        foreach (var from in source.Locations)
            foreach (var to in target.Locations)
                if (from.Overlaps(to, prefix)) throw new OverlappingStoresException(source, target, from, to);
    }

    // One sync in progress: the stores, the options, and the counts so far.
    private sealed partial class SyncRun
    {
        private readonly ObjectStore _source;
        private readonly ObjectStore _target;
        private readonly bool _hashesCompare;
        private readonly MetadataKinds _carried; // what a copy carries: what the target keeps
        private readonly bool _statSourceToCopy;  // the source keeps some of that but does not list it
        private readonly bool _statSourceTime, _statTargetTime; // a side's listing lacks the time it keeps
        private readonly bool _timesBothWays;
        private readonly ObjectStore? _hashedAgainstTags; // the local side, where the other side's tags may be MD5s of the content
        private readonly string? _tagKind; // the other side's
        private readonly TimeSpan _window;
        private readonly ConcurrentQueue<SyncFailure> _failures = new();
        private readonly ConcurrentQueue<SkippedEntry> _skipped = new();
        private long _copied, _updated, _deleted, _unchanged, _extraneous, _bytes;

        public SyncRun(ObjectStore source, ObjectStore target, SyncOptions options)
        {
            ArgumentNullException.ThrowIfNull(source);
            ArgumentNullException.ThrowIfNull(target);
            ArgumentNullException.ThrowIfNull(options);
            ArgumentOutOfRangeException.ThrowIfLessThan(options.Parallelism, 1, nameof(options.Parallelism));
            ObjectKey.ValidatePrefix(options.Prefix);
            Selected = PrepareSelection(options);
            ThrowIfOverlapping(source, target, options.Prefix);
            if (!options.DryRun && !target.CanWrite) throw new NotSupportedException($"Cannot sync into {target}: it is read-only (CanWrite is false).");
            if (!options.DryRun && options.DeleteExtraneous && !target.CanDelete)
                throw new NotSupportedException($"Cannot delete extraneous keys from {target}: it does not allow deletes (CanDelete is false).");
            _source = source;
            _target = target;
            Options = options;
            var (sourceKind, targetKind) = (source.ETagKind, target.ETagKind);
            _hashesCompare = sourceKind is { } kind && kind == targetKind;
            var from = source.MetadataSupport;
            var to = target.MetadataSupport;
            _carried = to.Kept;
            _statSourceToCopy = (from.Kept & ~from.Listed & to.Kept) != 0;
            _statSourceTime = from.Keeps(MetadataKinds.ModificationTime) && !from.Lists(MetadataKinds.ModificationTime);
            _statTargetTime = to.Keeps(MetadataKinds.ModificationTime) && !to.Lists(MetadataKinds.ModificationTime);
            // A target that keeps a copy's time holds the source's own: any difference is a change,
            // in either direction. One that stamps its own time can only say the source is newer.
            _timesBothWays = to.Keeps(MetadataKinds.ModificationTime);
            _window = options.ModifyWindow ?? (from.TimePrecision > to.TimePrecision ? from.TimePrecision : to.TimePrecision);
            (_hashedAgainstTags, _tagKind) = ContentComparison.TagsMayBeMd5(targetKind) && source.IsLocal ? (source, targetKind)
                : ContentComparison.TagsMayBeMd5(sourceKind) && target.IsLocal ? (target, sourceKind)
                : (null, null);
        }

        public SyncOptions Options { get; }

        // What either listing passes over goes into the report until the returned handle is disposed.
        public IDisposable CollectSkipped() => ListingJoin.CollectSkipped(_source, _target, _skipped);

        public void Apply((ObjectInfo? Source, ObjectInfo? Target) pair)
        {
            var key = (pair.Source ?? pair.Target)!.Key;
            var action = SyncAction.Unchanged;
            try
            {
                ObjectInfo? stated = null;
                bool same = false;
                if (NeedsTimes(pair))
                {
                    same = TagToHashAgainst(pair) is { } md5 && ContentComparison.HasMd5(_hashedAgainstTags!, key, md5);
                    if (!same)
                    {
                        stated = _statSourceTime ? _source.Stat(key) : null;
                        pair = (stated ?? pair.Source, (_statTargetTime ? _target.Stat(key) : null) ?? pair.Target);
                    }
                }
                action = same ? SyncAction.Unchanged : Decide(pair);
                if (action == SyncAction.Update && NeedsContentCompare(pair) && ContentComparison.Same(_source, _target, key)) action = SyncAction.Unchanged;
                if (!Options.DryRun)
                {
                    if (action is SyncAction.Copy or SyncAction.Update)
                    {
                        var info = stated ?? (_statSourceToCopy ? _source.Stat(key) : null) ?? pair.Source!;
                        using var data = _source.OpenRead(key);
                        _target.Put(key, data, CopyOptions(info));
                    }
                    else if (action == SyncAction.Delete)
                    {
                        ClaimDelete();
                        _target.Delete(key);
                    }
                }
                Done(key, action, pair.Source);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Failed(key, action, ex);
            }
        }

        public async ValueTask ApplyAsync((ObjectInfo? Source, ObjectInfo? Target) pair, CancellationToken cancellationToken)
        {
            var key = (pair.Source ?? pair.Target)!.Key;
            var action = SyncAction.Unchanged;
            try
            {
                ObjectInfo? stated = null;
                bool same = false;
                if (NeedsTimes(pair))
                {
                    // The hashed store is local, whose async side only wraps its sync one: reading it directly spares a state machine per object.
                    same = TagToHashAgainst(pair) is { } md5 && ContentComparison.HasMd5(_hashedAgainstTags!, key, md5);
                    if (!same)
                    {
                        stated = _statSourceTime ? await _source.StatAsync(key, cancellationToken).ConfigureAwait(false) : null;
                        var target = _statTargetTime ? await _target.StatAsync(key, cancellationToken).ConfigureAwait(false) : null;
                        pair = (stated ?? pair.Source, target ?? pair.Target);
                    }
                }
                action = same ? SyncAction.Unchanged : Decide(pair);
                if (action == SyncAction.Update && NeedsContentCompare(pair) && await ContentComparison.SameAsync(_source, _target, key, cancellationToken).ConfigureAwait(false))
                    action = SyncAction.Unchanged;
                if (!Options.DryRun)
                {
                    if (action is SyncAction.Copy or SyncAction.Update)
                    {
                        var info = stated ?? (_statSourceToCopy ? await _source.StatAsync(key, cancellationToken).ConfigureAwait(false) : null) ?? pair.Source!;
                        var data = await _source.OpenReadAsync(key, cancellationToken).ConfigureAwait(false);
                        await using (data.ConfigureAwait(false)) await _target.PutAsync(key, data, CopyOptions(info), cancellationToken).ConfigureAwait(false);
                    }
                    else if (action == SyncAction.Delete)
                    {
                        ClaimDelete();
                        await _target.DeleteAsync(key, cancellationToken).ConfigureAwait(false);
                    }
                }
                Done(key, action, pair.Source);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Failed(key, action, ex);
            }
        }

        public SyncReport Report() => new()
        {
            Copied = _copied,
            Updated = _updated,
            Deleted = _deleted,
            Unchanged = _unchanged,
            Extraneous = _extraneous,
            BytesCopied = _bytes,
            Failures = _failures.OrderBy(f => f.Key, KeyComparer.Utf8).ToList(),
            Skipped = [.. _skipped],
            DryRun = Options.DryRun,
            MaxDelete = Options.MaxDelete,
        };

        // What to do from the listings alone; an Update that still needs the bytes compared is settled by the caller.
        private SyncAction Decide((ObjectInfo? Source, ObjectInfo? Target) pair)
        {
            if (pair.Target is not { } target) return SyncAction.Copy;
            if (pair.Source is not { } source) return Options.DeleteExtraneous ? SyncAction.Delete : SyncAction.KeepExtraneous;
            switch (Options.Compare)
            {
                case SyncCompare.Missing: return SyncAction.Unchanged;
                case SyncCompare.Always: return SyncAction.Update;
            }
            if (source.Size != target.Size) return SyncAction.Update;
            switch (Options.Compare)
            {
                case SyncCompare.Content:
                    return SyncAction.Update;
                case SyncCompare.SizeThenHash when _hashesCompare && source.ETag is not null && target.ETag is not null:
                    return string.Equals(source.ETag, target.ETag, StringComparison.Ordinal) ? SyncAction.Unchanged : SyncAction.Update;
                case SyncCompare.SizeThenHash when source.LastModified is { } changed && target.LastModified is { } copied:
                    var apart = changed - copied;
                    return (_timesBothWays ? apart.Duration() : apart) > _window ? SyncAction.Update : SyncAction.Unchanged;
                default:
                    return SyncAction.Unchanged;
            }
        }

        // Equal sizes that only times can settle, where a side's listing lacks the time it keeps (S3's
        // lists the upload, not the kept time): that side is asked with Stat.
        private bool NeedsTimes((ObjectInfo? Source, ObjectInfo? Target) pair) =>
            (_statSourceTime || _statTargetTime) && Options.Compare == SyncCompare.SizeThenHash
            && pair is { Source: { } source, Target: { } target } && source.Size == target.Size
            && !(_hashesCompare && source.ETag is not null && target.ETag is not null);

        // Equal sizes that only a request per object could settle by times, where the other side's tag is an MD5 of its
        // content and this side is local: the MD5 of the local bytes against that tag. Equal says the same content, more
        // surely than times, and leaves both times as they are (rclone's --checksum does the same), so a sync back finds
        // the same. Unequal goes on to the times, as without tags: an SSE-KMS tag looks like an MD5 and is none.
        // Past HashedSizeLimit one HEAD costs less than reading the local bytes; S3's single-part tags reach 5 GiB when
        // another tool uploaded the object, though our own large uploads are multipart and carry no MD5 anyway.
        private string? TagToHashAgainst((ObjectInfo? Source, ObjectInfo? Target) pair) =>
            _hashedAgainstTags is null || pair.Source!.Size > HashedSizeLimit ? null
                : ContentComparison.Md5Of(_tagKind, (ReferenceEquals(_hashedAgainstTags, _source) ? pair.Target : pair.Source)!.ETag);

        private const long HashedSizeLimit = 64L << 20;

        // A copy carries the source's time, content type and user metadata, as far as the target keeps them.
        private PutOptions CopyOptions(ObjectInfo source) => PutOptions.From(source).Keeping(_carried);

        private bool NeedsContentCompare((ObjectInfo? Source, ObjectInfo? Target) pair) =>
            Options.Compare == SyncCompare.Content && pair.Source!.Size == pair.Target!.Size;

        private void Done(string key, SyncAction action, ObjectInfo? source)
        {
            long bytes = action is SyncAction.Copy or SyncAction.Update ? source!.Size : 0;
            switch (action)
            {
                case SyncAction.Copy: Interlocked.Increment(ref _copied); break;
                case SyncAction.Update: Interlocked.Increment(ref _updated); break;
                case SyncAction.Delete: Interlocked.Increment(ref _deleted); break;
                case SyncAction.Unchanged: Interlocked.Increment(ref _unchanged); break;
                default: Interlocked.Increment(ref _extraneous); break;
            }
            Interlocked.Add(ref _bytes, bytes);
            Options.Progress?.Report(new SyncProgress(key, action, bytes, null));
        }

        private void Failed(string key, SyncAction action, Exception error)
        {
            _failures.Enqueue(new SyncFailure(key, action, error));
            Options.Progress?.Report(new SyncProgress(key, action, 0, error));
        }
    }
}
