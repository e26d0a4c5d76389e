using ObjectStorage.Tests.Support;

namespace ObjectStorage.Tests.Conformance;

public abstract partial class StoreConformance
{
    private const int Writers = 8;

    [Theory, InlineData(Api.Sync), InlineData(Api.Async)]
    public async Task Eight_concurrent_writers_on_distinct_keys_all_land(Api api)
    {
        RequireWrite();
        await Task.WhenAll(Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            for (int i = 0; i < 10; i++) await Write(api).Put($"w{w}/o{i}", TestData.Bytes(1000 + i, seed: w * 100 + i));
        }, Ct)));
        for (int w = 0; w < Writers; w++)
            for (int i = 0; i < 10; i++)
                Assert.Equal(TestData.Bytes(1000 + i, seed: w * 100 + i), await On(api).Get($"w{w}/o{i}"));
        if (Store.CanList) Assert.Equal(Writers * 10, (await KeysOf(api)).Count);
    }

    [Theory, InlineData(Api.Sync), InlineData(Api.Async)]
    public async Task Eight_concurrent_writers_on_one_key_leave_one_complete_version(Api api)
    {
        RequireWrite();
        const int size = 96 * 1024;
        static byte[] VersionOf(int writer, int round) => Enumerable.Repeat((byte)(writer * 16 + round), size).ToArray();
        await Write(api).Put("contended", VersionOf(0, 0));
        using var stop = new CancellationTokenSource();
        var torn = new List<string>();
        var reader = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var seen = await On(api).Get("contended");
                if (seen.Length != size || seen.Any(b => b != seen[0]))
                    lock (torn) torn.Add($"length {seen.Length}, first byte {seen.FirstOrDefault()}, distinct {seen.Distinct().Count()}");
            }
        }, Ct);
        await Task.WhenAll(Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            for (int round = 1; round <= 4; round++) await Write(api).Put("contended", VersionOf(w, round));
        }, Ct)));
        await stop.CancelAsync();
        await reader;
        Assert.Empty(torn);
        var final = await On(api).Get("contended");
        Assert.Equal(size, final.Length);
        Assert.All(final, b => Assert.Equal(final[0], b));
        Assert.Equal(4, final[0] % 16);
    }

    [Fact]
    public async Task Concurrent_PutIfNotExists_has_exactly_one_winner()
    {
        RequireWrite();
        Assert.SkipUnless(Store.CanPutIfNotExists, $"{Store} has no create-only put (CanPutIfNotExists is false)");
        var results = await Task.WhenAll(Enumerable.Range(0, Writers).Select(w =>
            Task.Run(async () => await Store.PutIfNotExistsAsync("once", new[] { (byte)w }, Ct), Ct)));
        Assert.Equal(1, results.Count(r => r));
        var winner = Array.IndexOf(results, true);
        Assert.Equal([(byte)winner], Store.Get("once"));
    }
}
