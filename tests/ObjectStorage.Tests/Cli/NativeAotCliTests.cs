using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using ObjectStorage.Tests.Support;

namespace ObjectStorage.Tests.Cli;

/// <summary>
/// The ahead-of-time build of objstore (docs/cli.md, "A native build"), published once for the class, against
/// the built objstore.dll: the same commands on the same data answer the same, on every medium the machine has.
/// What reflection or run-time code would break (store URL discovery, the bridges' override scan, JSON output,
/// the AWS, Azure and Redis clients, the server) shows here as a difference.
/// </summary>
public sealed class NativeAotCliTests(NativeAotBuild build) : IClassFixture<NativeAotBuild>, IDisposable
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly Dictionary<string, string> S3Credentials = new() { ["AWS_ACCESS_KEY_ID"] = "S3RVER", ["AWS_SECRET_ACCESS_KEY"] = "S3RVER" };

    private readonly TempDirectory _dir = new("cli-aot");

    public void Dispose() => _dir.Dispose();

    private string Source() => FileTree.Write(_dir.File("source"), new Dictionary<string, byte[]>
    {
        ["a.txt"] = "alpha"u8.ToArray(),
        ["nested/b.bin"] = TestData.Bytes(300_000, seed: 5),
        ["nested/deeper/empty"] = [],
        ["unicode/Grüße 😀.txt"] = "grüße"u8.ToArray(),
    });

    // Runs the same command through both builds; {W} in an argument is a workspace of each build's own.
    private async Task<(ObjstoreRun Jit, ObjstoreRun Native)> Both(string[] args, IReadOnlyDictionary<string, string>? environment = null)
    {
        string Workspace(string build) => Directory.CreateDirectory(_dir.File(build)).FullName;
        string[] For(string name) => [.. args.Select(a => a.Replace("{W}", Workspace(name), StringComparison.Ordinal))];
        var jit = await Objstore.RunAsync(For("jit"), environment: environment);
        var native = await Objstore.RunAsync(For("native"), environment: environment, native: build.Executable);
        return (jit, native);
    }

    // Equal output and exit code, with each build's workspace path and the times a run measures taken out.
    private async Task AssertSame(string[] args, IReadOnlyDictionary<string, string>? environment = null)
    {
        var (jit, native) = await Both(args, environment);
        Assert.True(jit.ExitCode == native.ExitCode, $"objstore {string.Join(' ', args)}\n--- JIT\n{jit}\n--- native\n{native}");
        Assert.Equal(Normalized(jit.Output, "jit"), Normalized(native.Output, "native"));
        Assert.Equal(Normalized(jit.Error, "jit"), Normalized(native.Error, "native"));
    }

    // The accepted URL forms, listed in the order discovery met their packages, which differs between the builds:
    // the same exit code and the same schemes, in any order.
    private async Task AssertSameSchemes(string[] args)
    {
        var (jit, native) = await Both(args);
        static string[] Schemes(ObjstoreRun run) =>
            [.. Regex.Matches(run.Output + run.Error, @"\b[a-z][a-z0-9+.-]*://").Select(static m => m.Value).Distinct().Order(StringComparer.Ordinal)];
        Assert.True(jit.ExitCode == native.ExitCode, $"objstore {string.Join(' ', args)}\n--- JIT\n{jit}\n--- native\n{native}");
        Assert.Equal(Schemes(jit), Schemes(native));
        Assert.Contains("sqlite://", Schemes(native));
    }

    private string Normalized(string text, string build) =>
        Regex.Replace(text.Replace(_dir.File(build), "{W}", StringComparison.Ordinal),
            @"(""(elapsed\w*|seconds|durationMs|expires|eTag|\w*PerSecond)"":\s*)(""(?:[^""\\]|\\.)*""|[0-9.eE+-]+)|\b\d+(\.\d+)? ?([KMGT]i?)?(B/s|ms|s)\b", "$1~");

    [Fact(Timeout = 300_000)]
    public async Task The_native_build_starts_and_answers_like_the_dotnet_build_on_every_local_medium()
    {
        TestContext.Current.CancellationToken.ThrowIfCancellationRequested(); // the timeout cancels it; every objstore run here observes it
        var source = Source();
        foreach (var target in (string[])["{W}/copy", "sqlite://{W}/objects.db", "zip://{W}/archive.zip", "hashdir://{W}/hashed", "safefs://{W}/safe"])
        {
            await AssertSame(["sync", source, target, "--json"]);
            await AssertSame(["ls", target, "--long"]);
            await AssertSame(["ls", target, "--json"]);
            await AssertSame(["stat", target, "nested/b.bin", "--json"]);
            await AssertSame(["cat", target, "unicode/Grüße 😀.txt"]);
            await AssertSame(["check", source, target, "--json"]);
            await AssertSame(["size", target, "--json"]);
            await AssertSame(["sync", source, target]);
        }
        await AssertSame(["ls", "mem://"]);
        await AssertSame(["stat", source, "absent"]);
        await AssertSameSchemes(["ls", "nosuch://x"]);
        await AssertSameSchemes(["--help"]);
        await AssertSameSchemes(["sync", "--help"]);
        await AssertSame(["put", "{W}/copy", "from-stdin", "-", "--json"]);
        await AssertSame(["rm", "{W}/copy", "nested/", "--recursive", "--dry-run", "--json"]);
        var bench = await Objstore.RunAsync(["bench", "mem://", "--seconds", "1", "--size", "1KiB", "--json"], native: build.Executable);
        Assert.True(bench.ExitCode == 0, bench.ToString());
        Assert.Equal(["put", "get", "list", "delete"], bench.Json().GetProperty("phases").EnumerateArray().Select(static p => p.GetProperty("name").GetString()!));
    }

    [Fact(Timeout = 300_000)]
    public async Task The_native_build_reads_a_configuration_file_and_every_remote_medium_the_machine_runs()
    {
        TestContext.Current.CancellationToken.ThrowIfCancellationRequested(); // the timeout cancels it; every objstore run here observes it
        var source = Source();
        var config = _dir.File("stores.yaml");
        await File.WriteAllTextAsync(config, "stores:\n  local:\n    type: FilesystemStore\n    config:\n      root_path: " + _dir.File("configured") + "\nmain: local\n", Ct);
        var configured = await Objstore.RunAsync(["sync", source, "local:", "--config", config]);
        Assert.True(configured.ExitCode == 0, configured.ToString());
        await AssertSame(["ls", "local:", "--long", "--config", config]);
        await AssertSame(["stat", "local:", "nested/b.bin", "--json", "--config", config]);

        var prefix = Guid.NewGuid().ToString("N");
        var s3 = Uri.EscapeDataString(S3TestServer.S3rver.RequireEndpoint());
        await AssertBothWriteAndReadEachOther(source, kind => $"s3://{S3TestServer.Bucket}/aot-{prefix}-{kind}?endpoint={s3}&region=us-east-1", S3Credentials);
        var redis = RedisTestServer.RequireEndpoint();
        await AssertBothWriteAndReadEachOther(source, kind => $"redis://{redis}/5?prefix=aot-{prefix}-{kind}:", null);
        var azure = new Dictionary<string, string> { [AzuriteProcess.ConnectionStringVariable] = AzuriteProcess.RequireConnectionString() };
        await AssertBothWriteAndReadEachOther(source, kind => $"azure://{AzuriteProcess.Container}/aot-{prefix}-{kind}?connection_string_env={AzuriteProcess.ConnectionStringVariable}", azure);
    }

    // Each build syncs the source into a store of its own, finds it unchanged on a second sync, and lists
    // and reads what the other build wrote as the other does.
    private async Task AssertBothWriteAndReadEachOther(string source, Func<string, string> url, IReadOnlyDictionary<string, string>? environment)
    {
        foreach (var kind in (string[])["jit", "native"])
        {
            var native = kind == "native" ? build.Executable : null;
            var first = await Objstore.RunAsync(["sync", source, url(kind), "--json"], environment: environment, native: native);
            var again = await Objstore.RunAsync(["sync", source, url(kind), "--json"], environment: environment, native: native);
            Assert.True(first.ExitCode == 0, first.ToString());
            Assert.True(again.ExitCode == 0, again.ToString());
            Assert.Equal((4, 0), (first.Json().GetProperty("copied").GetInt32(), first.Json().GetProperty("unchanged").GetInt32()));
            Assert.Equal((0, 4), (again.Json().GetProperty("copied").GetInt32(), again.Json().GetProperty("unchanged").GetInt32()));
        }
        var (jitOfNative, nativeOfJit) = (await Objstore.RunAsync(["ls", url("native")], environment: environment),
            await Objstore.RunAsync(["ls", url("jit")], environment: environment, native: build.Executable));
        Assert.True(nativeOfJit.ExitCode == 0, nativeOfJit.ToString());
        Assert.Equal(FileTree.Files(source), jitOfNative.Lines);
        Assert.Equal(FileTree.Files(source), nativeOfJit.Lines);
        var read = await Objstore.RunAsync(["cat", url("jit"), "unicode/Grüße 😀.txt"], environment: environment, native: build.Executable);
        Assert.True(read.ExitCode == 0, read.ToString());
        Assert.Equal("grüße", read.Output);
        await AssertSame(["check", source, url("jit"), "--json"], environment);
    }

    [Fact(Timeout = 300_000)]
    public async Task The_native_build_serves_a_folder_that_the_dotnet_build_syncs_into_and_back()
    {
        TestContext.Current.CancellationToken.ThrowIfCancellationRequested(); // the timeout cancels it; every objstore run here observes it
        var source = Source();
        var served = Directory.CreateDirectory(_dir.File("served")).FullName;
        var info = new ProcessStartInfo(build.Executable) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in (string[])["serve", "--bucket", $"files={served}", "--listen", "127.0.0.1:0", "--json"]) info.ArgumentList.Add(arg);
        info.Environment["OBJSTORE_SERVE_ACCESS_KEY"] = "aot-key";
        info.Environment["OBJSTORE_SERVE_SECRET_KEY"] = "aot-secret";
        using var server = Process.Start(info)!;
        try
        {
            // Its stderr is read to the end only once it has ended: before that the end never comes.
            var line = await server.StandardOutput.ReadLineAsync(Ct);
            if (line is null) Assert.Fail("objstore serve ended before it listened: " + await server.StandardError.ReadToEndAsync(Ct));
            using var started = JsonDocument.Parse(line);
            var url = $"s3://files/?endpoint={Uri.EscapeDataString(started.RootElement.GetProperty("endpoint").GetString()!)}&region=us-east-1";
            var client = new Dictionary<string, string> { ["AWS_ACCESS_KEY_ID"] = "aot-key", ["AWS_SECRET_ACCESS_KEY"] = "aot-secret" };

            var up = await Objstore.RunAsync(["sync", source, url], environment: client);
            var down = await Objstore.RunAsync(["sync", url, _dir.File("back")], environment: client);

            Assert.True(up.ExitCode == 0, up.ToString());
            Assert.True(down.ExitCode == 0, down.ToString());
            Assert.Equal(FileTree.Files(source), FileTree.Files(served));
            foreach (var file in FileTree.Files(source))
                Assert.Equal(File.ReadAllBytes(Path.Combine(source, file)), File.ReadAllBytes(Path.Combine(_dir.File("back"), file)));
        }
        finally
        {
            server.Kill();
            await server.WaitForExitAsync(CancellationToken.None);
        }
    }
}

