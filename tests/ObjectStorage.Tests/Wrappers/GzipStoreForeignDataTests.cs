using System.IO.Compression;
using System.Text;
using ObjectStorage.Tests.Conformance;
using ObjectStorage.Tests.Support;

namespace ObjectStorage.Tests.Wrappers;

/// <summary>GzipStore over inner objects it did not write: several gzip members, decompression bombs, forged size records.</summary>
public sealed class GzipStoreForeignDataTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, InlineData(Api.Sync), InlineData(Api.Async)]
    public async Task A_multi_member_gzip_is_one_object_whose_Stat_List_and_Get_agree(Api api)
    {
        var inner = new DictStore();
        inner.Put("cat", [.. Gzip("hello"u8.ToArray()), .. Gzip("world"u8.ToArray())]);
        var store = new StoreApi(new GzipStore(inner), api);
        Assert.Equal("helloworld"u8.ToArray(), await store.Get("cat"));
        Assert.Equal(10, (await store.Stat("cat"))!.Size);
        Assert.Equal(10, Assert.Single(await store.List()).Size);
    }

    [Theory, InlineData(Api.Sync), InlineData(Api.Async)]
    public async Task Stat_of_an_object_this_store_wrote_reads_its_size_record_and_decompresses_nothing(Api api)
    {
        var inner = new DictStore();
        var store = new StoreApi(new GzipStore(inner), api);
        await store.Put("k", new MemoryStream(TestData.Bytes(5_000_000)));
        // Damage the deflate data: any decompression would now fail, so a size that still comes back was not decompressed.
        var stored = inner.Get("k");
        stored.AsSpan(stored.Length / 2, 1000).Fill(0xFF);
        inner.Put("k", stored);
        Assert.Equal(5_000_000, (await store.Stat("k"))!.Size);
        Assert.Equal(5_000_000, Assert.Single(await store.List()).Size);
        await Assert.ThrowsAsync<ObjectStoreException>(() => store.Get("k"));
    }

    [Theory, InlineData(Api.Sync), InlineData(Api.Async)]
    public async Task A_gzip_bomb_is_refused_fast_with_bounded_memory_naming_key_and_store(Api api)
    {
        // 3 GiB of zeros in 48 gzip members of 64 MiB: about 14 MB, as `head -c 3G /dev/zero | gzip -1` makes.
        var member = Gzip(new byte[64 << 20], CompressionLevel.Fastest);
        var bomb = new byte[member.Length * 48];
        for (int i = 0; i < 48; i++) member.CopyTo(bomb, i * member.Length);
        var inner = new DictStore();
        inner.Put("bomb", bomb);
        var gzip = new GzipStore(inner);
        var store = new StoreApi(gzip, api);

        long allocated = GC.GetTotalAllocatedBytes(precise: true);
        var failures = new List<ObjectStoreException>
        {
            await Assert.ThrowsAnyAsync<ObjectStoreException>(() => store.Get("bomb")),
            await Assert.ThrowsAnyAsync<ObjectStoreException>(() => store.Stat("bomb")),
            await Assert.ThrowsAnyAsync<ObjectStoreException>(async () =>
            {
                await using var stream = await store.OpenRead("bomb");
                await stream.CopyToAsync(Stream.Null, Ct);
            }),
        };
        // A listing reports it and goes on to the objects after it.
        inner.Put("calm", Gzip([1, 2, 3]));
        var skipped = new List<SkippedEntry>();
        gzip.EntrySkipped += (_, entry) => skipped.Add(entry);
        Assert.Equal(["calm"], (await store.List()).Select(i => i.Key));
        allocated = GC.GetTotalAllocatedBytes(precise: true) - allocated;
        TestContext.Current.TestOutputHelper?.WriteLine($"bomb {bomb.Length:N0} B -> 3 GiB: get, stat, read, list refused with {allocated:N0} B allocated: {failures[0].Message}");
        Assert.Equal("bomb", Assert.Single(skipped).Entry);
        Assert.Contains("decompression bomb", skipped[0].Reason);
        Assert.All(failures, ex =>
        {
            Assert.Equal("bomb", ex.Key);
            Assert.Equal(gzip.ToString(), ex.Store);
            Assert.Contains("decompression bomb", ex.Message);
            Assert.Contains("MaxExpansionRatio", ex.Message);
        });
        // Refused early, not after 3 GiB: each refusal says how far it decompressed, which bounds its work.
        Assert.All(failures, ex => Assert.InRange(ExpandedBytes(ex.Message), 1L << 20, 16L << 20));
        Assert.True(allocated < 64L << 20, $"refusing allocated {allocated:N0} bytes");
    }

    // The expanded byte count in an ExpansionLimit refusal: "... (12,345,678 bytes from 1,234 compressed, ...".
    private static long ExpandedBytes(string message)
    {
        var match = System.Text.RegularExpressions.Regex.Match(message, @"\(([\d,]+) bytes from ");
        Assert.True(match.Success, $"the refusal does not say how far it decompressed: {message}");
        return long.Parse(match.Groups[1].Value.Replace(",", ""), System.Globalization.CultureInfo.InvariantCulture);
    }

    [Theory, InlineData(Api.Sync), InlineData(Api.Async)]
    public async Task The_limits_are_options_a_byte_limit_refuses_even_at_a_low_ratio_our_own_zeros_read_back_and_a_higher_ratio_admits_foreign_ones(Api api)
    {
        var inner = new DictStore();
        var bounded = new StoreApi(new GzipStore(inner, new GzipStoreOptions { MaxExpandedBytes = 1 << 20 }, leaveOpen: true), api);
        await bounded.Put("random", TestData.Bytes(2 << 20));
        var ex = await Assert.ThrowsAnyAsync<ObjectStoreException>(() => bounded.Get("random"));
        Assert.Contains("MaxExpandedBytes", ex.Message);

        // What this store wrote ends in its size record, so its own 8 MiB of zeros (1000:1) read back at the default ratio.
        var strict = new StoreApi(new GzipStore(inner, leaveOpen: true), api);
        await strict.Put("zeros", new byte[8 << 20]);
        Assert.Equal(new byte[8 << 20], await strict.Get("zeros"));
        await using (var stream = await strict.OpenRead("zeros")) await stream.CopyToAsync(Stream.Null, Ct);
        // The same zeros gzipped elsewhere (no record) pass the ratio and are refused, until the ratio is raised.
        inner.Put("foreign-zeros", Gzip(new byte[8 << 20], CompressionLevel.Fastest));
        Assert.Contains("MaxExpansionRatio", (await Assert.ThrowsAnyAsync<ObjectStoreException>(() => strict.Get("foreign-zeros"))).Message);
        var trusting = new StoreApi(new GzipStore(inner, new GzipStoreOptions { MaxExpansionRatio = 2000 }, leaveOpen: true), api);
        Assert.Equal(new byte[8 << 20], await trusting.Get("foreign-zeros"));
        Assert.Throws<ArgumentOutOfRangeException>(() => new GzipStore(inner, new GzipStoreOptions { MaxExpansionRatio = 0 }));
    }

    [Theory, InlineData(Api.Sync), InlineData(Api.Async)]
    public async Task A_size_record_that_lies_fails_the_read_instead_of_disagreeing_in_silence(Api api)
    {
        var inner = new DictStore();
        var store = new StoreApi(new GzipStore(inner), api);
        await store.Put("real", "hi"u8.ToArray());
        var record = inner.Get("real")[^34..];
        inner.Put("forged", [.. Gzip("hello world"u8.ToArray()), .. record]);
        Assert.Equal(2, (await store.Stat("forged"))!.Size);
        var ex = await Assert.ThrowsAsync<ObjectStoreException>(() => store.Get("forged"));
        Assert.Contains("size record says 2 bytes but it expands to 11", ex.Message);
    }

    [Fact]
    public void Objects_it_writes_are_plain_gzip_for_other_readers()
    {
        var inner = new DictStore();
        using var store = new GzipStore(inner);
        store.Put("text", Encoding.UTF8.GetBytes("plain text"));
        using var gunzip = new GZipStream(new MemoryStream(inner.Get("text")), CompressionMode.Decompress);
        using var plain = new StreamReader(gunzip);
        Assert.Equal("plain text", plain.ReadToEnd());
    }

    private static byte[] Gzip(byte[] data, CompressionLevel level = CompressionLevel.Optimal)
    {
        var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, level)) gzip.Write(data);
        return buffer.ToArray();
    }
}
