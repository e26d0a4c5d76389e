using ObjectStorage.Tests.Conformance;
using ObjectStorage.Tests.Support;

namespace ObjectStorage.Tests.Media;

public sealed class DictStoreConformance : StoreConformance
{
    protected override ObjectStore CreateStore() => new DictStore();
}

public sealed class DictStoreStreamPutTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData((1 << 20) - 1)]
    [InlineData(1 << 20)]
    [InlineData((5 << 19) + 3)]
    public void A_stream_of_unknown_length_is_kept_whole_across_chunk_boundaries(int length)
    {
        var store = new DictStore();
        store.Put("k", new PatternStream(length));
        var expected = new byte[length];
        new PatternStream(length).ReadExactly(expected);
        Assert.Equal(expected, store.Get("k"));
    }

    [Fact]
    public void A_seekable_stream_is_read_from_its_position_to_its_end()
    {
        var store = new DictStore();
        var bytes = TestData.Bytes(3000);
        using var stream = new MemoryStream(bytes) { Position = 1000 };
        store.Put("k", stream);
        Assert.Equal(bytes[1000..], store.Get("k"));
    }

    [Theory]
    [InlineData(10)]
    [InlineData(5000)]
    public void A_seekable_stream_whose_length_is_wrong_is_read_to_its_real_end(long claimed)
    {
        var store = new DictStore();
        var bytes = TestData.Bytes(3000);
        store.Put("k", new LyingLengthStream(bytes, claimed));
        Assert.Equal(bytes, store.Get("k"));
    }
}
