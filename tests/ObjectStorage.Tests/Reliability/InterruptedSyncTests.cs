using ObjectStorage.Tests.Support;

namespace ObjectStorage.Tests.Reliability;

/// <summary>
/// A sync between real media interrupted half-way (the target's puts start failing, the run is
/// cancelled, or the source fails in the middle of an object's body), the stores closed and opened
/// again from disk, and the sync rerun: the rerun converges, every object is byte-exact, and at no
/// point did a key hold anything but its old bytes or its new ones. Composites/StoreSyncTests
/// covers the same over memory with exact counts; this is the same promise on files and S3.
/// </summary>
public sealed class InterruptedSyncTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Opens (or opens again) a medium whose data lives in the directory given.</summary>
    private static readonly Dictionary<string, Func<string, ObjectStore>> Media = new()
    {
        ["filesystem"] = dir => new FilesystemStore(Path.Combine(dir, "root")),
        ["hashdir"] = dir => new HashdirStore(Path.Combine(dir, "root")),
        ["sqlite"] = dir => new SqliteStore(Path.Combine(dir, "objects.db")),
        ["zip"] = dir => new ZipStore(Path.Combine(dir, "objects.zip")),
        ["s3"] = dir => new BucketStore(S3TestServer.S3rver.Options("interrupted/" + Path.GetFileName(dir))),
    };

    private static readonly (string Source, string Target)[] Pairs = [("filesystem", "sqlite"), ("sqlite", "zip"), ("zip", "hashdir"), ("filesystem", "s3")];

    public enum Interruption { TargetPutsFailAfterEight, CancelledAfterEightPuts, SourceBodyFailsHalfWay }

    public static TheoryData<string, string, Interruption> Runs()
    {
        var data = new TheoryData<string, string, Interruption>();
        foreach (var (source, target) in Pairs)
            foreach (var interruption in Enum.GetValues<Interruption>())
                data.Add(source, target, interruption);
        return data;
    }

    private const int Count = 24;

    private static string Key(int i) => $"d/{i:D2}";

    // Sizes from empty to 1 MiB; seeds differ between source and the target's stale copies.
    private static byte[] SourceBytes(int i) => TestData.Bytes(i == 0 ? 0 : i == 13 ? 1 << 20 : i % 6 == 5 ? 300_000 : i * 1000 + 1, seed: i);

    private static byte[] StaleBytes(int i) => TestData.Bytes(i * 700 + 3, seed: 1000 + i);

    [Theory, MemberData(nameof(Runs))]
    public async Task An_interrupted_sync_reruns_to_identical_stores_with_nothing_lost(string sourceMedium, string targetMedium, Interruption interruption)
    {
        if (targetMedium == "s3" || sourceMedium == "s3") S3TestServer.S3rver.RequireEndpoint();
        using var sourceDir = new TempDirectory("interrupted-src");
        using var targetDir = new TempDirectory("interrupted-dst");
        var expected = Enumerable.Range(0, Count).ToDictionary(Key, SourceBytes);
        // The target starts with six equal objects, three stale ones and one the source does not have.
        var before = new Dictionary<string, byte[]>();
        for (int i = 0; i < 6; i++) before[Key(i)] = SourceBytes(i);
        for (int i = 6; i < 9; i++) before[Key(i)] = StaleBytes(i);
        before["zz/extra"] = [42];
        // The equal objects are copies as a sync leaves them, with their source's time; the stale ones were written since.
        var copied = new PutOptions { LastModified = new DateTimeOffset(2020, 2, 2, 2, 2, 2, TimeSpan.Zero) };
        using (var source = Media[sourceMedium](sourceDir.Path))
            foreach (var (key, data) in expected) source.Put(key, data, copied);
        using (var target = Media[targetMedium](targetDir.Path))
            foreach (var (key, data) in before) target.Put(key, data, expected.TryGetValue(key, out var same) && same.AsSpan().SequenceEqual(data) ? copied : PutOptions.None);

        int faults = await InterruptedRun(sourceMedium, sourceDir.Path, targetMedium, targetDir.Path, interruption);

        // Closed and opened again: every key holds its old bytes or its new ones, and the source is untouched.
        long changed = 0;
        using (var target = Media[targetMedium](targetDir.Path))
        {
            foreach (var key in target.Keys())
            {
                var now = target.Get(key);
                bool isOld = before.TryGetValue(key, out var old) && old.AsSpan().SequenceEqual(now);
                bool isNew = expected.TryGetValue(key, out var @new) && @new.AsSpan().SequenceEqual(now);
                Assert.True(isOld || isNew, $"after the interrupted sync {key} holds {now.Length} bytes that are neither its old nor its new value");
                if (!isOld) changed++;
            }
            foreach (var key in before.Keys.Where(k => k.StartsWith("d/", StringComparison.Ordinal))) Assert.True(target.Exists(key), $"{key} was lost");
        }
        Assert.InRange(changed, 1, Count - 1);
        AssertHolds(Media[sourceMedium](sourceDir.Path), expected);

        var api = interruption == Interruption.SourceBodyFailsHalfWay ? "sync" : "async";
        using (var source = Media[sourceMedium](sourceDir.Path))
        using (var target = Media[targetMedium](targetDir.Path))
        {
            var options = new SyncOptions { DeleteExtraneous = true, Parallelism = 3 };
            var rerun = api == "sync" ? StoreSync.Sync(source, target, options) : await StoreSync.SyncAsync(source, target, options, Ct);
            Assert.True(rerun.Succeeded, string.Join("; ", rerun.Failures.Select(f => $"{f.Key}: {f.Error.Message}")));
            var again = StoreSync.Sync(source, target, options);
            Assert.Equal((0L, 0L, 0L, (long)Count), (again.Copied, again.Updated, again.Deleted, again.Unchanged));
        }
        AssertHolds(Media[targetMedium](targetDir.Path), expected);
        AssertHolds(Media[sourceMedium](sourceDir.Path), expected);
        TestContext.Current.TestOutputHelper?.WriteLine($"{sourceMedium} -> {targetMedium}, {interruption}: {faults} faults injected, {changed} keys changed before the interruption, 0 objects lost");
        if (targetMedium == "s3") using (var target = Media[targetMedium](targetDir.Path)) target.DeletePrefix("");
    }

    // Runs the first sync and interrupts it; returns how many faults were injected.
    private static async Task<int> InterruptedRun(string sourceMedium, string sourceDir, string targetMedium, string targetDir, Interruption interruption)
    {
        using var source = Media[sourceMedium](sourceDir);
        using var target = Media[targetMedium](targetDir);
        var faulty = new FaultyStore(target);
        var options = new SyncOptions { DeleteExtraneous = true, Parallelism = 3 };
        switch (interruption)
        {
            case Interruption.TargetPutsFailAfterEight:
            {
                faulty.FailOn(StoreOp.PutStream, after: 8).FailOn(StoreOp.Put, after: 8);
                var report = StoreSync.Sync(source, faulty, options);
                Assert.False(report.Succeeded);
                Assert.All(report.Failures, f => Assert.Equal(f.Key, Assert.IsType<ObjectStoreException>(f.Error).Key));
                return report.Failures.Count;
            }
            case Interruption.CancelledAfterEightPuts:
            {
                using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
                int puts = 0;
                faulty.Before(StoreOp.PutStream, _ => { if (Interlocked.Increment(ref puts) == 8) cts.Cancel(); });
                await Assert.ThrowsAnyAsync<OperationCanceledException>(() => StoreSync.SyncAsync(source, faulty, options, cts.Token));
                return 1;
            }
            case Interruption.SourceBodyFailsHalfWay:
            {
                // d/07 is stale in the target: the failed copy must leave the stale bytes, not a torn mix.
                var tripwire = new TripwireStore(source, Key(7), at: 3000, _ => throw new IOException("injected: the source failed part-way through d/07"));
                var report = await StoreSync.SyncAsync(tripwire, faulty, options, Ct);
                Assert.True(tripwire.Fired);
                var failure = Assert.Single(report.Failures);
                Assert.Equal(Key(7), failure.Key);
                Assert.Equal(StaleBytes(7), target.Get(Key(7)));
                return 1;
            }
            default:
                throw new ArgumentOutOfRangeException(nameof(interruption));
        }
    }

    private static void AssertHolds(ObjectStore store, Dictionary<string, byte[]> expected)
    {
        using (store)
        {
            Assert.Equal(expected.Keys.Order(KeyComparer.Utf8), store.Keys().ToList());
            foreach (var (key, data) in expected)
                Assert.True(data.AsSpan().SequenceEqual(store.Get(key)), $"{store}: {key} is not byte-exact");
        }
    }
}
