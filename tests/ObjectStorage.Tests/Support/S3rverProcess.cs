using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace ObjectStorage.Tests.Support;

/// <summary>
/// A private s3rver, started from the package .ci/run installed, on a fixed loopback port so that
/// a test can kill it and start it again over the same data directory.
/// </summary>
public sealed class S3rverProcess : IDisposable
{
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

    public string Bucket { get; }
    public int Port { get; }
    public string Endpoint { get; }

    /// <summary>Starts the server and waits until it answers.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo("node")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { Path.Combine(_package, "bin", "s3rver.js"), "-d", _data.Path, "-a", "127.0.0.1", "-p", Port.ToString(), "--configure-bucket", Bucket, "--silent" })
            info.ArgumentList.Add(arg);
        info.Environment["NODE_OPTIONS"] = "--openssl-legacy-provider";
        _process = Process.Start(info) ?? throw new InvalidOperationException("could not start node");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        for (int attempt = 0; attempt < 100; attempt++)
        {
            if (_process.HasExited) throw new InvalidOperationException($"s3rver exited with code {_process.ExitCode}");
            try
            {
                using var response = await http.GetAsync($"{Endpoint}/{Bucket}?list-type=2&max-keys=1", cancellationToken);
                if (response.IsSuccessStatusCode) return;
            }
            catch (HttpRequestException) { }
            await Task.Delay(100, cancellationToken);
        }
        throw new InvalidOperationException("s3rver did not answer within 10 s");
    }

    /// <summary>Kills the server process at once, as a crash would.</summary>
    public void Kill()
    {
        if (_process is null) return;
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
        _process.Dispose();
        _process = null;
    }

    public void Dispose()
    {
        Kill();
        _data.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
