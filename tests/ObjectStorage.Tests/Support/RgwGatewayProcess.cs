using System.Diagnostics;

namespace ObjectStorage.Tests.Support;

/// <summary>
/// A private RADOS Gateway on the Ceph cluster .ci/run started (its ceph.conf in
/// OBJSTORE_RGW_CONF), on a port of its own, so that a test can kill it as a crash would and start
/// it again while the cluster, and the other tests' gateway, keep running.
/// </summary>
public sealed class RgwGatewayProcess : ICrashableS3Server
{
    public const string ConfVariable = "OBJSTORE_RGW_CONF";

    private readonly string _conf;
    private readonly TempDirectory _data = new("rgw-private");
    private readonly string _name = $"client.rgw.t{Environment.ProcessId}x{Guid.NewGuid().ToString("N")[..6]}";
    private Process? _process;

    public RgwGatewayProcess()
    {
        S3TestServer.Rgw.RequireEndpoint();
        _conf = Environment.GetEnvironmentVariable(ConfVariable) is { Length: > 0 } conf && File.Exists(conf)
            ? conf
            : throw S3TestServer.Skip($"{ConfVariable} is not set: run .ci/run, which starts Ceph with .ci/ceph-rgw.sh and sets it");
        Port = S3rverProcess.FreePort();
        Endpoint = $"http://127.0.0.1:{Port}";
    }

    public S3TestServer Kind => S3TestServer.Rgw;
    public string Bucket => S3TestServer.Bucket;
    public int Port { get; }
    public string Endpoint { get; }

    /// <summary>Starts the gateway in the foreground (so that this process is the daemon) and waits until it answers.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        string[] args = ["-f", "-c", _conf, "-n", _name, "--rgw_frontends", $"beast endpoint=127.0.0.1:{Port}", "--rgw_data", _data.Path];
        _process = S3rverProcess.StartQuiet("radosgw", args);
        await S3rverProcess.WaitUntilAnswering(_process, $"{Endpoint}/", "radosgw", cancellationToken);
    }

    /// <summary>Kills the gateway at once, as a crash would.</summary>
    public void Kill() => S3rverProcess.KillNow(ref _process);

    public void Dispose()
    {
        Kill();
        _data.Dispose();
    }
}

/// <summary>An S3 server of a test's own that it can kill and start again over the same data.</summary>
public interface ICrashableS3Server : IDisposable
{
    /// <summary>Which kind of server, for its credentials and client settings.</summary>
    S3TestServer Kind { get; }

    string Bucket { get; }

    string Endpoint { get; }

    Task StartAsync(CancellationToken cancellationToken);

    void Kill();
}
