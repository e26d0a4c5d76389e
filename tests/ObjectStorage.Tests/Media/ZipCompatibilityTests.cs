using System.Diagnostics;
using System.Text;
using ObjectStorage.Tests.Support;

namespace ObjectStorage.Tests.Media;

/// <summary>
/// Archives we write pass Debian's <c>unzip -t</c> and open in Python's <c>zipfile</c>; archives
/// written by Debian's <c>zip</c> and by Python open in ours. A missing tool skips the test visibly.
/// </summary>
public sealed class ZipCompatibilityTests : IDisposable
{
    private static readonly string[] Keys = ["a", "a/b/c", "dir/empty", "é/ünïcødé 😀", "large/stream", "with space/x"];

    private readonly TempDirectory _dir = new("zip-compat");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _dir.Dispose();

    private static byte[] Content(string key) => key switch
    {
        "dir/empty" => [],
        "large/stream" => TestData.Bytes(3 << 20, seed: 11),
        _ => Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat(key + "\n", 200))),
    };

    private string WriteOurs(System.IO.Compression.CompressionLevel level)
    {
        var path = _dir.File($"ours-{level}.zip");
        using var store = new ZipStore(path, new ZipStoreOptions { Mode = ZipStoreMode.Create, CompressionLevel = level });
        foreach (var key in Keys)
        {
            if (key == "large/stream") store.Put(key, new MemoryStream(Content(key)));
            else store.Put(key, Content(key));
        }
        return path;
    }

    [Theory]
    [InlineData(System.IO.Compression.CompressionLevel.Optimal)]
    [InlineData(System.IO.Compression.CompressionLevel.NoCompression)]
    public async Task Our_archive_passes_unzip_t(System.IO.Compression.CompressionLevel level)
    {
        var path = WriteOurs(level);
        var (code, output) = await Run("unzip", ["-t", path]);
        Assert.True(code == 0, output);
        Assert.Contains("No errors detected", output);
        foreach (var key in Keys.Where(k => k.All(char.IsAscii))) Assert.Contains(key, output);
    }

    [Fact]
    public async Task Our_archive_opens_in_Python_zipfile_with_UTF8_names_and_the_same_bytes()
    {
        var path = WriteOurs(System.IO.Compression.CompressionLevel.Optimal);
        const string script = """
            import hashlib, sys, zipfile
            with zipfile.ZipFile(sys.argv[1]) as z:
                assert z.testzip() is None
                for info in z.infolist():
                    utf8 = bool(info.flag_bits & 0x800)
                    print(f"{info.filename}\t{utf8}\t{hashlib.sha256(z.read(info)).hexdigest().upper()}")
            """;
        var (code, output) = await Run("python3", ["-c", script, path]);
        Assert.True(code == 0, output);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(Keys.Order(KeyComparer.Utf8), lines.Select(l => l.Split('\t')[0]));
        foreach (var parts in lines.Select(l => l.Split('\t')))
        {
            Assert.Equal(TestData.Sha256(Content(parts[0])), parts[2]);
            Assert.Equal("True", parts[1]);
        }
    }

    [Fact]
    public async Task An_archive_written_by_Info_ZIP_zip_opens_with_its_directories_ignored()
    {
        var tree = Directory.CreateDirectory(_dir.File("tree")).FullName;
        Directory.CreateDirectory(Path.Combine(tree, "sub", "deeper"));
        File.WriteAllBytes(Path.Combine(tree, "top.txt"), Content("a"));
        File.WriteAllBytes(Path.Combine(tree, "sub", "deeper", "data.bin"), Content("large/stream"));
        File.WriteAllBytes(Path.Combine(tree, "sub", "empty"), []);
        var path = _dir.File("by-zip.zip");
        var (code, output) = await Run("zip", ["-r", "-q", path, "."], workingDirectory: tree);
        Assert.True(code == 0, output);
        using var store = new ZipStore(path, new ZipStoreOptions { Mode = ZipStoreMode.Read });
        Assert.Equal(["sub/deeper/data.bin", "sub/empty", "top.txt"], store.Keys().ToList());
        Assert.Equal(Content("large/stream"), store.Get("sub/deeper/data.bin"));
        Assert.Empty(store.Get("sub/empty"));
        Assert.Equal(Content("a"), store.Get("top.txt"));
    }

    [Fact]
    public async Task An_archive_written_by_Python_opens_and_updates()
    {
        var path = _dir.File("by-python.zip");
        const string script = """
            import sys, zipfile
            with zipfile.ZipFile(sys.argv[1], "w") as z:
                z.writestr("plain", b"stored bytes", compress_type=zipfile.ZIP_STORED)
                z.writestr("deflated/é", b"x" * 100000, compress_type=zipfile.ZIP_DEFLATED)
                z.writestr("folder/", b"")
            """;
        var (code, output) = await Run("python3", ["-c", script, path]);
        Assert.True(code == 0, output);
        using (var store = new ZipStore(path, new ZipStoreOptions { Mode = ZipStoreMode.Update }))
        {
            Assert.Equal(["deflated/é", "plain"], store.Keys().ToList());
            Assert.Equal("stored bytes"u8.ToArray(), store.Get("plain"));
            Assert.Equal(Enumerable.Repeat((byte)'x', 100000), store.Get("deflated/é"));
            store.Put("plain", "replaced"u8.ToArray());
        }
        var (again, listing) = await Run("python3", ["-c", "import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); print(z.read('plain').decode()); print(sorted(z.namelist()))", path]);
        Assert.True(again == 0, listing);
        Assert.Contains("replaced", listing);
        Assert.Contains("'folder/'", listing);
    }

    // Runs a tool; skips the test (visibly) when the tool is not installed.
    private static async Task<(int ExitCode, string Output)> Run(string tool, string[] args, string? workingDirectory = null)
    {
        var info = new ProcessStartInfo(tool)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? "",
            StandardOutputEncoding = Encoding.UTF8,
        };
        foreach (var arg in args) info.ArgumentList.Add(arg);
        info.Environment["PYTHONIOENCODING"] = "utf-8";
        Process? process;
        try
        {
            process = Process.Start(info);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            Assert.Skip($"'{tool}' is not installed ({e.Message}); install it (Debian: apt-get install unzip zip python3) to run this test");
            throw;
        }
        using var started = process ?? throw new InvalidOperationException($"could not start {tool}");
        var output = started.StandardOutput.ReadToEndAsync(Ct);
        var error = started.StandardError.ReadToEndAsync(Ct);
        await started.WaitForExitAsync(Ct);
        return (started.ExitCode, await output + await error);
    }
}
