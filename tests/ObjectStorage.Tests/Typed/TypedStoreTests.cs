using System.Text;
using System.Text.Json.Serialization;
using ObjectStorage.Tests.Support;

namespace ObjectStorage.Tests.Typed;

public sealed record Order(string Id, decimal Total, IReadOnlyList<string> Items);

[JsonSerializable(typeof(Order))]
internal sealed partial class TestJson : JsonSerializerContext;

public sealed class TypedStoreTests : IDisposable
{
    private readonly TempDirectory _dir = new("typed");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Json_view_round_trips_a_record_through_a_source_generated_context_sync_and_async()
    {
        using var store = new FilesystemStore(_dir.Path);
        var orders = store.Json(TestJson.Default.Order);
        var order = new Order("o-1", 12.5m, ["pen", "ink"]);
        orders.Put("orders/1.json", order);
        await orders.PutAsync("orders/2.json", order with { Id = "o-2" }, Ct);
        Assert.Equal(order.Id, orders.Get("orders/1.json").Id);
        Assert.Equal(["pen", "ink"], (await orders.GetAsync("orders/2.json", Ct)).Items);
        Assert.Equal("""{"Id":"o-1","Total":12.5,"Items":["pen","ink"]}""", File.ReadAllText(_dir.File("orders/1.json")));
    }

    [Fact]
    public void Json_view_names_key_and_type_when_the_bytes_are_not_its_json()
    {
        using var store = new DictStore();
        store.Put("bad", "{not json"u8.ToArray());
        store.Put("null", "null"u8.ToArray());
        var orders = store.Json(TestJson.Default.Order);
        var bad = Assert.Throws<ObjectDecodeException>(() => orders.Get("bad"));
        Assert.Equal("bad", bad.Key);
        Assert.Equal(typeof(Order), bad.Type);
        Assert.Contains("JSON of Order", bad.Message);
        Assert.Contains("\"bad\"", bad.Message);
        Assert.Contains("JSON null", Assert.Throws<ObjectDecodeException>(() => orders.Get("null")).Message);
    }

    [Fact]
    public void Text_view_stores_utf8_without_a_byte_order_mark_and_refuses_invalid_utf8()
    {
        using var store = new DictStore();
        store.Text().Put("greeting", "héllo ✓");
        Assert.Equal(Encoding.UTF8.GetBytes("héllo ✓"), store.Get("greeting"));
        Assert.Equal("héllo ✓", store.Text().Get("greeting"));
        store.Put("latin1", [0x68, 0xE9]);
        Assert.IsType<DecoderFallbackException>(Assert.Throws<ObjectDecodeException>(() => store.Text().Get("latin1")).InnerException);
        Assert.Equal("hé", store.Text(Encoding.Latin1).Get("latin1"));
    }

    [Fact]
    public void Base64_view_writes_what_python_b64encode_writes_and_reads_it_back()
    {
        using var store = new DictStore();
        // base64.b64encode(b"binary data\x00\xff") == b"YmluYXJ5IGRhdGEA/w=="
        store.Base64().Put("k", [.. "binary data"u8, 0x00, 0xFF]);
        Assert.Equal("YmluYXJ5IGRhdGEA/w==", Encoding.ASCII.GetString(store.Get("k")));
        Assert.Equal([.. "binary data"u8, 0x00, 0xFF], store.Base64().Get("k"));
        store.Put("bad", "not base64!"u8.ToArray());
        Assert.Throws<ObjectDecodeException>(() => store.Base64().Get("bad"));
    }

    [Fact]
    public void TryGet_is_false_for_a_missing_key_and_Get_throws_not_found()
    {
        using var store = new DictStore();
        Assert.False(store.Text().TryGet("missing", out _));
        Assert.Throws<ObjectNotFoundException>(() => store.Text().Get("missing"));
        store.Text().Put("there", "x");
        Assert.True(store.Text().TryGet("there", out var value));
        Assert.Equal("x", value);
    }

    [Fact]
    public async Task Put_carries_metadata_to_the_store()
    {
        using var store = new DictStore();
        store.Text().Put("page", "<p>hi</p>", new PutOptions { ContentType = "text/html" });
        await store.Text().PutAsync("page2", "<p>hi</p>", new PutOptions { ContentType = "text/html" }, Ct);
        Assert.Equal("text/html", store.Stat("page")!.ContentType);
        Assert.Equal("text/html", store.Stat("page2")!.ContentType);
    }

    public void Dispose() => _dir.Dispose();
}
