using System.Text.Json;
using ObjectStorage.Tests.Support;

namespace ObjectStorage.Tests.Cli;

/// <summary>sync and cp between real stores through the built tool: bytes, reruns, deletes, dry runs, progress and summaries.</summary>
public sealed class CliTransferTests : IDisposable
{
    private readonly TempDirectory _dir = new("cli-transfer");

    public void Dispose() => _dir.Dispose();

    // A directory of files: nested keys, an empty file, all byte values, a non-ASCII name, a larger file.
    private string MakeSourceTree()
    {
        var root = _dir.File("source");
        var files = new Dictionary<string, byte[]>
        {
            ["readme.txt"] = "hello"u8.ToArray(),
            ["empty"] = [],
            ["bytes/all.bin"] = TestData.AllByteValues(),
            ["deep/er/still/größe.dat"] = TestData.Bytes(10_000, seed: 2),
            ["big.bin"] = TestData.Bytes(3 << 20, seed: 3),
        };
        foreach (var (key, data) in files)
        {
            var path = Path.Combine(root, key);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllBytes(path, data);
        }
        return root;
    }

    private static void AssertSameTree(string expected, string actual)
    {
        static string[] Files(string root) =>
            Directory.GetFiles(root, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(root, f)).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(Files(expected), Files(actual));
        foreach (var file in Files(expected))
            Assert.True(File.ReadAllBytes(Path.Combine(expected, file)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(actual, file))), $"{file} differs");
    }

    private static long Count(JsonElement summary, string name) => summary.GetProperty(name).GetInt64();

    [Fact]
    public async Task Sync_through_sqlite_and_back_to_a_directory_keeps_every_byte_and_a_rerun_copies_nothing()
    {
        var source = MakeSourceTree();
        var db = "sqlite://" + _dir.File("mid.db");
        var copy = _dir.File("copy");

        var first = await Objstore.RunAsync("sync", source, db, "--json");
        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Equal(5, Count(first.Json(), "copied"));
        Assert.Equal(10_000 + 256 + 5 + (3 << 20), Count(first.Json(), "bytesCopied"));

        var back = await Objstore.RunAsync("sync", db, "file://" + copy, "--parallel", "2");
        Assert.True(back.ExitCode == 0, back.ToString());
        AssertSameTree(source, copy);

        var again = await Objstore.RunAsync("sync", source, db, "--json");
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Equal(0, Count(again.Json(), "copied") + Count(again.Json(), "updated"));
        Assert.Equal(5, Count(again.Json(), "unchanged"));
        Assert.Equal(0, Count(again.Json(), "bytesCopied"));
    }

    [Fact]
    public async Task Redirected_sync_prints_plain_progress_lines_on_stderr_and_a_summary_table_on_stdout()
    {
        var source = MakeSourceTree();

        var run = await Objstore.RunAsync("sync", source, "hashdir://" + _dir.File("hashed"));

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.DoesNotContain('\u001b', run.Error);
        var progress = run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.All(progress, line => Assert.StartsWith("sync: ", line));
        Assert.Contains("sync: 5 objects (3.0 MiB) in the source", progress[0]);
        Assert.Matches(@"^sync: 5/5 objects, 3\.0 MiB copied \(.*/s\), done in ", progress[^1]);
        Assert.StartsWith($"sync {source} -> hashdir://", run.Lines[0]);
        Assert.Contains(run.Lines, line => line.Contains("copied (new)") && line.Contains(" 5 "));
        Assert.Contains(run.Lines, line => line.Contains("unchanged") && line.Contains(" 0 "));
        Assert.Matches(@"^3\.0 MiB copied in ", run.Lines[^1]);
    }

    [Fact]
    public async Task Sync_delete_in_a_dry_run_changes_nothing_then_really_deletes_the_extras()
    {
        var source = MakeSourceTree();
        var target = _dir.File("target");
        Assert.Equal(0, (await Objstore.RunAsync("sync", source, target, "--quiet")).ExitCode);
        File.WriteAllText(Path.Combine(target, "extra.txt"), "only here");
        File.WriteAllText(Path.Combine(source, "readme.txt"), "hello, changed");

        var dry = await Objstore.RunAsync("sync", source, target, "--delete", "--dry-run", "--json");
        Assert.True(dry.ExitCode == 0, dry.ToString());
        Assert.True(dry.Json().GetProperty("dryRun").GetBoolean());
        Assert.Equal(1, Count(dry.Json(), "deleted"));
        Assert.Equal(1, Count(dry.Json(), "updated"));
        Assert.True(File.Exists(Path.Combine(target, "extra.txt")));
        Assert.Equal("hello", File.ReadAllText(Path.Combine(target, "readme.txt")));

        var real = await Objstore.RunAsync("sync", source, target, "--delete", "--json");
        Assert.True(real.ExitCode == 0, real.ToString());
        Assert.Equal(1, Count(real.Json(), "deleted"));
        AssertSameTree(source, target);
    }

    [Fact]
    public async Task A_dry_run_into_a_store_that_does_not_exist_creates_nothing()
    {
        var source = MakeSourceTree();
        var db = _dir.File("never.db");

        var run = await Objstore.RunAsync("sync", source, "sqlite://" + db, "--dry-run", "--json");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(5, Count(run.Json(), "copied"));
        Assert.False(File.Exists(db));
    }

    [Fact]
    public async Task Cp_copies_only_the_prefix_and_overwrites_without_comparing()
    {
        var source = MakeSourceTree();
        var zip = "zip://" + _dir.File("out.zip");

        var first = await Objstore.RunAsync("cp", source, zip, "--prefix", "deep/", "--json");
        var second = await Objstore.RunAsync("cp", source, zip, "--prefix", "deep/", "--json");

        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Equal(1, Count(first.Json(), "copied"));
        Assert.Equal(1, Count(second.Json(), "updated"));
        Assert.Equal(["deep/er/still/größe.dat"], (await Objstore.RunAsync("ls", zip)).Lines);
    }

    [Fact]
    public async Task An_object_the_target_cannot_take_is_reported_and_exits_1_while_the_others_are_copied()
    {
        var source = MakeSourceTree();
        var target = _dir.File("blocked");
        Directory.CreateDirectory(target);
        File.WriteAllText(Path.Combine(target, "deep"), "a file where the source has a directory");

        var run = await Objstore.RunAsync("sync", source, target, "--quiet", "--json");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("deep/er/still/größe.dat", run.Error);
        Assert.Equal(1, Count(run.Json(), "failed"));
        Assert.Equal(4, Count(run.Json(), "copied"));
        Assert.Equal("deep/er/still/größe.dat", run.Json().GetProperty("failures")[0].GetProperty("key").GetString());
    }

    [Fact]
    public async Task Bench_reports_every_phase_and_removes_what_it_wrote()
    {
        var db = "sqlite://" + _dir.File("bench.db");
        File.WriteAllBytes(_dir.File("x"), [1]);
        Assert.Equal(0, (await Objstore.RunAsync("put", db, "keep/me", _dir.File("x"))).ExitCode);

        var run = await Objstore.RunAsync("bench", db, "--seconds", "0.2", "--size", "1024", "--json");

        Assert.True(run.ExitCode == 0, run.ToString());
        var phases = run.Json().GetProperty("phases").EnumerateArray().ToDictionary(p => p.GetProperty("name").GetString()!);
        Assert.Equal(["put", "get", "list", "delete"], phases.Keys);
        Assert.All(phases.Values, p => Assert.True(p.GetProperty("operations").GetInt64() > 0));
        Assert.Equal(phases["put"].GetProperty("operations").GetInt64() * 1024, phases["put"].GetProperty("bytes").GetInt64());
        Assert.Equal(phases["put"].GetProperty("operations").GetInt64(), phases["delete"].GetProperty("operations").GetInt64());
        Assert.Equal(["keep/me"], (await Objstore.RunAsync("ls", db)).Lines);
    }
}
