using System.Text;
using ObjectStorage.Tests.Support;

namespace ObjectStorage.Tests.Cli;

/// <summary>The single-object commands (put, ls, cat, get, stat, rm) on a real SQLite file, through the built tool.</summary>
public sealed class CliObjectTests : IDisposable
{
    private readonly TempDirectory _dir = new("cli-objects");

    public void Dispose() => _dir.Dispose();

    private string Db => "sqlite://" + _dir.File("store.db");

    [Fact]
    public async Task Ls_quotes_keys_that_could_forge_a_line_or_drive_the_terminal_and_json_carries_them_exactly()
    {
        var file = _dir.File("foreign.db");
        string[] keys = ["fake\n   12  2026-01-01 00:00:00  entry", "esc\u001B[2Jclear", "bidi/\u202Egnp.exe", "plain/ok.txt", "http://example.org/a b"];
        SqliteFiles.CreateLikePythonOriginal(file, [.. keys.Select(k => (k, new byte[] { 1 })), ("", new byte[] { 2 })]);

        var ls = await Objstore.RunAsync("ls", "sqlite://" + file);
        Assert.Equal(keys.Order(KeyComparer.Utf8).Select(ObjectKey.Quote), ls.Lines);
        Assert.DoesNotContain(ls.Output, c => c == '\u001B' || c == '\u202E');
        Assert.Contains("\"fake\\n   12", ls.Output);
        // The row whose key is empty is no key: reported on stderr, and the exit code says so.
        Assert.Contains("skipped", ls.Error);
        Assert.Equal(1, ls.ExitCode);

        var json = (await Objstore.RunAsync("ls", "sqlite://" + file, "--json")).Json();
        Assert.Equal(keys.Order(KeyComparer.Utf8), json.EnumerateArray().Select(e => e.GetProperty("key").GetString()));
    }

    [Fact]
    public async Task Put_ls_cat_get_stat_and_rm_round_trip_every_byte()
    {
        var binary = TestData.Bytes(70_000, seed: 6);
        File.WriteAllBytes(_dir.File("input.bin"), binary);

        var put = await Objstore.RunAsync("put", Db, "data/input.bin", _dir.File("input.bin"));
        Assert.True(put.ExitCode == 0, put.ToString());
        Assert.Contains("data/input.bin", put.Output);
        var fromStdin = await Objstore.RunAsync(["put", Db, "notes/größe.txt", "--json"], stdin: Encoding.UTF8.GetBytes("hello\n"));
        Assert.True(fromStdin.ExitCode == 0, fromStdin.ToString());
        Assert.Equal(6, fromStdin.Json().GetProperty("size").GetInt64());

        var ls = await Objstore.RunAsync("ls", Db);
        Assert.Equal(["data/input.bin", "notes/größe.txt"], ls.Lines);
        var prefixed = await Objstore.RunAsync("ls", Db, "--prefix", "notes/", "--long");
        Assert.Matches(@"^\s+6  \d{4}-\d\d-\d\d \d\d:\d\d:\d\d  notes/größe.txt$", prefixed.Lines[0]);
        Assert.Equal("1 object, 6 B", prefixed.Lines[^1]);
        var listed = (await Objstore.RunAsync("ls", Db, "--json")).Json();
        Assert.Equal(2, listed.GetArrayLength());
        Assert.Equal("data/input.bin", listed[0].GetProperty("key").GetString());
        Assert.Equal(binary.Length, listed[0].GetProperty("size").GetInt64());

        var cat = await Objstore.RunAsync("cat", Db, "notes/größe.txt");
        Assert.Equal("hello\n", cat.Output);
        var catJson = (await Objstore.RunAsync("cat", Db, "data/input.bin", "--json")).Json();
        Assert.Equal(binary, Convert.FromBase64String(catJson.GetProperty("base64").GetString()!));

        var get = await Objstore.RunAsync("get", Db, "data/input.bin", "-o", _dir.File("output.bin"));
        Assert.True(get.ExitCode == 0, get.ToString());
        Assert.Equal(binary, File.ReadAllBytes(_dir.File("output.bin")));
        var getByName = await Objstore.RunAsync(["get", Db, "data/input.bin"], workingDirectory: _dir.Path);
        Assert.True(getByName.ExitCode == 0, getByName.ToString());
        Assert.Equal(binary, File.ReadAllBytes(_dir.File("input.bin")));

        var stat = (await Objstore.RunAsync("stat", Db, "data/input.bin", "--json")).Json();
        Assert.Equal(binary.Length, stat.GetProperty("size").GetInt64());
        Assert.False(string.IsNullOrEmpty(stat.GetProperty("eTag").GetString()));

        var rm = await Objstore.RunAsync("rm", Db, "data/input.bin", "never/there", "--json");
        Assert.True(rm.ExitCode == 0, rm.ToString());
        Assert.Equal("data/input.bin", rm.Json().GetProperty("removed")[0].GetString());
        Assert.Equal("never/there", rm.Json().GetProperty("absent")[0].GetString());
        Assert.Equal(["notes/größe.txt"], (await Objstore.RunAsync("ls", Db)).Lines);
    }

