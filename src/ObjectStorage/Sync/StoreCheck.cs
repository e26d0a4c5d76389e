using System.Collections.Concurrent;

namespace ObjectStorage;

/// <summary>How <see cref="StoreCheck"/> decides that an object both stores hold is the same.</summary>
public enum CheckCompare
{
    /// <summary>The default: equal sizes, then equal content hashes where both stores give the same kind (<see cref="ObjectStore.ETagKind"/>); otherwise sizes alone, counted in <see cref="CheckReport.SizeOnly"/>. Reads no object body.</summary>
    SizeThenHash,

    /// <summary>Equal sizes only. Reads no object body; misses same-size differences.</summary>
    Size,

    /// <summary>Equal sizes, then equal bytes, reading both objects (rclone's <c>check --download</c>).</summary>
    Content,
}

/// <summary>What <see cref="StoreCheck"/> found wrong with one key.</summary>
public enum CheckDifferenceKind
{
    /// <summary>The source has the key, the target does not.</summary>
    MissingInTarget,

    /// <summary>The target has the key, the source does not (not reported by a one-way check).</summary>
    MissingInSource,

    /// <summary>Both have the key and the objects differ.</summary>
    Differs,
}

/// <summary>One key on which the stores disagree.</summary>
public sealed record CheckDifference(string Key, CheckDifferenceKind Kind);

/// <summary>One key the check could not compare (an object vanished or could not be read), with the exception.</summary>
public sealed record CheckFailure(string Key, Exception Error);

/// <summary>Options of <see cref="StoreCheck.Check(ObjectStore, ObjectStore, CheckOptions?)"/>; the defaults compare both ways by size and hash.</summary>
public sealed record CheckOptions
{
    /// <summary>Only report what the target lacks or holds differently, not what only the target has (rclone's <c>--one-way</c>).</summary>
    public bool OneWay { get; init; }

    /// <summary>How objects both stores hold are compared; see <see cref="CheckCompare"/>.</summary>
    public CheckCompare Compare { get; init; } = CheckCompare.SizeThenHash;

    /// <summary>Check only the keys that start with this prefix (in both stores).</summary>
    public string Prefix { get; init; } = "";

    /// <summary>Which objects are checked, on both sides, as in <see cref="SyncOptions.Filter"/>. Null (the default) for all.</summary>
    public ObjectFilter? Filter { get; init; }

    /// <summary>How many objects are compared at once when bodies are read. 8 by default.</summary>
    public int Parallelism { get; init; } = 8;
}

/// <summary>The outcome of a check: how many objects matched, and every key that did not, in key order.</summary>
public sealed record CheckReport
{
    /// <summary>Objects both stores hold and that compared equal.</summary>
    public long Matching { get; init; }

    /// <summary>Of <see cref="Matching"/>, those compared by size alone because the stores have no common kind of hash.</summary>
    public long SizeOnly { get; init; }

    /// <summary>Every key on which the stores disagree, in key order.</summary>
    public IReadOnlyList<CheckDifference> Differences { get; init; } = [];

    /// <summary>Keys that could not be compared, in key order.</summary>
    public IReadOnlyList<CheckFailure> Failures { get; init; } = [];

    /// <summary>Entries either listing passed over (see <see cref="SyncReport.Skipped"/>), so the check could not consider them.</summary>
    public IReadOnlyList<SkippedEntry> Skipped { get; init; } = [];

    /// <summary>Keys the target lacks.</summary>
    public long MissingInTarget => Differences.LongCount(static d => d.Kind == CheckDifferenceKind.MissingInTarget);

    /// <summary>Keys the source lacks.</summary>
    public long MissingInSource => Differences.LongCount(static d => d.Kind == CheckDifferenceKind.MissingInSource);

    /// <summary>Keys both hold with different objects.</summary>
    public long Differing => Differences.LongCount(static d => d.Kind == CheckDifferenceKind.Differs);

    /// <summary>True when the stores hold the same objects: no difference, nothing that could not be compared, nothing passed over.</summary>
    public bool Same => Differences.Count == 0 && Failures.Count == 0 && Skipped.Count == 0;
}

/// <summary>
/// Tells whether two stores hold the same objects (rclone's <c>check</c>), reading both listings
/// together in key order so that neither is held in memory; only the differences are kept.
/// </summary>
public static class StoreCheck
{
    /// <summary>Compares <paramref name="source"/> with <paramref name="target"/>; see <see cref="CheckOptions"/>. Changes nothing.</summary>
    public static CheckReport Check(ObjectStore source, ObjectStore target, CheckOptions? options = null)
    {
        var run = new CheckRun(source, target, options ?? new CheckOptions());
        using var skipped = run.CollectSkipped();
        var pairs = ListingJoin.Pair(source.List(run.Options.Prefix), target.List(run.Options.Prefix), run.Selected);
        ListingJoin.ForEachInParallel(pairs, run.Options.Parallelism, run.Compare);
        return run.Report();
    }

