using System.Diagnostics;
using System.IO.Compression;
using ObjectStorage.Tests.Support;

namespace ObjectStorage.Tests.Cli;

/// <summary>
/// The tool on data it must not harm, through real processes: overlapping sync refused, reading
/// commands and dry runs that write nothing, real signals, closed pipes and full devices, and
/// <c>get -o</c> onto links, FIFOs and devices.
/// </summary>
public sealed class CliSafetyTests : IDisposable
{
    private const int BadInput = 2;
    private const int Cancelled = 130;
    private const int BrokenPipe = 141;
    private readonly TempDirectory _dir = new("cli-safety");

    public void Dispose() => _dir.Dispose();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string MakeTree(string name, int files, int size)
    {
        var root = _dir.File(name);
        Directory.CreateDirectory(Path.Combine(root, "sub"));
        for (int i = 0; i < files; i++) File.WriteAllBytes(Path.Combine(root, i % 2 == 0 ? "sub" : "", $"f{i:D3}"), TestData.Bytes(size, seed: i));
        return root;
    }

    private static string[] Files(string root) =>
        [.. Directory.GetFiles(root, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(root, f)).Order(StringComparer.Ordinal)];

    // ---- Overlapping stores --------------------------------------------------------------------

    [Fact]
    public async Task Sync_of_a_directory_into_its_parent_with_delete_exits_2_and_deletes_nothing()
    {
        var root = MakeTree("D", 4, 10);
        var before = Files(root);

        var run = await Objstore.RunAsync("sync", Path.Combine(root, "sub"), root, "--delete");

        Assert.True(run.ExitCode == BadInput, run.ToString());
        Assert.Contains("overlap", run.Error);
        Assert.Contains(Path.Combine(root, "sub"), run.Error);
        Assert.Equal(before, Files(root));
    }

    [Fact]
    public async Task Sync_of_a_hashdir_url_over_the_target_directory_exits_2_and_deletes_nothing()
    {
        // A hashdir tree, so that HashdirStore's own layout check lets it open and the overlap is what refuses.
        var root = _dir.File("H");
        using (var hashdir = new HashdirStore(root))
            for (int i = 0; i < 10; i++) hashdir.Put($"k{i}", TestData.Bytes(10, seed: i));
        var before = Files(root);

        var run = await Objstore.RunAsync("sync", "hashdir://" + root, root, "--delete");

        Assert.True(run.ExitCode == BadInput, run.ToString());
        Assert.Contains("overlap", run.Error);
        Assert.Equal(before, Files(root));
    }

    [Fact]
    public async Task Sync_of_a_hashdir_url_over_a_plain_directory_is_refused_by_its_layout_and_deletes_nothing()
    {
        var root = MakeTree("D", 4, 10);
        var before = Files(root);

        var run = await Objstore.RunAsync("sync", "hashdir://" + root, root, "--delete");

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("plain directory tree", run.Error);
        Assert.Equal(before, Files(root));
    }

    // ---- Reading never writes ------------------------------------------------------------------

    private string MakeArchive(string name)
    {
        var path = _dir.File(name);
        using (var zip = new ZipStore(path))
        {
            zip.Put("a", "alpha"u8.ToArray());
            zip.Put("b/c", TestData.Bytes(5000, seed: 1));
        }
        return path;
    }