    [Fact]
    public async Task Put_carries_content_type_metadata_and_the_file_time_which_stat_and_ls_show()
    {
        var input = _dir.File("page.html");
        File.WriteAllText(input, "<p>hi</p>");
        var fileTime = new DateTime(2021, 3, 4, 5, 6, 7, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(input, fileTime);

        var put = await Objstore.RunAsync("put", Db, "site/page.html", input, "--content-type", "text/html", "--meta", "Owner=web", "--meta", "build=42");
        Assert.Equal(0, put.ExitCode);

        var stat = await Objstore.RunAsync("stat", Db, "site/page.html");
        Assert.Contains("content type:  text/html", stat.Output);
        Assert.Contains("meta owner: web", stat.Output);
        Assert.Contains("2021-03-04 05:06:07", stat.Output);
        var json = (await Objstore.RunAsync("stat", Db, "site/page.html", "--json")).Json();
        Assert.Equal("text/html", json.GetProperty("contentType").GetString());
        Assert.Equal("42", json.GetProperty("metadata").GetProperty("build").GetString());
        var listed = (await Objstore.RunAsync("ls", Db, "--json")).Json()[0];
        Assert.Equal("web", listed.GetProperty("metadata").GetProperty("owner").GetString());
        Assert.Contains("[text/html]", (await Objstore.RunAsync("ls", Db, "--long")).Output);

        var refused = await Objstore.RunAsync("put", Db, "bad", input, "--meta", "no spaces=x");
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("no spaces", refused.Error);
    }

    [Fact]
    public async Task Get_of_a_missing_key_exits_3_and_leaves_no_file()
    {
        File.WriteAllBytes(_dir.File("x"), [1]);
        Assert.Equal(0, (await Objstore.RunAsync("put", Db, "present", _dir.File("x"))).ExitCode);

        var run = await Objstore.RunAsync("get", Db, "absent", "-o", _dir.File("out"));

        Assert.Equal(3, run.ExitCode);
        Assert.Contains("no object with key \"absent\"", run.Error);
        Assert.False(File.Exists(_dir.File("out")));
        Assert.Empty(Directory.GetFiles(_dir.Path, ".out*"));
    }

    [Fact]
    public async Task Reading_a_store_that_does_not_exist_exits_3_and_creates_nothing()
    {
        var missing = _dir.File("missing.db");

        var ls = await Objstore.RunAsync("ls", "sqlite://" + missing);
        var lsDir = await Objstore.RunAsync("ls", _dir.File("no-such-dir"));

        Assert.Equal(3, ls.ExitCode);
        Assert.Contains("no database at", ls.Error);
        Assert.False(File.Exists(missing));
        Assert.Equal(3, lsDir.ExitCode);
        Assert.False(Directory.Exists(_dir.File("no-such-dir")));
    }

    [Fact]
    public async Task Rm_with_one_invalid_key_deletes_nothing_and_exits_2()
    {
        File.WriteAllBytes(_dir.File("x"), [1]);
        Assert.Equal(0, (await Objstore.RunAsync("put", Db, "keep", _dir.File("x"))).ExitCode);

        var run = await Objstore.RunAsync("rm", Db, "keep", new string('k', 1025));

        Assert.Equal(2, run.ExitCode);
        Assert.Equal(["keep"], (await Objstore.RunAsync("ls", Db)).Lines);
    }

    [Fact]
    public async Task Writing_to_a_zip_opened_read_only_exits_2_naming_the_store()
    {
        var zip = _dir.File("a.zip");
        File.WriteAllBytes(_dir.File("x"), [1, 2, 3]);
        Assert.Equal(0, (await Objstore.RunAsync("put", "zip://" + zip, "k", _dir.File("x"))).ExitCode);

        var run = await Objstore.RunAsync("put", $"zip://{zip}?mode=read", "k2", _dir.File("x"));
        var cat = await Objstore.RunAsync("cat", "zip://" + zip, "k");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("read-only", run.Error);
        Assert.Equal("\u0001\u0002\u0003", cat.Output);
    }
}
