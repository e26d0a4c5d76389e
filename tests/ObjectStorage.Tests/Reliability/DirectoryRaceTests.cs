using System.Collections.Concurrent;
using ObjectStorage.Tests.Support;

namespace ObjectStorage.Tests.Reliability;

/// <summary>
/// Puts and deletes racing on the keys of one directory: a delete removes the directory once it is
/// empty, while a put is about to create its temporary file there. Found by LinearizabilityTests
/// (a put failed with FileNotFoundException on its own temporary file, about 1 in 230 operations
/// under this load); each put and delete must succeed, and no temporary file may be left.
/// </summary>
public sealed class DirectoryRaceTests
{
    private const int Threads = 8;
    private const int OperationsPerThread = 1500;

    public static TheoryData<string> Stores() => ["filesystem", "hashdir"];

    [Theory, MemberData(nameof(Stores))]
    public void Puts_and_deletes_racing_in_one_directory_all_succeed_and_leave_no_temporary_file(string medium)
    {
        using var dir = new TempDirectory("directory-race");
        using ObjectStore store = medium == "filesystem" ? new FilesystemStore(dir.Path) : new HashdirStore(dir.Path, width: 1, depth: 1);
        // For hashdir, keys whose objects share one directory.
        var keys = medium == "filesystem"
            ? ["k/a", "k/b", "k/c"]
            : Enumerable.Range(0, 1000).Select(i => $"k/{i}").GroupBy(k => Path.GetDirectoryName(((HashdirStore)store).PathOf(k))).First(g => g.Count() >= 3).Take(3).ToArray();
        var errors = new ConcurrentBag<Exception>();
        Parallel.For(0, Threads, new ParallelOptions { MaxDegreeOfParallelism = Threads }, thread =>
        {
            var random = new Random(thread);
            for (int i = 0; i < OperationsPerThread; i++)
            {
                var key = keys[random.Next(keys.Length)];
                try
                {
                    if (random.Next(2) == 0) store.Put(key, TestData.Bytes(100, seed: thread));
                    else store.Delete(key);
                }
                catch (Exception ex)
                {
                    errors.Add(ex);
                }
            }
        });
        Assert.True(errors.IsEmpty, $"{errors.Count} of {Threads * OperationsPerThread} operations failed; first: {errors.FirstOrDefault()}");
        foreach (var key in store.Keys()) Assert.Equal(100, store.Get(key).Length);
        var leftovers = Directory.EnumerateFiles(dir.Path, "*", SearchOption.AllDirectories).Where(f => Path.GetFileName(f).StartsWith('\\')).ToList();
        Assert.True(leftovers.Count == 0, $"temporary files left: {string.Join(", ", leftovers)}");
    }
}
