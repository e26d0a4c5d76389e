using System.Diagnostics;
using System.Text;
using System.Text.Json;
using ObjectStorage.Tests.Cli;
using ObjectStorage.Tests.Support;

namespace ObjectStorage.Tests.Server;

/// <summary><c>objstore serve</c> as a user runs it, with rclone (a real S3 client) syncing a directory tree into it.</summary>
public sealed class ServeCommandTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly Dictionary<string, string> Credentials = new()
    {
        ["OBJSTORE_SERVE_ACCESS_KEY"] = "serve-test-key",
        ["OBJSTORE_SERVE_SECRET_KEY"] = "serve-test-secret",
    };

    private static readonly string[] Keys = ["plain.txt", "empty", "nested/deeper/x.bin", "unicode/Grüße/日本語.bin", "spaces/with space + plus=eq.bin", "large/six-mib.bin"];

    private static byte[] Content(string key) => key switch
    {
        "empty" => [],
        "large/six-mib.bin" => TestData.Bytes((6 << 20) + 17, seed: 4),
        _ => Encoding.UTF8.GetBytes($"contents of {key}").Concat(TestData.Bytes(3000, key.Length)).ToArray(),
    };

    [Fact]
    public async Task Serve_without_credentials_or_anonymous_read_refuses_to_start()
    {
        using var dir = new TempDirectory("serve");

        var run = await Objstore.RunAsync(["serve", "--bucket", $"files={dir.Path}", "--listen", "127.0.0.1:0"],
            environment: new Dictionary<string, string> { ["OBJSTORE_SERVE_ACCESS_KEY"] = "", ["OBJSTORE_SERVE_SECRET_KEY"] = "" });

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--anonymous-read", run.Error);
    }

    [Fact]
    public async Task Rclone_syncs_a_tree_into_a_served_directory_byte_exact_and_check_finds_no_difference()
    {
        var rclone = Rclone.Require();
        using var served = new TempDirectory("served");
        using var local = new TempDirectory("local");
        foreach (var key in Keys)
        {
            var path = Path.Combine(local.Path, key);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await File.WriteAllBytesAsync(path, Content(key), Ct);
        }

        await using var server = await ServeProcess.StartAsync(["serve", "--bucket", $"files={served.Path}", "--listen", "127.0.0.1:0", "--json"], Credentials);
        var remote = $":s3,provider=Other,env_auth=false,access_key_id=serve-test-key,secret_access_key=serve-test-secret,endpoint='{server.Endpoint}',force_path_style=true:files";
        await Rclone.RunAsync(rclone, "sync", local.Path, remote);
        await Rclone.RunAsync(rclone, "check", local.Path, remote);
        await Rclone.RunAsync(rclone, "sync", local.Path, remote);

        using var store = new FilesystemStore(served.Path);
        Assert.Equal(Keys.Order(KeyComparer.Utf8), store.Keys());
        foreach (var key in Keys) Assert.True(Content(key).AsSpan().SequenceEqual(store.Get(key)), $"{key} arrived changed");
    }

    [Fact]
    public async Task Serve_with_a_bucket_root_lets_the_aws_cli_make_fill_and_remove_a_bucket_as_a_directory()
    {
        var aws = AwsCli.Require();
        using var root = new TempDirectory("bucket-root");
        using var scratch = new TempDirectory("bucket-root-cli");
        Directory.CreateDirectory(Path.Combine(root.Path, "existing"));
        await File.WriteAllTextAsync(Path.Combine(root.Path, "existing", "old.txt"), "old", Ct);
        var file = scratch.File("local.txt");
        await File.WriteAllTextAsync(file, "new", Ct);

        await using var server = await ServeProcess.StartAsync(["serve", "--bucket-root", root.Path, "--listen", "127.0.0.1:0", "--json"], Credentials);
        Task<string> Aws(params string[] args) => AwsCli.RunOkAsync(aws, server.Endpoint, "serve-test-key", "serve-test-secret", scratch, args);
        var existing = await Aws("s3", "ls", "s3://existing/");
        await Aws("s3", "mb", "s3://fresh-bucket");
        await Aws("s3", "cp", file, "s3://fresh-bucket/dir/new.txt");
        var written = await File.ReadAllTextAsync(Path.Combine(root.Path, "fresh-bucket", "dir", "new.txt"), Ct);
        var notEmpty = await AwsCli.RunAsync(aws, server.Endpoint, "serve-test-key", "serve-test-secret", scratch, "s3", "rb", "s3://fresh-bucket");
        await Aws("s3", "rm", "s3://fresh-bucket/dir/new.txt");
        await Aws("s3", "rb", "s3://fresh-bucket");

        Assert.Contains("old.txt", existing);
        Assert.Equal("new", written);
        Assert.NotEqual(0, notEmpty.ExitCode);
        Assert.Contains("BucketNotEmpty", notEmpty.Error);
        Assert.False(Directory.Exists(Path.Combine(root.Path, "fresh-bucket")));
        Assert.True(File.Exists(Path.Combine(root.Path, "existing", "old.txt")));
    }

    [Fact]
    public async Task Serve_with_further_users_lets_each_use_every_bucket_but_not_take_the_name_of_anothers()
    {
        var aws = AwsCli.Require();
        using var root = new TempDirectory("bucket-root-users");
        using var scratch = new TempDirectory("bucket-root-users-cli");
        var file = scratch.File("local.txt");
        await File.WriteAllTextAsync(file, "from alt", Ct);
        var environment = new Dictionary<string, string>(Credentials) { ["OBJSTORE_SERVE_USERS"] = "alt-key:alt-secret" };

        await using var server = await ServeProcess.StartAsync(["serve", "--bucket-root", root.Path, "--listen", "127.0.0.1:0", "--json"], environment);
        await AwsCli.RunOkAsync(aws, server.Endpoint, "serve-test-key", "serve-test-secret", scratch, "s3", "mb", "s3://mains-bucket");
        var taken = await AwsCli.RunAsync(aws, server.Endpoint, "alt-key", "alt-secret", scratch, "s3api", "create-bucket", "--bucket=mains-bucket");
        await AwsCli.RunOkAsync(aws, server.Endpoint, "alt-key", "alt-secret", scratch, "s3", "cp", file, "s3://mains-bucket/alt.txt");
        var again = await AwsCli.RunAsync(aws, server.Endpoint, "serve-test-key", "serve-test-secret", scratch, "s3api", "create-bucket", "--bucket=mains-bucket");
        var unknown = await AwsCli.RunAsync(aws, server.Endpoint, "alt-key", "wrong-secret", scratch, "s3", "ls", "s3://mains-bucket/");

        Assert.NotEqual(0, taken.ExitCode);
        Assert.Contains("BucketAlreadyExists", taken.Error);
        Assert.Equal("from alt", await File.ReadAllTextAsync(Path.Combine(root.Path, "mains-bucket", "alt.txt"), Ct));
        Assert.Equal(0, again.ExitCode);
        Assert.Contains("SignatureDoesNotMatch", unknown.Error);
    }

    /// <summary>A running <c>objstore serve</c>; its first line of JSON names the endpoint; disposing kills it.</summary>
    private sealed class ServeProcess(Process process, string endpoint) : IAsyncDisposable
    {
        public string Endpoint { get; } = endpoint;

        public static async Task<ServeProcess> StartAsync(string[] args, IReadOnlyDictionary<string, string> environment)
        {
            var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var (name, value) in environment) info.Environment[name] = value;
            info.ArgumentList.Add(Objstore.DllPath);
            foreach (var arg in args) info.ArgumentList.Add(arg);
            var process = Process.Start(info)!;
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(60));
            var line = await process.StandardOutput.ReadLineAsync(timeout.Token);
            if (line is null)
            {
                var error = await process.StandardError.ReadToEndAsync(Ct);
                process.Dispose();
                Assert.Fail($"objstore serve ended before it listened: {error}");
            }
            using var json = JsonDocument.Parse(line!);
            return new ServeProcess(process, json.RootElement.GetProperty("endpoint").GetString()!);
        }

        public async ValueTask DisposeAsync()
        {
            process.Kill();
            await process.WaitForExitAsync(CancellationToken.None);
            process.Dispose();
        }
    }
}
