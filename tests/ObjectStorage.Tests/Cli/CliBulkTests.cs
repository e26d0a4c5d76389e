using ObjectStorage.Tests.Support;

namespace ObjectStorage.Tests.Cli;

/// <summary>mv, rm by prefix, size and du, cp of one object, presign, and byte progress, through the built tool on real stores.</summary>
public sealed class CliBulkTests : IDisposable
{
    private readonly TempDirectory _dir = new("cli-bulk");

    public void Dispose() => _dir.Dispose();

    private string Tree(string name, params string[] keys) => FileTree.Write(_dir.File(name), keys);

    private static string[] Files(string root) => FileTree.Files(root);

    [Fact]
    public async Task Mv_by_prefix_copies_then_removes_only_the_moved_objects()
    {
        var source = Tree("source", "in/a", "in/b.tmp", "in/c/d", "stay");
        var db = "sqlite://" + _dir.File("moved.db");

        var run = await Objstore.RunAsync("mv", source, db, "--prefix", "in/", "--exclude", "*.tmp", "--json");
        var listed = await Objstore.RunAsync("ls", db);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(2, run.Json().GetProperty("removedFromSource").GetInt64());
        Assert.Equal(["in/a", "in/c/d"], listed.Lines);
        Assert.Equal(["in/b.tmp", "stay"], Files(source));
    }

    [Fact]
    public async Task Mv_of_one_key_within_a_store_renames_it_and_a_dry_run_changes_nothing()
    {
        var db = "sqlite://" + _dir.File("rename.db");
        Assert.Equal(0, (await Objstore.RunAsync(["put", db, "draft.md", "-"], stdin: "text"u8.ToArray())).ExitCode);

        var dry = await Objstore.RunAsync("mv", db, db, "--key", "draft.md", "--to", "final.md", "--dry-run");
        var afterDry = await Objstore.RunAsync("ls", db);
        var run = await Objstore.RunAsync("mv", db, db, "--key", "draft.md", "--to", "final.md");
        var listed = await Objstore.RunAsync("ls", db);
        var onto = await Objstore.RunAsync("mv", db, db, "--key", "final.md");

        Assert.True(dry.ExitCode == 0, dry.ToString());
        Assert.Equal(["draft.md"], afterDry.Lines);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(["final.md"], listed.Lines);
        Assert.Equal(2, onto.ExitCode);
        Assert.Contains("onto itself", onto.Error);
    }

    [Fact]
    public async Task Mv_of_a_missing_key_deletes_nothing_and_exits_3()
    {
        var source = Tree("source", "a");

        var run = await Objstore.RunAsync("mv", source, _dir.File("target"), "--key", "b");

        Assert.Equal(3, run.ExitCode);
        Assert.Equal(["a"], Files(source));
    }

    [Fact]
    public async Task Cp_of_one_key_writes_it_under_the_new_key_in_the_other_store()
    {
        var source = Tree("source", "a/b", "c");
        var target = _dir.File("target");

        var run = await Objstore.RunAsync("cp", source, target, "--key", "a/b", "--to", "x/y", "--json");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(30, run.Json().GetProperty("size").GetInt64());
        Assert.Equal(["x/y"], Files(target));
        Assert.Equal(File.ReadAllBytes(Path.Combine(source, "a/b")), File.ReadAllBytes(Path.Combine(target, "x/y")));
        Assert.Equal(["a/b", "c"], Files(source));
    }

    [Fact]
    public async Task Rm_by_prefix_dry_run_lists_and_keeps_then_removes_only_under_the_prefix()
    {
        var store = Tree("store", "tmp/a", "tmp/b/c", "tmpx", "keep");

        var dry = await Objstore.RunAsync("rm", store, "--prefix", "tmp/", "--dry-run");
        var limited = await Objstore.RunAsync("rm", store, "tmp/", "-r", "--max-delete", "1");
        var run = await Objstore.RunAsync("rm", store, "tmp/", "-r", "--json");
        var bare = await Objstore.RunAsync("rm", store);

        Assert.True(dry.ExitCode == 0, dry.ToString());
        Assert.Equal(["would remove tmp/a", "would remove tmp/b/c"], dry.Lines);
        Assert.Equal(1, limited.ExitCode);
        Assert.Contains("Refusing to delete 2 objects", limited.Error);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(2, run.Json().GetProperty("objects").GetInt64());
        Assert.Equal(["keep", "tmpx"], Files(store));
        Assert.Equal(2, bare.ExitCode);
    }

