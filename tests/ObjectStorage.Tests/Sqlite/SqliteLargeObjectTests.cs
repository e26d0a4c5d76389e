using System.Diagnostics;
using ObjectStorage.Tests.Support;

namespace ObjectStorage.Tests.Sqlite;

[CollectionDefinition(DisableParallelization = true)]
public sealed class SqliteMemoryMeasurement;

/// <summary>
/// A large object streams in and out through incremental blob I/O without being held in one array. Runs alone so
/// that the process's working set reflects this test only. 256 MiB here; the 1 GB figure is in docs/benchmarks.md.
/// </summary>
[Collection(typeof(SqliteMemoryMeasurement))]
public sealed class SqliteLargeObjectTests : IDisposable
{
    private const long Size = 256L << 20;
    private const long Budget = 64L << 20;

    private readonly TempDirectory _dir = new("sqlite-large");

    public void Dispose() => _dir.Dispose();

    [Theory, InlineData(false), InlineData(true)]
    public void Put_and_read_of_256_MiB_allocate_and_grow_the_working_set_by_far_less(bool seekableSource)
    {
        using var store = new SqliteStore(_dir.File("large.db"));
        using var source = seekableSource ? (Stream)new FileStream(WritePatternFile(), FileMode.Open, FileAccess.Read) : new PatternStream(Size);

        var (putAllocated, putGrowth) = Measure(() => store.Put("large", source));
        var (readAllocated, readGrowth) = Measure(() =>
        {
            using var stream = store.OpenRead("large");
            Assert.Null(PatternStream.Compare(stream, Size));
        });

        TestContext.Current.TestOutputHelper?.WriteLine(
            $"put: {putAllocated >> 20} MiB allocated, working set +{putGrowth >> 20} MiB; read: {readAllocated >> 20} MiB allocated, +{readGrowth >> 20} MiB");
        Assert.Equal(Size, store.Stat("large")!.Size);
        Assert.True(putAllocated < Budget, $"put allocated {putAllocated:N0} bytes");
        Assert.True(readAllocated < Budget, $"read allocated {readAllocated:N0} bytes");
        Assert.True(putGrowth < Budget, $"put grew the working set by {putGrowth:N0} bytes");
        Assert.True(readGrowth < Budget, $"read grew the working set by {readGrowth:N0} bytes");
    }

    private string WritePatternFile()
    {
        var path = _dir.File("pattern.bin");
        using var file = File.Create(path);
        new PatternStream(Size).CopyTo(file);
        return path;
    }

    // Bytes this thread allocated and the peak rise of the process's working set while the action ran.
    private static (long Allocated, long Growth) Measure(Action action)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        using var process = Process.GetCurrentProcess();
        long baseline = process.WorkingSet64, peak = baseline;
        using var done = new ManualResetEventSlim();
        var sampler = new Thread(() =>
        {
            do
            {
                process.Refresh();
                peak = Math.Max(peak, process.WorkingSet64);
            } while (!done.Wait(10));
        });
        sampler.Start();
        long before = GC.GetAllocatedBytesForCurrentThread();
        try
        {
            action();
        }
        finally
        {
            done.Set();
            sampler.Join();
        }
        return (GC.GetAllocatedBytesForCurrentThread() - before, peak - baseline);
    }
}
