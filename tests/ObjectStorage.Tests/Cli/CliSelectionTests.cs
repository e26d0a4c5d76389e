using ObjectStorage.Tests.Support;

namespace ObjectStorage.Tests.Cli;

/// <summary>The safety and selection options through the built tool: --max-delete, the empty-source warning, --include/--exclude in order, sizes and ages with units.</summary>
public sealed class CliSelectionTests : IDisposable
{
    private readonly TempDirectory _dir = new("cli-selection");

    public void Dispose() => _dir.Dispose();

    private string Tree(string name, params string[] keys) => FileTree.Write(_dir.File(name), keys);

    private static string[] Files(string root) => FileTree.Files(root);

    [Fact]
    public async Task Dry_run_sync_from_an_empty_store_with_delete_warns_that_it_would_delete_everything()
    {
        var target = Tree("target", "a", "b/c");

        var run = await Objstore.RunAsync("sync", "mem://", target, "--delete", "-n");
        var quiet = await Objstore.RunAsync("sync", "mem://", target, "--delete", "-n", "--quiet");
        var nonEmpty = await Objstore.RunAsync("sync", Tree("source", "a"), target, "--delete", "-n", "--quiet");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("WARNING: the source mem:// holds no objects, so --delete would delete every object of the target (2 objects)", run.Error);
        Assert.Contains("WARNING: the source mem:// holds no objects", quiet.Error);
        Assert.DoesNotContain("WARNING", nonEmpty.Error);
        Assert.Equal(["a", "b/c"], Files(target));
    }

    [Fact]
    public async Task Sync_over_max_delete_is_refused_with_exit_1_and_changes_nothing()
    {
        var source = Tree("source", "keep", "new");
        var target = Tree("target", "keep", "x", "y", "z");

        var run = await Objstore.RunAsync("sync", source, target, "--delete", "--max-delete", "2");
        var dry = await Objstore.RunAsync("sync", source, target, "--delete", "--max-delete", "2", "--dry-run", "--json");

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains("would delete 3 objects, more than the limit of 2", run.Error);
        Assert.Equal(["keep", "x", "y", "z"], Files(target));
        Assert.True(dry.ExitCode == 1, dry.ToString());
        Assert.True(dry.Json().GetProperty("exceedsMaxDelete").GetBoolean());
        Assert.Contains("more than --max-delete 2", dry.Error);
    }

    [Fact]
    public async Task Include_and_exclude_apply_in_command_line_order_and_spare_excluded_target_keys()
    {
        var source = Tree("source", "docs/a.md", "docs/draft.md", "src/b.cs");
        var target = Tree("target", "docs/old.md", "src/old.cs");

        var run = await Objstore.RunAsync("sync", source, target, "--delete", "--exclude", "/docs/draft.md", "--include", "/docs/**", "--json");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(["docs/a.md", "src/old.cs"], Files(target));
        Assert.Equal(1, run.Json().GetProperty("deleted").GetInt64());
    }

    [Fact]
    public async Task Sizes_with_units_and_ages_select_objects()
    {
        var source = _dir.File("source");
        Directory.CreateDirectory(source);
        File.WriteAllBytes(Path.Combine(source, "small"), new byte[1000]);
        File.WriteAllBytes(Path.Combine(source, "kib"), new byte[1024]);
        File.WriteAllBytes(Path.Combine(source, "big"), new byte[70_000]);
        File.SetLastWriteTimeUtc(Path.Combine(source, "big"), DateTime.UtcNow.AddDays(-3));

        var sized = await Objstore.RunAsync("size", source, "--min-size", "1KiB", "--max-size", "64KiB", "--json");
        var decimalUnits = await Objstore.RunAsync("size", source, "--max-size", "1kB", "--json");
        var old = await Objstore.RunAsync("size", source, "--min-age", "2d", "--json");
        var bad = await Objstore.RunAsync("size", source, "--min-size", "12 parsecs");

        Assert.True(sized.ExitCode == 0, sized.ToString());
        Assert.Equal(1, sized.Json().GetProperty("objects").GetInt64());
        Assert.Equal(1024, sized.Json().GetProperty("bytes").GetInt64());
        Assert.Equal(1000, decimalUnits.Json().GetProperty("bytes").GetInt64());
        Assert.Equal(70_000, old.Json().GetProperty("bytes").GetInt64());
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("--min-size takes a size such as", bad.Error);
        Assert.Contains("'12 parsecs'", bad.Error);
    }

    [Fact]
    public async Task Bench_takes_its_object_size_with_a_unit()
    {
        var run = await Objstore.RunAsync("bench", "mem://", "--size", "64KiB", "--seconds", "0.1", "--json");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(65536, run.Json().GetProperty("objectSize").GetInt32());
    }
}
