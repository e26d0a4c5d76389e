using System.IO.Compression;
using ObjectStorage.Tests.Conformance;
using ObjectStorage.Tests.Support;

namespace ObjectStorage.Tests.Core;

/// <summary>The base class's fallbacks for the extras, on media that have no native form of them.</summary>
public sealed class BatchFallbackTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string, Api> Media => new() { { "dict", Api.Sync }, { "dict", Api.Async }, { "async-only", Api.Sync }, { "async-only", Api.Async } };

    private static ObjectStore New(string medium) => medium == "dict" ? new DictStore() : new AsyncOnlyStore();

    [Theory, MemberData(nameof(Media))]
    public async Task Prefix_delete_lists_and_deletes_across_batches_until_nothing_is_left(string medium, Api api)
    {
        using var store = New(medium);
        store.PutMany(Enumerable.Range(0, 2500).Select(i => KeyValuePair.Create($"x/{i:D4}", (ReadOnlyMemory<byte>)new byte[] { 1 })));
        store.Put("y/kept", [1]);

        long deleted = api == Api.Sync ? store.DeletePrefix("x/") : await store.DeletePrefixAsync("x/", Ct);

        Assert.Equal(2500, deleted);
        Assert.Equal(["y/kept"], store.Keys());
        Assert.False(store.IsDeleteManyNative);
    }

    [Fact]
    public void Prefix_delete_over_a_store_whose_deletes_do_not_take_names_the_stuck_key()
    {
        using var store = new UndeletableStore();
        store.PutMany(Enumerable.Range(0, 1000).Select(i => KeyValuePair.Create($"k/{i:D4}", (ReadOnlyMemory<byte>)new byte[] { 1 })));
        var error = Assert.Throws<ObjectStoreException>(() => store.DeletePrefix(""));
        Assert.Equal("k/0000", error.Key);
        Assert.Contains("still listed", error.Message);
    }

    [Fact]
    public void Ranged_read_over_a_stream_that_cannot_seek_skips_to_the_offset()
    {
        using var store = new ForwardOnlyStore(TestData.Bytes(300_000, seed: 2));
        using var range = store.OpenRead("k", 200_000, 5);
        var got = new byte[10];
        Assert.Equal(5, range.ReadAtLeast(got, 10, throwOnEndOfStream: false));
        Assert.Equal(TestData.Bytes(300_000, seed: 2).AsSpan(200_000, 5).ToArray(), got[..5]);
        Assert.False(range.CanSeek);
    }

    // Deletes succeed but change nothing, as a medium with a lagging listing would look.
    private sealed class UndeletableStore : DictStore
    {
        protected override void DeleteCore(string key) { }
    }

    // One object, read only through a decompressor, a stream that goes forward only (as a network body does).
    private sealed class ForwardOnlyStore(byte[] data) : ObjectStore
    {
        private readonly byte[] _compressed = Compress(data);

        protected override byte[]? GetCore(string key) => key == "k" ? data : null;

        protected override Stream? OpenReadCore(string key) =>
            key == "k" ? new GZipStream(new MemoryStream(_compressed), CompressionMode.Decompress) : null;

        private static byte[] Compress(byte[] data)
        {
            var buffer = new MemoryStream();
            using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true)) gzip.Write(data);
            return buffer.ToArray();
        }
    }
}
