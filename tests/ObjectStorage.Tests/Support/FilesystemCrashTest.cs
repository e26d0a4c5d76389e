using System.Buffers.Binary;
using ObjectStorage.TestChild;

namespace ObjectStorage.Tests.Support;

/// <summary>
/// Kills a child process that overwrites objects (<see cref="CrashWriterMode"/>) at random
/// moments and checks, after each kill, that every object reads back as one complete version
/// and that the keys are exactly the objects' keys.
/// </summary>
public static class FilesystemCrashTest
{
    private const int Objects = 6;

    /// <summary>Runs <paramref name="kills"/> rounds for the store <paramref name="kind"/> (a <see cref="CrashWriterMode"/> argument).</summary>
    public static async Task KillWriterRepeatedly(string kind, Func<string, ObjectStore> open, int kills)
    {
        var ct = TestContext.Current.CancellationToken;
        using var root = new TempDirectory($"crash-{kind}");
        using (var store = open(root.Path))
            for (int i = 0; i < Objects; i++) store.Put(CrashWriterMode.KeyOf(i), CrashWriterMode.Content(i, 0));
        var expectedKeys = Enumerable.Range(0, Objects).Select(CrashWriterMode.KeyOf).Order(KeyComparer.Utf8).ToList();
        int seed = Environment.TickCount;
        var random = new Random(seed);
        int versionsSeen = 0;
        for (int round = 1; round <= kills; round++)
        {
            using (var child = ChildProcess.Start("crash-writer", kind, root.Path, Objects.ToString(), (round * 1_000_000).ToString()))
            {
                try
                {
                    var started = await child.StandardOutput.ReadLineAsync(ct).AsTask().WaitAsync(TimeSpan.FromSeconds(30), ct);
                    if (started != "writing")
                    {
                        await child.WaitForExitAsync(ct).WaitAsync(TimeSpan.FromSeconds(10), ct);
                        Assert.Fail($"the writer did not start: {started} {await child.StandardError.ReadToEndAsync(ct)}");
                    }
                    await Task.Delay(random.Next(0, 150), ct);
                }
                finally
                {
                    child.Kill(); // SIGKILL on Unix: no finally block, no flush
                    await child.WaitForExitAsync(CancellationToken.None);
                }
            }
            using var reopened = open(root.Path);
            for (int i = 0; i < Objects; i++)
            {
                var data = reopened.Get(CrashWriterMode.KeyOf(i));
                Assert.True(data.Length >= 8, $"round {round} (seed {seed}): object {i} has {data.Length} bytes");
                int version = BinaryPrimitives.ReadInt32LittleEndian(data);
                Assert.True(CrashWriterMode.Content(i, version).AsSpan().SequenceEqual(data),
                    $"round {round} (seed {seed}): object {i} is not a complete version (header says version {version}, length {data.Length})");
                if (version != 0) versionsSeen++;
            }
            Assert.Equal(expectedKeys, reopened.Keys().ToList());
            Assert.Equal(expectedKeys, reopened.List().Select(info => info.Key).ToList());
        }
        // Otherwise the writer was always killed before its first put, and nothing was tested.
        Assert.True(versionsSeen > 0, "no kill happened after a completed put");
        int leftovers = Directory.EnumerateFiles(root.Path, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 })
            .Count(path => Path.GetFileName(path).StartsWith('\\'));
        TestContext.Current.SendDiagnosticMessage($"{kind}: {kills} kills, {leftovers} temporary files left behind by killed writes (not listed)");
    }
}