/// <summary>
/// objstore published ahead of time for linux-x64 into a directory of its own (its own intermediate files too, so
/// the test run's build is untouched). Skips without a C toolchain to link with, unless OBJSTORE_REQUIRE_AOT is set
/// (as .ci/run sets it), where a missing toolchain fails.
/// </summary>
public sealed class NativeAotBuild : IAsyncLifetime
{
    private readonly TempDirectory _work = new("aot-build");
    private string? _executable;
    private string? _missing;

    /// <summary>The native objstore.</summary>
    public string Executable => _executable ?? throw S3TestServer.Skip(_missing!);

    public async ValueTask InitializeAsync()
    {
        if (!OperatingSystem.IsLinux() || System.Runtime.InteropServices.RuntimeInformation.OSArchitecture != System.Runtime.InteropServices.Architecture.X64)
        {
            _missing = "the native build is tested on linux-x64";
            return;
        }
        if (!File.Exists("/usr/bin/clang") && !File.Exists("/usr/bin/gcc"))
        {
            _missing = "no C toolchain (clang or gcc) to link the native build with: apt-get install clang";
            if (Environment.GetEnvironmentVariable("OBJSTORE_REQUIRE_AOT") is { Length: > 0 }) throw new InvalidOperationException(_missing);
            return;
        }
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(10));
        var output = _work.File("out");
        var (exitCode, log) = await DotnetCli.RunAsync(Repository.Root, timeout.Token, "publish", Path.Combine("src", "ObjectStorage.Cli"),
            "-c", "Release", "-r", "linux-x64", "-p:PublishAot=true", "--artifacts-path", _work.File("artifacts"), "-o", output,
            // A compiler server started here would outlive the publish holding its output pipes, and reading them would never end.
            "--disable-build-servers");
        if (exitCode != 0) throw new InvalidOperationException(log);
        _executable = Path.Combine(output, "objstore");
    }

    public ValueTask DisposeAsync()
    {
        _work.Dispose();
        return ValueTask.CompletedTask;
    }
}
