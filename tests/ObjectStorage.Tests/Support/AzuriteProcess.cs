using Azure.Storage.Blobs;

[assembly: AssemblyFixture(typeof(ObjectStorage.Tests.Support.AzuriteProcess.Shutdown))]

namespace ObjectStorage.Tests.Support;

/// <summary>
/// The Azure Blob service the Azure tests run against: the one OBJSTORE_AZURE_CONNECTION_STRING
/// names (.ci/run starts Azurite and sets it), or else a private Azurite this test run installs
/// with .ci/azurite.sh (into ~/.cache/objectstorage-tests) and starts on a free loopback port, in
/// memory. Without Node.js the tests skip and say how to get it.
/// </summary>
public static class AzuriteProcess
{
    public const string ConnectionStringVariable = "OBJSTORE_AZURE_CONNECTION_STRING";
    public const string PackageVariable = "OBJSTORE_AZURITE_PACKAGE";

    /// <summary>Azurite's fixed development account.</summary>
    public const string Account = "devstoreaccount1";
    public const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    /// <summary>The container the tests share; each store has a prefix of its own in it.</summary>
    public const string Container = "objstore-tests";

    private const string NoNode =
        "Azurite needs Node.js with npm, and bash, and node or npm is not on PATH: install Node.js 18 or later with npm " +
        "(Debian: apt-get install nodejs npm) and the Azure tests install and start Azurite themselves, or set OBJSTORE_AZURE_CONNECTION_STRING";

    private static readonly Lazy<(string? ConnectionString, string? Missing)> Server = new(Start, LazyThreadSafetyMode.ExecutionAndPublication);
    private static System.Diagnostics.Process? _process;

    /// <summary>The connection string of the service, with its test container created, or a visible skip that says how to get one.</summary>
    public static string RequireConnectionString() => Server.Value.ConnectionString ?? throw S3TestServer.Skip(Server.Value.Missing!);

    /// <summary>A client for the shared test container.</summary>
    public static BlobContainerClient ContainerClient() => new(RequireConnectionString(), Container);

    /// <summary>A store with a prefix no other test uses, in the shared container.</summary>
    public static AzureBlobStore NewStore(string tag, int? blockSize = null) =>
        new(ContainerClient(), new AzureBlobStoreOptions { ContainerName = Container, Prefix = NewPrefix(tag), BlockSize = blockSize ?? (1 << 20) });

    /// <summary>A key prefix no other test uses.</summary>
    public static string NewPrefix(string tag) => $"{tag}/{Guid.NewGuid():N}";

    /// <summary>The connection string of an Azurite blob service at <paramref name="endpoint"/>.</summary>
    public static string ConnectionStringFor(string endpoint) =>
        $"DefaultEndpointsProtocol=http;AccountName={Account};AccountKey={AccountKey};BlobEndpoint={endpoint}/{Account};";

    private static (string?, string?) Start()
    {
        string connection;
        if (Environment.GetEnvironmentVariable(ConnectionStringVariable) is { Length: > 0 } given) connection = given;
        else
        {
            if (Install() is not { } package) return (null, NoNode);
            var port = S3rverProcess.FreePort();
            string[] args = [Path.Combine(package, "dist", "src", "blob", "main.js"), "--blobHost", "127.0.0.1", "--blobPort", port.ToString(),
                "--inMemoryPersistence", "--skipApiVersionCheck", "--loose", "--silent"];
            _process = S3rverProcess.StartQuiet("node", args);
            connection = ConnectionStringFor($"http://127.0.0.1:{port}");
            WaitUntilListening(port);
        }
        new BlobContainerClient(connection, Container).CreateIfNotExists();
        return (connection, null);
    }

    private static string? Install() =>
        Environment.GetEnvironmentVariable(PackageVariable) is { Length: > 0 } given && Directory.Exists(given)
            ? given
            : S3rverProcess.InstallNpmPackage("azurite.sh", "azurite");

    // Azurite answers an unsigned request with 403: any answer means it listens.
    private static void WaitUntilListening(int port)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        for (int attempt = 0; attempt < 300; attempt++)
        {
            if (_process!.HasExited) throw new InvalidOperationException($"Azurite exited with code {_process.ExitCode}");
            try
            {
                using var response = http.GetAsync($"http://127.0.0.1:{port}/{Account}?comp=list").GetAwaiter().GetResult();
                return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            Thread.Sleep(100);
        }
        throw new InvalidOperationException("Azurite did not answer within 30 s");
    }

    /// <summary>Stops the Azurite this run started, when the last test is done.</summary>
    public sealed class Shutdown : IDisposable
    {
        public void Dispose() => S3rverProcess.KillNow(ref _process);
    }
}