    [Fact]
    public async Task Ls_of_an_archive_with_mode_create_lists_it_and_leaves_it_whole()
    {
        var archive = MakeArchive("a.zip");
        var before = File.ReadAllBytes(archive);

        var run = await Objstore.RunAsync("ls", $"zip://{archive}?mode=create");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(["a", "b/c"], run.Lines);
        Assert.Equal(before, File.ReadAllBytes(archive));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_dry_run_with_a_create_mode_archive_on_either_side_changes_nothing(bool archiveIsSource)
    {
        var archive = MakeArchive("a.zip");
        var before = File.ReadAllBytes(archive);
        var directory = MakeTree("D", 2, 10);
        string[] args = archiveIsSource
            ? ["sync", $"zip://{archive}?mode=create", directory, "--dry-run", "--delete"]
            : ["sync", directory, $"zip://{archive}?mode=create", "--dry-run", "--delete"];

        var run = await Objstore.RunAsync(args);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(before, File.ReadAllBytes(archive));
        Assert.Equal(2, Files(directory).Length);
    }

    [Fact]
    public async Task Ls_of_a_database_of_the_python_original_leaves_its_bytes_and_journal_as_they_were()
    {
        var db = _dir.File("py.db");
        SqliteFiles.CreateLikePythonOriginal(db, ("k", "v"u8.ToArray()));
        var before = File.ReadAllBytes(db);

        var run = await Objstore.RunAsync("ls", "sqlite://" + db);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(["k"], run.Lines);
        Assert.Equal(before, File.ReadAllBytes(db));
        Assert.False(File.Exists(db + "-wal"), "a reading command switched the database to WAL");
    }

    // ---- Output errors -------------------------------------------------------------------------

    [Fact]
    public async Task Cat_into_a_pipe_its_reader_closed_ends_at_once_and_quietly()
    {
        var root = _dir.File("D");
        Directory.CreateDirectory(root);
        File.WriteAllBytes(Path.Combine(root, "big"), TestData.Bytes(32 << 20, seed: 4));
        using var process = Objstore.Start(_dir.Path, "cat", root, "big");
        var error = process.StandardError.ReadToEndAsync(Ct);

        Assert.NotEqual(-1, process.StandardOutput.BaseStream.ReadByte());
        process.StandardOutput.BaseStream.Close();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(timeout.Token);

        Assert.Equal(BrokenPipe, process.ExitCode);
        Assert.Equal("", await error);
    }

    [Fact]
    public async Task Ls_json_into_a_full_device_is_one_line_and_exit_1()
    {
        Assert.SkipUnless(File.Exists("/dev/full"), "needs /dev/full");
        var root = MakeTree("D", 200, 1);

        var run = await Objstore.RunInShellAsync(["ls", root, "--json"], "> /dev/full");

        Assert.True(run.ExitCode == 1, run.ToString());
        var line = Assert.Single(run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("objstore: cannot write the output:", line);
    }

    // ---- Signals -------------------------------------------------------------------------------

    [Fact]
    public async Task A_second_interrupt_while_an_archive_is_written_exits_130_without_a_crash_or_a_leftover()
    {
        var dir = _dir.File("Z");
        Directory.CreateDirectory(dir);
        var archive = Path.Combine(dir, "a.zip");
        using var process = Objstore.Start(_dir.Path, "put", "zip://" + archive, "k", "-");
        var error = process.StandardError.ReadToEndAsync(Ct);
        await process.StandardInput.BaseStream.WriteAsync(TestData.Bytes(60 << 20, seed: 8), Ct);
        process.StandardInput.Close();

        // The put is spooled; the archive is being built when its temporary file shows. Interrupt
        // twice then: the build at dispose does not stop for the first, so the second must end it.
        var clock = Stopwatch.StartNew();
        while (Directory.GetFiles(dir, "*.zipstore-tmp").Length == 0 && !process.HasExited && clock.Elapsed < TimeSpan.FromSeconds(30))
            await Task.Delay(2, Ct);
        Assert.SkipWhen(process.HasExited, "the archive was written before it could be interrupted");
        Objstore.Signal(process, "INT");
        await Task.Delay(TimeSpan.FromMilliseconds(200), Ct);
        Objstore.Signal(process, "INT");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(20));
        await process.WaitForExitAsync(timeout.Token);

        Assert.True(process.ExitCode == Cancelled, await error);
        Assert.DoesNotContain("Unhandled", await error);
        Assert.Empty(Directory.GetFiles(dir, ".a.zip.*"));
        Assert.False(File.Exists(archive), "an interrupted put left an archive");
    }

    // Starts a sync into a zip and interrupts it once the copying has begun.
    private async Task<(int ExitCode, string Error)> InterruptedSyncIntoZipAsync(string source, string zipUrl, string signal)
    {
        using var process = Objstore.Start(_dir.Path, "sync", source, zipUrl, "--parallel", "1");
        var lines = new List<string>();
        while (await process.StandardError.ReadLineAsync(Ct) is { } line)
        {
            lines.Add(line);
            if (line.Contains("in the source", StringComparison.Ordinal)) break;
        }
        await Task.Delay(TimeSpan.FromMilliseconds(300), Ct);
        Objstore.Signal(process, signal);
        var rest = await process.StandardError.ReadToEndAsync(Ct);
        await process.WaitForExitAsync(Ct);
        return (process.ExitCode, string.Join('\n', lines) + "\n" + rest);
    }

    private string[] LeftoversBeside(string archive) =>
        [.. Directory.GetFiles(_dir.Path, "." + Path.GetFileName(archive) + ".*")];

    [Theory]
    [InlineData("INT")]
    [InlineData("TERM")]
    public async Task An_interrupted_sync_into_a_new_zip_leaves_no_archive_and_no_temporary_file(string signal)
    {
        var source = MakeTree("S", 60, 1 << 20);
        var archive = _dir.File("new.zip");

        var (exitCode, error) = await InterruptedSyncIntoZipAsync(source, "zip://" + archive, signal);

        Assert.True(exitCode == Cancelled, error);
        Assert.False(File.Exists(archive), "an interrupted sync left an archive");
        Assert.Empty(LeftoversBeside(archive));
    }

    [Fact]
    public async Task An_interrupted_sync_into_an_existing_zip_in_create_mode_keeps_the_previous_archive()
    {
        var source = MakeTree("S", 60, 1 << 20);
        var archive = MakeArchive("old.zip");
        var before = File.ReadAllBytes(archive);

        var (exitCode, error) = await InterruptedSyncIntoZipAsync(source, $"zip://{archive}?mode=create", "INT");

        Assert.True(exitCode == Cancelled, error);
        Assert.Equal(before, File.ReadAllBytes(archive));
        Assert.Empty(LeftoversBeside(archive));
    }

    [Fact]
    public async Task A_sync_into_a_zip_says_done_only_once_the_archive_is_written()
    {
        var source = MakeTree("S", 40, 1 << 20);
        var archive = _dir.File("new.zip");
        using var process = Objstore.Start(_dir.Path, "sync", source, "zip://" + archive);
        var output = process.StandardOutput.ReadToEndAsync(Ct);
        int entriesAtDone = -1;
        while (await process.StandardError.ReadLineAsync(Ct) is { } line)
        {
            if (!line.Contains(", done in ", StringComparison.Ordinal)) continue;
            // Read the moment the tool says it is done, while it still runs.
            entriesAtDone = EntriesIn(archive);
            break;
        }
        await process.StandardError.ReadToEndAsync(Ct);
        await process.WaitForExitAsync(Ct);
        await output;

        Assert.Equal(0, process.ExitCode);
        Assert.Equal(40, entriesAtDone);
    }

    private static int EntriesIn(string archive)
    {
        if (!File.Exists(archive)) return 0;
        using var zip = ZipFile.OpenRead(archive);
        return zip.Entries.Count;
    }

    // ---- get -o onto what is not a regular file ------------------------------------------------

    private string MakeStoreWithObject(byte[] data)
    {
        var root = _dir.File("store");
        Directory.CreateDirectory(root);
        File.WriteAllBytes(Path.Combine(root, "obj"), data);
        return root;
    }

    private static bool Test(string flag, string path)
    {
        using var test = Process.Start("test", [flag, path]);
        test.WaitForExit();
        return test.ExitCode == 0;
    }

    [Fact]
    public async Task Get_onto_a_symbolic_link_writes_the_file_it_names_and_keeps_the_link()
    {
        var store = MakeStoreWithObject("new bytes"u8.ToArray());
        var real = _dir.File("real.txt");
        File.WriteAllText(real, "old bytes, longer than the new");
        var link = _dir.File("link");
        File.CreateSymbolicLink(link, real);

        var run = await Objstore.RunAsync("get", store, "obj", "-o", link);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.NotNull(new FileInfo(link).LinkTarget);
        Assert.Equal("new bytes", File.ReadAllText(real));
    }

    [Fact]
    public async Task Get_onto_a_fifo_writes_into_it_and_leaves_a_fifo()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "FIFOs are a Unix thing");
        var data = TestData.Bytes(300_000, seed: 5);
        var store = MakeStoreWithObject(data);
        var fifo = _dir.File("fifo");
        using (var mkfifo = Process.Start("mkfifo", [fifo])) await mkfifo.WaitForExitAsync(Ct);
        var reader = Task.Run(() => File.ReadAllBytes(fifo), Ct);

        var run = await Objstore.RunAsync("get", store, "obj", "-o", fifo);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(data, await reader.WaitAsync(TimeSpan.FromSeconds(30), Ct));
        Assert.True(Test("-p", fifo), "the FIFO was replaced");
    }

    [Fact]
    public async Task Get_onto_a_character_device_writes_into_it_and_leaves_the_device()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "device nodes are a Unix thing");
        var device = _dir.File("null");
        using (var mknod = Process.Start(new ProcessStartInfo("mknod", [device, "c", "1", "3"]) { RedirectStandardError = true })!)
        {
            await mknod.WaitForExitAsync(Ct);
            Assert.SkipUnless(mknod.ExitCode == 0, "making a device node needs root");
        }
        var store = MakeStoreWithObject(TestData.Bytes(10_000, seed: 6));

        var run = await Objstore.RunAsync("get", store, "obj", "-o", device);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.True(Test("-c", device), "the device node was replaced by a regular file");
    }
}
