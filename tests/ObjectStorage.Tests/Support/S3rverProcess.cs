using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Amazon.Runtime;

namespace ObjectStorage.Tests.Support;

/// <summary>
/// A private s3rver on a fixed loopback port, so that a test can kill it and start it again over
/// the same data directory; also the shared one a test run starts when no server is named.
/// </summary>
public sealed class S3rverProcess : ICrashableS3Server
{
    public const string PackageVariable = "OBJSTORE_S3RVER_PACKAGE";

    /// <summary>Fixed by s3rver; it does not check signatures.</summary>
    public static readonly BasicAWSCredentials Credentials = new("S3RVER", "S3RVER");

    private static readonly Lazy<string?> InstalledPackage = new(Install, LazyThreadSafetyMode.ExecutionAndPublication);
    private static readonly Lock SharedLock = new();
    private static S3rverProcess? _shared;

    private readonly string _package;
    private readonly TempDirectory _data = new("s3rver");
    private Process? _process;

    public S3rverProcess(string package, string bucket)
    {
        _package = package;
        Bucket = bucket;
        Port = FreePort();
        Endpoint = $"http://127.0.0.1:{Port}";
    }

    private const string NoNode =
        "s3rver needs Node.js with npm, and bash, and node or npm is not on PATH: install Node.js 18 or later with npm " +
        "(Debian: apt-get install nodejs npm) and the S3 tests install and start s3rver themselves, or set OBJSTORE_S3_ENDPOINT to an S3 server";

    /// <summary>The s3rver package: OBJSTORE_S3RVER_PACKAGE's (set by .ci/run), else installed into a cache folder by .ci/s3rver.sh; or a visible skip.</summary>
    public static string RequirePackage() => InstalledPackage.Value ?? throw S3TestServer.Skip(NoNode);

    /// <summary>Starts the s3rver the S3 tests share when the environment names none, or says why it cannot.</summary>
    public static S3TestServer.Connection StartShared(string bucket)
    {
        if (InstalledPackage.Value is not { } package) return new S3TestServer.Connection(null, null, NoNode);
        lock (SharedLock)
        {
            var server = new S3rverProcess(package, bucket);
            try
            {
                Task.Run(() => server.StartAsync(CancellationToken.None)).GetAwaiter().GetResult();
            }
            catch
            {
                server.Dispose();
                throw;
            }
            _shared = server;
            return new S3TestServer.Connection(server.Endpoint, Credentials);
        }
    }

    /// <summary>Stops the shared s3rver, if this run started one.</summary>
    public static void StopShared()
    {
        lock (SharedLock)
        {
            _shared?.Dispose();
            _shared = null;
        }
    }

    private static string? Install() =>
        Environment.GetEnvironmentVariable(PackageVariable) is { Length: > 0 } given && Directory.Exists(given)
            ? given
            : InstallNpmPackage("s3rver.sh", "s3rver");

    /// <summary>
    /// Installs the npm package <paramref name="name"/> with the .ci script <paramref name="script"/>
    /// (copied beside the tests) into the cache folder the fixtures share; its folder, or null
    /// where node, npm or bash is missing.
    /// </summary>
    internal static string? InstallNpmPackage(string script, string name)
    {
        if (ExternalTool.FindOnPath("node") is null || ExternalTool.FindOnPath("npm") is null || ExternalTool.FindOnPath("bash") is null) return null;
        var cache = Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } xdg
            ? xdg
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        var path = Path.Combine(AppContext.BaseDirectory, script);
        var folder = Path.Combine(cache, "objectstorage-tests", name);
        var failure = ExternalTool.Run("bash", path, folder);
        if (failure is not null) throw new InvalidOperationException($"installing {name} with {path} failed: {failure}");
        return Path.Combine(folder, "node_modules", name);
    }

    public S3TestServer Kind => S3TestServer.S3rver;

    public string Bucket { get; }
    public int Port { get; }
    public string Endpoint { get; }

    /// <summary>Starts the server and waits until it answers.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        string[] args = [Path.Combine(_package, "bin", "s3rver.js"), "-d", _data.Path, "-a", "127.0.0.1", "-p", Port.ToString(), "--configure-bucket", Bucket, "--silent"];
        _process = StartQuiet("node", args, ("NODE_OPTIONS", "--openssl-legacy-provider"));
        await WaitUntilAnswering(_process, $"{Endpoint}/{Bucket}?list-type=2&max-keys=1", "s3rver", cancellationToken);
    }

    /// <summary>Starts <paramref name="file"/> with its output read and dropped, so that it never blocks on a full pipe.</summary>
    internal static Process StartQuiet(string file, IEnumerable<string> args, params (string Name, string Value)[] environment)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args) info.ArgumentList.Add(arg);
        foreach (var (name, value) in environment) info.Environment[name] = value;
        var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {file}");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>Waits up to 30 s until <paramref name="url"/> answers with success; fails if the process exits first.</summary>
    internal static async Task WaitUntilAnswering(Process process, string url, string name, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        for (int attempt = 0; attempt < 300; attempt++)
        {
            if (process.HasExited) throw new InvalidOperationException($"{name} exited with code {process.ExitCode}");
            try
            {
                using var response = await http.GetAsync(url, cancellationToken);
                if (response.IsSuccessStatusCode) return;
            }
            catch (HttpRequestException) { }
            await Task.Delay(100, cancellationToken);
        }
        throw new InvalidOperationException($"{name} did not answer within 30 s");
    }

    /// <summary>Kills the server process at once, as a crash would.</summary>
    public void Kill() => KillNow(ref _process);

    /// <summary>Kills <paramref name="process"/> and its children, waits for the end, and forgets it.</summary>
    internal static void KillNow(ref Process? process)
    {
        if (process is null) return;
        if (!process.HasExited) process.Kill(entireProcessTree: true);
        process.WaitForExit();
        process.Dispose();
        process = null;
    }

    public void Dispose()
    {
        Kill();
        _data.Dispose();
    }

    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
