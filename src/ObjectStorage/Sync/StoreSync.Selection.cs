namespace ObjectStorage;

// What a sync may touch: the filter (SyncOptions.Filter) and the limit on deletes (SyncOptions.MaxDelete).
public static partial class StoreSync
{
    private sealed partial class SyncRun
    {
        private long _deletesClaimed;

        /// <summary>Drops the pairs the filter does not select; null when there is no filter.</summary>
        public Func<ObjectInfo, bool>? Selected { get; }

        private static Func<ObjectInfo, bool>? PrepareSelection(SyncOptions options)
        {
            if (options.MaxDelete is < 0) throw new ArgumentOutOfRangeException(nameof(options), options.MaxDelete, "SyncOptions.MaxDelete must not be negative.");
            options.Filter?.Validate();
            // One moment for every age in the run, so that a slow listing does not move the bounds.
            return ListingJoin.Selector(options.Filter, DateTimeOffset.UtcNow);
        }

        // Before anything changes: a sync that would delete more than the limit is refused whole.
        // A dry run goes on instead, and its report says the limit is exceeded.
        public void ThrowIfTooManyDeletes()
        {
            if (Options.MaxDelete is not { } limit || !Options.DeleteExtraneous || Options.DryRun) return;
            long deletes = ListingJoin.Pair(_source.List(Options.Prefix), _target.List(Options.Prefix), Selected).LongCount(static p => p.Source is null);
            if (deletes > limit) throw new TooManyDeletesException(_target, deletes, limit, beforeAnyDelete: true);
        }

        /// <inheritdoc cref="ThrowIfTooManyDeletes"/>
        public async ValueTask ThrowIfTooManyDeletesAsync(CancellationToken cancellationToken)
        {
            if (Options.MaxDelete is not { } limit || !Options.DeleteExtraneous || Options.DryRun) return;
            long deletes = 0;
            await foreach (var pair in ListingJoin.PairAsync(_source.ListAsync(Options.Prefix, cancellationToken), _target.ListAsync(Options.Prefix, cancellationToken),
                               Selected, cancellationToken).ConfigureAwait(false))
                if (pair.Source is null) deletes++;
            if (deletes > limit) throw new TooManyDeletesException(_target, deletes, limit, beforeAnyDelete: true);
        }

        // The count above was taken before the sync; objects deleted from the source since then must
        // not carry the sync past the limit, so every delete takes a place under it first.
        private void ClaimDelete()
        {
            if (Options.MaxDelete is not { } limit) return;
            long claimed = Interlocked.Increment(ref _deletesClaimed);
            if (claimed > limit) throw new TooManyDeletesException(_target, claimed, limit, beforeAnyDelete: false);
        }
    }
}