    [Fact]
    public async Task Du_sums_each_first_level_folder_and_size_the_whole_prefix()
    {
        var store = Tree("store", "a/1", "a/2/3", "a.b", "b/4", "top");

        var du = await Objstore.RunAsync("du", store, "--json");
        var size = await Objstore.RunAsync("size", "file://" + store, "--prefix", "a/");
        var text = await Objstore.RunAsync("du", store);

        Assert.True(du.ExitCode == 0, du.ToString());
        var entries = du.Json().GetProperty("entries").EnumerateArray()
            .Select(e => (e.GetProperty("name").GetString(), e.GetProperty("objects").GetInt64(), e.GetProperty("bytes").GetInt64())).ToList();
        Assert.Equal([("a.b", 1L, 30L), ("a/", 2L, 80L), ("b/", 1L, 30L), ("top", 1L, 30L)], entries);
        Assert.Equal(5, du.Json().GetProperty("objects").GetInt64());
        Assert.Equal("2 objects, 80 B (80 bytes)", size.Output.Trim());
        Assert.EndsWith("(total)", text.Lines[^1]);
    }

    [Fact]
    public async Task Presign_of_a_store_that_cannot_sign_fails_naming_it()
    {
        var store = Tree("store", "a");

        var run = await Objstore.RunAsync("presign", store, "a");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("cannot sign URLs", run.Error);
    }

    [Fact]
    public async Task Presign_gives_a_url_that_downloads_the_object_and_a_put_url_that_uploads_one()
    {
        var endpoint = S3TestServer.S3rver.RequireEndpoint();
        var url = $"s3://{S3TestServer.Bucket}/cli-{Guid.NewGuid():N}?endpoint={Uri.EscapeDataString(endpoint)}&region=us-east-1";
        var credentials = new Dictionary<string, string> { ["AWS_ACCESS_KEY_ID"] = "S3RVER", ["AWS_SECRET_ACCESS_KEY"] = "S3RVER" };
        Assert.Equal(0, (await Objstore.RunAsync(["put", url, "hello.txt", "-"], stdin: "hello"u8.ToArray(), environment: credentials)).ExitCode);

        var get = await Objstore.RunAsync(["presign", url, "hello.txt", "--expires", "5m"], environment: credentials);
        var put = await Objstore.RunAsync(["presign", url, "up.txt", "--put", "--json"], environment: credentials);
        using var http = new HttpClient();
        var body = await http.GetStringAsync(get.Output.Trim(), TestContext.Current.CancellationToken);
        var upload = await http.PutAsync(put.Json().GetProperty("url").GetString(), new ByteArrayContent("up"u8.ToArray()), TestContext.Current.CancellationToken);
        var uploaded = await Objstore.RunAsync(["cat", url, "up.txt"], environment: credentials);

        Assert.True(get.ExitCode == 0, get.ToString());
        Assert.Equal("hello", body);
        Assert.True(upload.IsSuccessStatusCode, upload.ToString());
        Assert.Equal("up", uploaded.Output);
    }

    [Fact]
    public async Task Put_of_a_slow_large_stream_shows_bytes_moving_on_stderr()
    {
        using var process = Objstore.Start(_dir.Path, "put", _dir.File("store"), "big.bin", "-");
        var error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        var chunk = new byte[1 << 20];
        // Four seconds of input: long enough for the display, which stays quiet for the first second.
        for (int i = 0; i < 8; i++)
        {
            await process.StandardInput.BaseStream.WriteAsync(chunk, TestContext.Current.CancellationToken);
            await process.StandardInput.BaseStream.FlushAsync(TestContext.Current.CancellationToken);
            await Task.Delay(500, TestContext.Current.CancellationToken);
        }
        process.StandardInput.Close();
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);

        var lines = (await error).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(process.ExitCode == 0, await error);
        Assert.True(lines.Length >= 3, await error);
        Assert.All(lines, line => Assert.Matches(@"^put: [0-9.]+ (B|KiB|MiB), ", line));
        Assert.Matches(@"^put: 8\.0 MiB, .*done in ", lines[^1]);
        Assert.Equal(8L << 20, new FileInfo(Path.Combine(_dir.File("store"), "big.bin")).Length);
    }

    [Fact]
    public async Task Small_get_and_put_print_no_progress()
    {
        var store = Tree("store", "a");

        var get = await Objstore.RunAsync(["get", store, "a", "-o", _dir.File("a.out")]);
        var put = await Objstore.RunAsync(["put", store, "b", _dir.File("a.out")]);

        Assert.True(get.ExitCode == 0, get.ToString());
        Assert.Empty(get.Error);
        Assert.Empty(put.Error);
    }
}
