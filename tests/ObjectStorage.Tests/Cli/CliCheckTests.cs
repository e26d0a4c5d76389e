using ObjectStorage.Tests.Support;

namespace ObjectStorage.Tests.Cli;

/// <summary>objstore check between real stores: the list of differences, the exit code, and each comparison mode.</summary>
public sealed class CliCheckTests : IDisposable
{
    private readonly TempDirectory _dir = new("cli-check");

    public void Dispose() => _dir.Dispose();

    private string Tree(string name, Dictionary<string, byte[]> files) => FileTree.Write(_dir.File(name), files);

    [Fact]
    public async Task Check_of_synced_stores_exits_0_and_of_changed_ones_lists_each_difference_and_exits_1()
    {
        var source = Tree("source", new() { ["a"] = [1], ["b/c"] = [2, 3], ["d"] = TestData.Bytes(50, 1) });
        var db = "sqlite://" + _dir.File("copy.db");
        Assert.Equal(0, (await Objstore.RunAsync("sync", source, db)).ExitCode);

        var same = await Objstore.RunAsync("check", source, db);
        File.WriteAllBytes(Path.Combine(source, "b/c"), [2, 3, 4]);
        File.WriteAllBytes(Path.Combine(source, "new"), [5]);
        Assert.Equal(0, (await Objstore.RunAsync("put", db, "extra", "-", "--json")).ExitCode);
        var changed = await Objstore.RunAsync("check", source, db);
        var oneWay = await Objstore.RunAsync("check", source, db, "--one-way", "--json");

        Assert.True(same.ExitCode == 0, same.ToString());
        Assert.Empty(same.Output);
        Assert.Contains("3 matching", same.Error);
        Assert.True(changed.ExitCode == 1, changed.ToString());
        Assert.Equal(["differs            b/c", "missing in source  extra", "missing in target  new"], changed.Lines);
        Assert.Equal(1, oneWay.ExitCode);
        Assert.Equal(0, oneWay.Json().GetProperty("missingInSource").GetInt64());
        Assert.Equal(1, oneWay.Json().GetProperty("missingInTarget").GetInt64());
    }

    [Fact]
    public async Task Download_finds_a_same_size_edit_that_size_only_misses()
    {
        var source = Tree("source", new() { ["x"] = TestData.Bytes(1000, 1) });
        var target = Tree("target", new() { ["x"] = TestData.Bytes(1000, 2) });

        var bySize = await Objstore.RunAsync("check", source, "zip://" + _dir.File("none.zip"), "--size-only");
        var sizes = await Objstore.RunAsync("check", source, target, "--size-only");
        var bytes = await Objstore.RunAsync("check", source, target, "--download", "--json");
        var both = await Objstore.RunAsync("check", source, target, "--download", "--size-only");

        Assert.Equal(3, bySize.ExitCode);
        Assert.True(sizes.ExitCode == 0, sizes.ToString());
        Assert.True(bytes.ExitCode == 1, bytes.ToString());
        Assert.Equal("differs", bytes.Json().GetProperty("differences")[0].GetProperty("kind").GetString());
        Assert.Equal(2, both.ExitCode);
    }
}