    /// <inheritdoc cref="Check(ObjectStore, ObjectStore, CheckOptions?)"/>
    public static async Task<CheckReport> CheckAsync(ObjectStore source, ObjectStore target, CheckOptions? options = null, CancellationToken cancellationToken = default)
    {
        var run = new CheckRun(source, target, options ?? new CheckOptions());
        using var skipped = run.CollectSkipped();
        var pairs = ListingJoin.PairAsync(source.ListAsync(run.Options.Prefix, cancellationToken), target.ListAsync(run.Options.Prefix, cancellationToken),
            run.Selected, cancellationToken);
        await Parallel.ForEachAsync(pairs, new ParallelOptions { MaxDegreeOfParallelism = run.Options.Parallelism, CancellationToken = cancellationToken },
            run.CompareAsync).ConfigureAwait(false);
        return run.Report();
    }

    private sealed class CheckRun
    {
        private readonly ObjectStore _source;
        private readonly ObjectStore _target;
        private readonly bool _hashesCompare;
        private readonly ConcurrentQueue<CheckDifference> _differences = new();
        private readonly ConcurrentQueue<CheckFailure> _failures = new();
        private readonly ConcurrentQueue<SkippedEntry> _skipped = new();
        private long _matching, _sizeOnly;

        public CheckRun(ObjectStore source, ObjectStore target, CheckOptions options)
        {
            ArgumentNullException.ThrowIfNull(source);
            ArgumentNullException.ThrowIfNull(target);
            ArgumentNullException.ThrowIfNull(options);
            ArgumentOutOfRangeException.ThrowIfLessThan(options.Parallelism, 1, nameof(options.Parallelism));
            ObjectKey.ValidatePrefix(options.Prefix);
            options.Filter?.Validate();
            _source = source;
            _target = target;
            Options = options;
            _hashesCompare = source.ETagKind is { } kind && kind == target.ETagKind;
            Selected = ListingJoin.Selector(options.Filter, DateTimeOffset.UtcNow);
        }

        public CheckOptions Options { get; }

        public Func<ObjectInfo, bool>? Selected { get; }

        public IDisposable CollectSkipped() => ListingJoin.CollectSkipped(_source, _target, _skipped);

        public void Compare((ObjectInfo? Source, ObjectInfo? Target) pair)
        {
            var key = (pair.Source ?? pair.Target)!.Key;
            try
            {
                var verdict = Decide(pair);
                if (verdict == Verdict.ReadBodies) verdict = ContentComparison.Same(_source, _target, key) ? Verdict.Same : Verdict.Differs;
                Record(key, verdict);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                _failures.Enqueue(new CheckFailure(key, ex));
            }
        }

        public async ValueTask CompareAsync((ObjectInfo? Source, ObjectInfo? Target) pair, CancellationToken cancellationToken)
        {
            var key = (pair.Source ?? pair.Target)!.Key;
            try
            {
                var verdict = Decide(pair);
                if (verdict == Verdict.ReadBodies)
                    verdict = await ContentComparison.SameAsync(_source, _target, key, cancellationToken).ConfigureAwait(false) ? Verdict.Same : Verdict.Differs;
                Record(key, verdict);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                _failures.Enqueue(new CheckFailure(key, ex));
            }
        }

        public CheckReport Report() => new()
        {
            Matching = _matching,
            SizeOnly = _sizeOnly,
            Differences = _differences.OrderBy(static d => d.Key, KeyComparer.Utf8).ToList(),
            Failures = _failures.OrderBy(static f => f.Key, KeyComparer.Utf8).ToList(),
            Skipped = [.. _skipped],
        };

        private enum Verdict { Same, SameBySizeOnly, Differs, MissingInTarget, MissingInSource, Ignored, ReadBodies }

        // From the listings alone; ReadBodies leaves the answer to a byte comparison.
        private Verdict Decide((ObjectInfo? Source, ObjectInfo? Target) pair)
        {
            if (pair.Target is not { } target) return Verdict.MissingInTarget;
            if (pair.Source is not { } source) return Options.OneWay ? Verdict.Ignored : Verdict.MissingInSource;
            if (source.Size != target.Size) return Verdict.Differs;
            return Options.Compare switch
            {
                CheckCompare.Content => Verdict.ReadBodies,
                CheckCompare.Size => Verdict.Same,
                _ when _hashesCompare && source.ETag is not null && target.ETag is not null =>
                    string.Equals(source.ETag, target.ETag, StringComparison.Ordinal) ? Verdict.Same : Verdict.Differs,
                _ => Verdict.SameBySizeOnly,
            };
        }

        private void Record(string key, Verdict verdict)
        {
            switch (verdict)
            {
                case Verdict.SameBySizeOnly:
                    Interlocked.Increment(ref _sizeOnly);
                    Interlocked.Increment(ref _matching);
                    break;
                case Verdict.Same:
                    Interlocked.Increment(ref _matching);
                    break;
                case Verdict.Differs:
                    _differences.Enqueue(new CheckDifference(key, CheckDifferenceKind.Differs));
                    break;
                case Verdict.MissingInTarget:
                    _differences.Enqueue(new CheckDifference(key, CheckDifferenceKind.MissingInTarget));
                    break;
                case Verdict.MissingInSource:
                    _differences.Enqueue(new CheckDifference(key, CheckDifferenceKind.MissingInSource));
                    break;
            }
        }
    }
}
