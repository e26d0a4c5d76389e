using ObjectStorage.Tests.Support;

namespace ObjectStorage.Tests.Sync;

/// <summary>
/// Between every ordered pair of media: a sync keeps times (and content types and user metadata
/// where both sides keep them), a sync back the other way copies nothing, and a same-size edit on
/// either side after the sync, older or newer, is found. Times are set explicitly, never slept for.
/// </summary>
public sealed class SyncConvergenceTests : IDisposable
{
    private static readonly DateTimeOffset Then = new DateTimeOffset(2019, 5, 6, 7, 8, 9, TimeSpan.Zero).AddTicks(1_234_567);
    private readonly List<IDisposable> _cleanup = [];

    public void Dispose()
    {
        foreach (var item in _cleanup) item.Dispose();
    }

    public static TheoryData<string, string> Pairs() => [.. SyncMedia.Pairs.Select(p => (p.Source, p.Target))];

    public static TheoryData<string, string, bool> PairsAndSides()
    {
        var data = new TheoryData<string, string, bool>();
        foreach (var (source, target) in SyncMedia.Pairs)
        {
            data.Add(source, target, true);
            data.Add(source, target, false);
        }
        return data;
    }

    [Theory, MemberData(nameof(Pairs))]
    public void A_sync_back_the_other_way_copies_nothing(string sourceMedium, string targetMedium)
    {
        var (a, b) = Filled(sourceMedium, targetMedium);
        var there = StoreSync.Sync(a, b);
        Assert.Equal(5, there.Copied);

        var back = StoreSync.Sync(b, a);
        var again = StoreSync.Sync(a, b);

        Assert.Empty(back.Failures);
        Assert.Equal((0L, 0L, 5L), (back.Copied, back.Updated, back.Unchanged));
        Assert.Equal((0L, 0L, 5L), (again.Copied, again.Updated, again.Unchanged));
    }

    [Theory, MemberData(nameof(PairsAndSides))]
    public async Task A_same_size_edit_on_either_side_after_a_sync_is_found(string sourceMedium, string targetMedium, bool editSource)
    {
        var (source, target) = Filled(sourceMedium, targetMedium);
        await StoreSync.SyncAsync(source, target, cancellationToken: TestContext.Current.CancellationToken);
        var edited = editSource ? source : target;
        Assert.SkipUnless(edited.MetadataSupport.Keeps(MetadataKinds.ModificationTime), $"{edited} cannot be given a time");
        var other = editSource ? target : source;
        Assert.SkipUnless(other.MetadataSupport.Keeps(MetadataKinds.ModificationTime) || (source.ETagKind is { } kind && kind == target.ETagKind),
            $"{other} keeps no times and no hash comparable with {edited}'s: a same-size edit is found only with SyncCompare.Content (docs/stores/redis.md)");
        // An edit that carries an older time than the copy's is as much a change as a newer one.
        var editTime = editSource ? Then.AddMinutes(10) : Then.AddMinutes(-10);
        edited.Put("d/2", TestData.Bytes(300, seed: 99), new PutOptions { LastModified = editTime });

        var report = await StoreSync.SyncAsync(source, target, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(1, report.Updated);
        Assert.Equal(source.Get("d/2"), target.Get("d/2"));
        Assert.Equal(0, StoreSync.Sync(target, source).Updated);
    }

    [Theory, MemberData(nameof(Pairs))]
    public void Times_and_metadata_survive_within_both_media_precisions(string sourceMedium, string targetMedium)
    {
        var (source, target) = Filled(sourceMedium, targetMedium);
        StoreSync.Sync(source, target);

        var from = source.MetadataSupport;
        var to = target.MetadataSupport;
        var window = from.TimePrecision > to.TimePrecision ? from.TimePrecision : to.TimePrecision;
        foreach (var key in source.Keys())
        {
            var original = source.Stat(key)!;
            var copy = target.Stat(key)!;
            if (to.Keeps(MetadataKinds.ModificationTime) && original.LastModified is { } time)
                Assert.True((copy.LastModified!.Value - time).Duration() <= window, $"{key}: {copy.LastModified:O} in {target}, {time:O} in {source}");
            if (from.Keeps(MetadataKinds.ContentType) && to.Keeps(MetadataKinds.ContentType))
                Assert.Equal(original.ContentType, copy.ContentType);
            if (from.Keeps(MetadataKinds.UserMetadata) && to.Keeps(MetadataKinds.UserMetadata))
                Assert.Equal(original.Metadata, copy.Metadata);
        }
    }

    // Five objects with old times, and a content type and user metadata where the source keeps them.
    private (ObjectStore Source, ObjectStore Target) Filled(string sourceMedium, string targetMedium)
    {
        var source = SyncMedia.Create(sourceMedium, _cleanup);
        var target = SyncMedia.Create(targetMedium, _cleanup);
        var options = new PutOptions
        {
            ContentType = "text/plain",
            Metadata = new Dictionary<string, string> { ["origin"] = sourceMedium },
            LastModified = Then,
        }.Keeping(source.MetadataSupport.Kept);
        for (int i = 0; i < 5; i++)
            source.Put($"d/{i}", TestData.Bytes(300, seed: i), options with { LastModified = options.LastModified?.AddSeconds(i * 7) });
        return (source, target);
    }
}
