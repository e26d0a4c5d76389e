using System.Text;
using ObjectStorage.Tests.Support;

namespace ObjectStorage.Tests.Conformance;

// A seekable stream's Length is a claim: /proc files say 0 and /sys files 4096 whatever they hold.
public abstract partial class StoreConformance
{
    [Theory]
    [InlineData(Api.Sync, 0), InlineData(Api.Async, 0)]
    [InlineData(Api.Sync, 100), InlineData(Api.Async, 100)]
    [InlineData(Api.Sync, 9000), InlineData(Api.Async, 9000)]
    public async Task Put_of_a_stream_stores_the_bytes_it_holds_not_the_length_it_claims(Api api, long claimed)
    {
        RequireWrite();
        var data = TestData.Bytes(3000, seed: 7);
        await Write(api).Put("claims", new LyingLengthStream(data, claimed));
        Assert.Equal(data, await On(api).Get("claims"));
        Assert.Equal(data.Length, (await On(api).Stat("claims"))!.Size);
    }

    [Theory, InlineData(Api.Sync), InlineData(Api.Async)]
    public async Task Put_of_a_proc_file_of_length_zero_stores_its_bytes(Api api)
    {
        RequireWrite();
        const string path = "/proc/self/status";
        Assert.SkipUnless(File.Exists(path), $"{path} exists only on Linux");
        using (var file = File.OpenRead(path))
        {
            Assert.True(file.CanSeek && file.Length == 0, "the kernel reports /proc files as seekable and 0 bytes long; this test needs that");
            await Write(api).Put("proc/status", file);
        }
        var stored = await On(api).Get("proc/status");
        Assert.StartsWith("Name:", Encoding.ASCII.GetString(stored));
        Assert.Equal(stored.Length, (await On(api).Stat("proc/status"))!.Size);
    }
}
