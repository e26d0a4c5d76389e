using ObjectStorage.Tests.Support;

namespace ObjectStorage.Tests.Cli;

/// <summary>
/// objstore against the test s3rver (<see cref="S3TestServer"/>):
/// an s3:// URL with an endpoint, credentials through the AWS SDK's default chain (environment
/// variables). Skipped, visibly, without the server.
/// </summary>
public sealed class CliS3Tests : IDisposable
{
    private readonly TempDirectory _dir = new("cli-s3");

    public void Dispose() => _dir.Dispose();

    private static (string Endpoint, string Bucket) Server() => (S3TestServer.S3rver.RequireEndpoint(), S3TestServer.Bucket);

    // s3rver does not check signatures; any key pair will do, given through the SDK's default chain.
    private static readonly Dictionary<string, string> s_credentials = new()
    {
        ["AWS_ACCESS_KEY_ID"] = "S3RVER",
        ["AWS_SECRET_ACCESS_KEY"] = "S3RVER",
    };

    [Fact]
    public async Task Sync_into_an_s3_url_and_back_keeps_every_byte()
    {
        var (endpoint, bucket) = Server();
        var source = _dir.File("source");
        var files = new Dictionary<string, byte[]>
        {
            ["a.txt"] = "alpha"u8.ToArray(),
            ["nested/b.bin"] = TestData.Bytes(200_000, seed: 9),
            ["nested/deeper/empty"] = [],
        };
        foreach (var (key, data) in files)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(source, key))!);
            File.WriteAllBytes(Path.Combine(source, key), data);
        }
        var url = $"s3://{bucket}/cli-{Guid.NewGuid():N}?endpoint={Uri.EscapeDataString(endpoint)}&region=us-east-1";

        var up = await Objstore.RunAsync(["sync", source, url, "--json"], environment: s_credentials);
        var listed = await Objstore.RunAsync(["ls", url], environment: s_credentials);
        var down = await Objstore.RunAsync(["sync", url, _dir.File("back"), "--json"], environment: s_credentials);

        Assert.True(up.ExitCode == 0, up.ToString());
        Assert.Equal(3, up.Json().GetProperty("copied").GetInt64());
        Assert.Equal(["a.txt", "nested/b.bin", "nested/deeper/empty"], listed.Lines);
        Assert.True(down.ExitCode == 0, down.ToString());
        foreach (var (key, data) in files) Assert.Equal(data, File.ReadAllBytes(Path.Combine(_dir.File("back"), key)));
    }

    [Fact]
    public async Task A_bucket_that_does_not_exist_fails_with_one_line_naming_it()
    {
        var (endpoint, _) = Server();

        var run = await Objstore.RunAsync(["ls", $"s3://no-such-bucket-{Guid.NewGuid():N}?endpoint={endpoint}"], environment: s_credentials);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("does not exist", run.Error);
        Assert.Single(run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }
}
