using System.Diagnostics;
using StackExchange.Redis;

[assembly: AssemblyFixture(typeof(ObjectStorage.Tests.Support.RedisTestServer.Shutdown))]

namespace ObjectStorage.Tests.Support;

/// <summary>
/// The Redis the Redis tests run against: the one OBJSTORE_REDIS names (host:port; .ci/run starts
/// one), or else a private <c>redis-server</c> this test run starts on a free loopback port with
/// persistence off. Where neither is there, the tests skip and say how to get one.
/// </summary>
public static class RedisTestServer
{
    public const string Variable = "OBJSTORE_REDIS";

    private const string NoServer =
        "redis-server is not on PATH and OBJSTORE_REDIS is not set: install Redis (Debian: apt-get install redis-server) " +
        "and the Redis tests start it themselves, or set OBJSTORE_REDIS=host:port";

    private static readonly Lazy<(string? Endpoint, string? Missing)> Server = new(Start, LazyThreadSafetyMode.ExecutionAndPublication);
    private static readonly Lazy<ConnectionMultiplexer> SharedConnection = new(() => ConnectionMultiplexer.Connect(RequireEndpoint() + ",allowAdmin=true"), LazyThreadSafetyMode.ExecutionAndPublication);
    private static Process? _process;

    /// <summary>host:port of the server, or a visible skip that says how to get one.</summary>
    public static string RequireEndpoint() => Server.Value.Endpoint ?? throw S3TestServer.Skip(Server.Value.Missing!);

    /// <summary>One connection the tests share, as an application would.</summary>
    public static ConnectionMultiplexer Connection => SharedConnection.Value;

    /// <summary>A store with a key prefix no other test uses, over the shared connection.</summary>
    public static RedisStore NewStore(string tag, RedisStoreOptions? options = null) =>
        new(Connection, (options ?? new RedisStoreOptions()) with { Prefix = NewPrefix(tag) });

    /// <summary>A key prefix no other test uses.</summary>
    public static string NewPrefix(string tag) => $"{tag}:{Guid.NewGuid():N}:";

    private static (string?, string?) Start()
    {
        if (Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } given) return (given, null);
        if (ExternalTool.FindOnPath("redis-server") is not { } server) return (null, NoServer);
        var port = S3rverProcess.FreePort();
        _process = S3rverProcess.StartQuiet(server, ["--port", port.ToString(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]);
        var endpoint = $"127.0.0.1:{port}";
        for (int attempt = 0; attempt < 100; attempt++)
        {
            if (_process.HasExited) throw new InvalidOperationException($"redis-server exited with code {_process.ExitCode}");
            try
            {
                using var probe = ConnectionMultiplexer.Connect($"{endpoint},connectTimeout=500,abortConnect=true");
                probe.GetDatabase().Ping();
                return (endpoint, null);
            }
            catch (RedisConnectionException)
            {
                Thread.Sleep(100);
            }
        }
        throw new InvalidOperationException("redis-server did not answer within 10 s");
    }

    /// <summary>Stops the redis-server this run started, when the last test is done.</summary>
    public sealed class Shutdown : IDisposable
    {
        public void Dispose()
        {
            if (SharedConnection.IsValueCreated) SharedConnection.Value.Dispose();
            S3rverProcess.KillNow(ref _process);
        }
    }
}
