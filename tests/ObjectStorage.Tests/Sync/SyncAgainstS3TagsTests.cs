using Amazon.S3;
using ObjectStorage.Tests.Conformance;
using ObjectStorage.Tests.Support;

namespace ObjectStorage.Tests.Sync;

/// <summary>
/// Between a local medium and S3 (s3rver), where an S3 listing lacks the kept times: equal sizes are settled by the MD5
/// of the local bytes against the listed ETag, so an unchanged sync sends no request per object in either direction,
/// while a same-size edit on either side is still copied. Requests are counted at the SDK client of the real server.
/// </summary>
public sealed class SyncAgainstS3TagsTests : IDisposable
{
    private static readonly DateTimeOffset Then = new(2019, 5, 6, 7, 8, 9, TimeSpan.Zero);
    private readonly List<IDisposable> _cleanup = [];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        foreach (var item in _cleanup) item.Dispose();
    }

    public static TheoryData<string, bool, Api> LocalMediaBothWays()
    {
        var data = new TheoryData<string, bool, Api>();
        foreach (var medium in new[] { "memory", "filesystem", "hashdir", "sqlite", "zip" })
            foreach (var toS3 in new[] { true, false })
                foreach (var api in new[] { Api.Sync, Api.Async })
                    data.Add(medium, toS3, api);
        return data;
    }

    [Theory, MemberData(nameof(LocalMediaBothWays))]
    public async Task An_unchanged_sync_between_a_local_medium_and_S3_sends_no_request_per_object(string medium, bool toS3, Api api)
    {
        var (local, s3, calls) = Synced(medium);
        calls.Calls.Clear();

        var report = await Run(api, toS3 ? local : s3, toS3 ? s3 : local);

        Assert.Empty(report.Failures);
        Assert.Equal((0L, 0L, 6L), (report.Copied, report.Updated, report.Unchanged));
        Assert.Equal([nameof(IAmazonS3.ListObjectsV2Async)], Requests(calls).Distinct());
    }

    [Theory, MemberData(nameof(LocalMediaBothWays))]
    public async Task A_same_size_edit_on_either_side_is_still_copied(string medium, bool editLocal, Api api)
    {
        var (local, s3, calls) = Synced(medium);
        var edited = TestData.Bytes(300, seed: 99);
        if (editLocal) local.Put("d/2", edited, new PutOptions { LastModified = Then.AddMinutes(10) }.Keeping(local.MetadataSupport.Kept));
        else Other(s3).Put("d/2", edited); // another client: no kept time, S3 stamps the upload's
        calls.Calls.Clear();

        var report = await Run(api, local, s3);

        Assert.Empty(report.Failures);
        Assert.Equal((1L, 5L), (report.Updated, report.Unchanged));
        Assert.Equal(local.Get("d/2"), s3.Get("d/2"));
        // Only the object whose tag did not match was asked about.
        Assert.Single(calls.Calls, c => c.Method == nameof(IAmazonS3.GetObjectMetadataAsync));
    }

    [Fact]
    public void Equal_content_under_another_time_is_left_alone_both_ways()
    {
        var (local, s3, calls) = Synced("filesystem");
        local.Put("d/1", local.Get("d/1"), new PutOptions { LastModified = Then.AddDays(3) });
        calls.Calls.Clear();

        var there = StoreSync.Sync(local, s3);
        var back = StoreSync.Sync(s3, local);

        Assert.Equal((0L, 6L), (there.Updated, there.Unchanged));
        Assert.Equal((0L, 6L), (back.Updated, back.Unchanged));
        Assert.DoesNotContain(calls.Calls, c => c.Method == nameof(IAmazonS3.GetObjectMetadataAsync));
        // As rclone's --checksum does: the content is the same, so neither side's time is rewritten.
        Assert.Equal(Then.AddSeconds(7), s3.Stat("d/1")!.LastModified);
        Assert.Equal(Then.AddDays(3), local.Stat("d/1")!.LastModified);
    }

    [Theory, InlineData(Api.Sync), InlineData(Api.Async)]
    public async Task A_tag_that_is_no_MD5_is_settled_by_times_with_one_request_per_object(Api api)
    {
        // s3rver gives every object an MD5 tag; a multipart upload on S3 gets "<hash>-<parts>", which this view lists.
        var (local, s3, calls) = Synced("filesystem");
        calls.Calls.Clear();

        var report = await Run(api, local, new MultipartTagged(s3));

        Assert.Equal((0L, 6L), (report.Updated, report.Unchanged));
        Assert.Equal(6, calls.Calls.Count(c => c.Method == nameof(IAmazonS3.GetObjectMetadataAsync)));
    }

    [Theory]
    [InlineData("memory", true), InlineData("filesystem", true), InlineData("hashdir", true), InlineData("sqlite", true), InlineData("zip", true)]
    [InlineData("gzip(memory)", true), InlineData("prefix(memory)", true), InlineData("fanout(memory,memory)", true), InlineData("s3", false)]
    public void A_store_is_local_when_every_place_it_keeps_objects_is_on_this_machine(string medium, bool local)
    {
        Assert.Equal(local, SyncMedia.Create(medium, _cleanup).IsLocal);
    }

    [Fact]
    public void A_composite_with_one_remote_store_is_not_local()
    {
        var s3 = Track(new BucketStore(S3TestServer.S3rver.Options(S3TestServer.NewPrefix("mixed"))));
        Assert.False(Track(new FanoutStore(new DictStore(), s3)).IsLocal);
        Assert.False(Track(new CachingStore(s3, new DictStore())).IsLocal);
    }

    // A local medium with six objects of old times, synced into a fresh S3 prefix whose client counts its calls.
    private (ObjectStore Local, BucketStore S3, S3CallRecorder Calls) Synced(string medium)
    {
        var local = SyncMedia.Create(medium, _cleanup);
        for (int i = 0; i < 6; i++)
            local.Put($"d/{i}", TestData.Bytes(300, seed: i), new PutOptions { LastModified = Then.AddSeconds(i * 7) }.Keeping(local.MetadataSupport.Kept));
        var (client, calls) = S3CallRecorder.Wrap(Track(S3TestServer.S3rver.CreateClient()));
        var s3 = Track(new BucketStore(client, S3TestServer.S3rver.Options(S3TestServer.NewPrefix("tags"))));
        var first = StoreSync.Sync(local, s3);
        Assert.Equal(6, first.Copied);
        return (local, s3, calls);
    }

    // A second client over the same prefix, as another program would write.
    private BucketStore Other(BucketStore s3) => Track(new BucketStore(S3TestServer.S3rver.Options(s3.Prefix.TrimEnd('/'))));

    // The calls that went to the server (the store also reads the client's configuration).
    private static IEnumerable<string> Requests(S3CallRecorder calls) =>
        calls.Calls.Select(static c => c.Method).Where(static m => m.EndsWith("Async", StringComparison.Ordinal));

    private T Track<T>(T item) where T : IDisposable
    {
        _cleanup.Add(item);
        return item;
    }

    private static Task<SyncReport> Run(Api api, ObjectStore source, ObjectStore target) =>
        api == Api.Sync ? Task.FromResult(StoreSync.Sync(source, target)) : StoreSync.SyncAsync(source, target, cancellationToken: Ct);

    // The S3 store with each listed tag in a multipart upload's form.
    private sealed class MultipartTagged(ObjectStore inner) : WrapperStore(inner, leaveOpen: true)
    {
        protected override IEnumerable<ObjectInfo> ListCore(string prefix) => base.ListCore(prefix).Select(Retag);

        protected override async IAsyncEnumerable<ObjectInfo> ListAsyncCore(string prefix, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
        {
            await foreach (var info in base.ListAsyncCore(prefix, ct)) yield return Retag(info);
        }

        private static ObjectInfo Retag(ObjectInfo info) => info with { ETag = info.ETag!.TrimEnd('"') + "-1\"" };
    }
}
