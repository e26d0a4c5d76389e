using ObjectStorage.Server;
using ObjectStorage.Tests.Conformance;
using ObjectStorage.Tests.Server;
using ObjectStorage.Tests.Support;

namespace ObjectStorage.Tests.Media;

/// <summary><c>objstore serve</c>'s server with anonymous read over a memory store, shared by the class.</summary>
public sealed class AnonymousServedFixture : IAsyncLifetime
{
    public ServedStores Served { get; private set; } = null!;

    public async ValueTask InitializeAsync() => Served = await ServedStores.StartAsync(["dict"], static o => o with { AnonymousRead = true });

    public async ValueTask DisposeAsync()
    {
        await Served.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}

/// <summary>
/// The whole conformance suite that a read-only store can run: the suite writes through BucketStore
/// (signed) into a served bucket, and reads every object back through HttpStore with plain GETs and HEADs.
/// </summary>
public sealed class HttpStoreConformance(AnonymousServedFixture fixture) : StoreConformance, IClassFixture<AnonymousServedFixture>
{
    private readonly string _prefix = S3TestServer.NewPrefix("http");
    private BucketStore? _writer;

    protected override ObjectStore CreateStore()
    {
        _writer = Track(new BucketStore(fixture.Served.StoreOptions("dict", _prefix, UploadMode.Plain)));
        return new HttpStore(new Uri($"{fixture.Served.Endpoint}/{ServedStores.BucketOf("dict")}/{_prefix}/"));
    }

    protected override ObjectStore Writer => _writer!;

    protected override int MaxKeyBytes => ObjectKey.MaxBytes - System.Text.Encoding.UTF8.GetByteCount(_prefix + "/");

    protected override long LargeObjectBytes => (20L << 20) + 12345;
}

public sealed class HttpStoreTests : IAsyncLifetime
{
    private PlainWebServer _server = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _server = await PlainWebServer.StartAsync();

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public void A_key_is_the_base_address_plus_its_segments_each_percent_encoded()
    {
        using var store = new HttpStore(new Uri("http://example.test/files"));
        Assert.Equal("http://example.test/files/a/b%20c%3Fd%23e", store.UrlOf("a/b c?d#e").AbsoluteUri);
        Assert.Equal("http://example.test/files/%2E%2E/x/%2E", store.UrlOf("../x/.").AbsoluteUri);
        Assert.Equal("http://example.test/files/a//b/%25", store.UrlOf("a//b/%").AbsoluteUri);
    }

    [Theory, InlineData(Api.Sync), InlineData(Api.Async)]
    public async Task Get_Stat_and_Exists_read_over_GET_and_HEAD_with_size_tag_and_time(Api api)
    {
        _server.Files["docs/read me.txt"] = "hello"u8.ToArray();
        var store = new StoreApi(new HttpStore(_server.Address), api);
        Assert.Equal("hello"u8.ToArray(), await store.Get("docs/read me.txt"));
        var info = (await store.Stat("docs/read me.txt"))!;
        Assert.Equal(5, info.Size);
        Assert.Equal("\"v1\"", info.ETag);
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.Zero), info.LastModified);
        Assert.False(await store.Exists("absent"));
        await Assert.ThrowsAsync<ObjectNotFoundException>(() => store.Get("absent"));
        Assert.Contains("GET /docs/read%20me.txt", _server.Requests);
        Assert.Contains("HEAD /docs/read%20me.txt", _server.Requests);
    }

    [Theory, InlineData(Api.Sync), InlineData(Api.Async)]
    public async Task Without_a_base_address_each_key_is_a_whole_URL_as_in_the_original(Api api)
    {
        _server.Files["object"] = [1, 2];
        var store = new StoreApi(new HttpStore(), api);
        Assert.Equal([1, 2], await store.Get(new Uri(_server.Address, "object").AbsoluteUri));
        var refused = await Assert.ThrowsAsync<InvalidKeyException>(() => store.Get("not-a-url"));
        Assert.Contains("absolute http or https URL", refused.Message);
    }

    [Theory, InlineData(Api.Sync), InlineData(Api.Async)]
    public async Task Stat_falls_back_to_GET_when_the_server_refuses_HEAD(Api api)
    {
        _server.Files["k"] = new byte[300];
        _server.HeadAllowed = false;
        var store = new StoreApi(new HttpStore(_server.Address), api);
        Assert.Equal(300, (await store.Stat("k"))!.Size);
        Assert.True(await store.Exists("k"));
        Assert.False(await store.Exists("absent"));
    }

    [Theory]
    [InlineData(Api.Sync, true), InlineData(Api.Async, true)]
    [InlineData(Api.Sync, false), InlineData(Api.Async, false)]
    public async Task A_ranged_read_sends_Range_and_gives_the_right_bytes_whether_or_not_the_server_honours_it(Api api, bool honoured)
    {
        _server.Files["r"] = TestData.Bytes(1000, seed: 4);
        _server.RangesHonoured = honoured;
        var store = new StoreApi(new HttpStore(_server.Address), api);
        await using (var part = await store.OpenRead("r", 100, 50))
        {
            var copy = new MemoryStream();
            await part.CopyToAsync(copy, Ct);
            Assert.Equal(TestData.Bytes(1000, seed: 4)[100..150], copy.ToArray());
        }
        await using (var past = await store.OpenRead("r", 2000, null)) Assert.Equal(-1, past.ReadByte());
    }

    [Theory, InlineData(Api.Sync), InlineData(Api.Async)]
    public async Task A_server_error_is_an_ObjectStoreException_naming_store_key_and_status(Api api)
    {
        var store = new StoreApi(new HttpStore(_server.Address), api);
        var failed = await Assert.ThrowsAsync<ObjectStoreException>(() => store.Get("fails"));
        Assert.Equal("fails", failed.Key);
        Assert.Contains("500", failed.Message);
        Assert.Contains("HttpStore(http://127.0.0.1:", failed.Message);
    }

    [Fact]
    public void Writes_deletes_and_listings_throw_NotSupported_naming_the_store()
    {
        using var store = new HttpStore(_server.Address);
        Assert.Contains("HttpStore", Assert.Throws<NotSupportedException>(() => store.Put("k", [1])).Message);
        Assert.Throws<NotSupportedException>(() => store.Delete("k"));
        Assert.Contains("listing", Assert.Throws<NotSupportedException>(() => store.Keys().ToList()).Message);
    }
}
