using System.Diagnostics;
using System.Text;
using ObjectStorage.Tests.Support;

namespace ObjectStorage.Tests.S3;

/// <summary>Objects BucketStore writes are ordinary S3 objects: another client (rclone) reads them byte for byte, and the reverse.</summary>
public abstract class BucketStoreInteropTests(S3TestServer server)
{
    private S3TestServer Server { get; } = server;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly string[] Keys = ["plain.txt", "empty", "nested/deeper/x.bin", "unicode/Grüße/日本語.bin", "spaces/with space + plus=eq.bin", "large/multipart.bin"];

    private static byte[] Content(string key) => key switch
    {
        "empty" => [],
        "large/multipart.bin" => TestData.Bytes((6 << 20) + 17, seed: 4),
        _ => Encoding.UTF8.GetBytes($"contents of {key}").Concat(TestData.Bytes(3000, key.Length)).ToArray(),
    };

    [Fact]
    public async Task Objects_written_by_BucketStore_read_back_byte_exact_through_rclone_and_back()
    {
        var (endpoint, rclone, prefix) = RequireRclone("rclone");
        using var store = new BucketStore(Server.Options(prefix));
        foreach (var key in Keys)
        {
            if (key.StartsWith("large/", StringComparison.Ordinal)) await store.PutAsync(key, new NonSeekable(Content(key)), Ct);
            else await store.PutAsync(key, Content(key), Ct);
        }

        using var local = new TempDirectory("rclone");
        // s3rver ignores encoding-type=url in listings, so rclone must not ask for it.
        var remote = Remote(endpoint, prefix);
        // --fast-list: one recursive listing; s3rver's delimiter listings miss directories that hold only directories.
        await RunAsync(rclone, "copy", "--fast-list", remote, local.Path);
        foreach (var key in Keys)
            Assert.True(Content(key).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(local.Path, key))), $"rclone read {key} differently");

        var upload = local.File("from-rclone.bin");
        File.WriteAllBytes(upload, TestData.Bytes(100_003, seed: 8));
        await RunAsync(rclone, "copyto", upload, $"{remote}/back/from-rclone.bin");
        Assert.Equal(TestData.Bytes(100_003, seed: 8), await store.GetAsync("back/from-rclone.bin", Ct));
    }

    [Fact]
    public async Task Odd_keys_BucketStore_puts_are_the_keys_rclone_lists_and_rclone_puts_are_keys_we_list()
    {
        var (endpoint, rclone, prefix) = RequireRclone("rclone-keys");
        using var store = new BucketStore(Server.Options(prefix));
        // rclone shows a key ending in '/' as a directory and has no file for an empty, "." or ".."
        // segment, so folder markers and such keys are left to the listing tests.
        var keys = KeyCases.RoundTrip.Where(k => Server.CannotHold(k) is null && !k.Split('/').Any(s => s is "" or "." or "..")
            && Encoding.UTF8.GetByteCount(prefix + "/" + k) <= ObjectKey.MaxBytes).ToList();
        foreach (var key in keys) await store.PutAsync(key, Encoding.UTF8.GetBytes(key), Ct);

        // encoding=None: rclone passes key bytes through instead of mapping them to names its local disks accept.
        var remote = Remote(endpoint, prefix, "encoding=None");
        var listed = System.Text.Json.JsonDocument.Parse(await RunAsync(rclone, "lsjson", "-R", "--files-only", "--fast-list", remote))
            .RootElement.EnumerateArray().Select(e => e.GetProperty("Path").GetString()!).ToList();
        // Its listing still shows a control character as its picture (U+0007 as U+2407, DEL as U+2421).
        Assert.Equal(keys.Select(ShownByRclone).Order(KeyComparer.Utf8), listed.Order(KeyComparer.Utf8));

        using var local = new TempDirectory("rclone-keys");
        // Not "a/../b": rclone cleans such paths itself before they reach S3.
        string[] theirs = ["from rclone/back\\slash %25 ?#+.txt", "from rclone/é/%/100%.txt", "from rclone/ lead/trail .x"];
        foreach (var key in theirs)
        {
            var file = local.File($"upload-{Array.IndexOf(theirs, key)}");
            File.WriteAllText(file, key);
            await RunAsync(rclone, "copyto", file, $"{remote}/{key}");
        }
        Assert.Equal(theirs.Order(KeyComparer.Utf8), store.Keys("from rclone/"));
        foreach (var key in theirs) Assert.Equal(key, Encoding.UTF8.GetString(await store.GetAsync(key, Ct)));
    }

    [Fact]
    public async Task Odd_keys_BucketStore_puts_are_the_keys_the_AWS_CLI_lists_and_reads_and_its_puts_are_keys_we_list()
    {
        var endpoint = Server.RequireEndpoint();
        var aws = AwsCli.Require();
        var prefix = S3TestServer.NewPrefix("awscli-keys");
        using var scratch = new TempDirectory("awscli-keys");
        using var store = new BucketStore(Server.Options(prefix));
        var keys = KeyCases.RoundTrip.Where(k => Server.CannotHold(k) is null && Encoding.UTF8.GetByteCount(prefix + "/" + k) <= ObjectKey.MaxBytes).ToList();
        foreach (var key in keys) await store.PutAsync(key, Encoding.UTF8.GetBytes(key), Ct);

        // The CLI asks for encoding-type=url itself and decodes what the server encoded, so its
        // listing is the keys as they are: folder markers, "//", ".." and control characters included.
        var listing = System.Text.Json.JsonDocument.Parse(await AwsAsync(aws!, endpoint, scratch,
            "s3api", "list-objects-v2", $"--bucket={S3TestServer.Bucket}", $"--prefix={prefix}/"));
        var listed = listing.RootElement.GetProperty("Contents").EnumerateArray()
            .Select(e => e.GetProperty("Key").GetString()![(prefix.Length + 1)..]).ToList();
        Assert.Equal(keys.Order(KeyComparer.Utf8), listed.Order(KeyComparer.Utf8));

        // Each CLI call starts a Python process, so the reads take one key of each odd kind.
        var odd = new[] { "photos/", "a//b", "a/../b", ".", "ctl/new\nline", "back\\slash.txt", "%25", "bidi/\u202Egnp.exe" }
            .Where(keys.Contains).ToList();
        Assert.NotEmpty(odd);
        foreach (var key in odd)
        {
            var file = scratch.File($"get-{odd.IndexOf(key)}");
            await AwsAsync(aws!, endpoint, scratch, "s3api", "get-object", $"--bucket={S3TestServer.Bucket}", $"--key={prefix}/{key}", file);
            Assert.Equal(key, await File.ReadAllTextAsync(file, Ct));
        }

        string[] candidates = ["from aws/back\\slash %25 ?#+.txt", "from aws/a//b", "from aws/./dot/../dots", "from aws/folder/", "from aws/é/100%"];
        var theirs = candidates.Where(k => Server.CannotHold(k) is null).ToList();
        foreach (var key in theirs)
        {
            var file = scratch.File($"put-{theirs.IndexOf(key)}");
            await File.WriteAllTextAsync(file, key, Ct);
            await AwsAsync(aws!, endpoint, scratch, "s3api", "put-object", $"--bucket={S3TestServer.Bucket}", $"--key={prefix}/{key}", $"--body={file}");
        }
        Assert.Equal(theirs.Order(KeyComparer.Utf8), store.Keys("from aws/"));
        foreach (var key in theirs) Assert.Equal(key, Encoding.UTF8.GetString(await store.GetAsync(key, Ct)));
    }

    // The test server, rclone (or a visible skip), and a prefix of the test's own.
    private (string Endpoint, string Rclone, string Prefix) RequireRclone(string tag)
    {
        var endpoint = Server.RequireEndpoint();
        var rclone = ExternalTool.FindOnPath("rclone");
        Assert.SkipWhen(rclone is null, "rclone is not installed (apt-get install -y rclone; .ci/run installs it)");
        return (endpoint, rclone!, S3TestServer.NewPrefix(tag));
    }

    private static string ShownByRclone(string key) =>
        string.Concat(key.Select(c => c switch
        {
            > '\0' and < ' ' => (char)(0x2400 + c),
            '\x7f' => '\u2421',
            _ => c,
        }));

    // An rclone remote on the server's bucket under prefix, configured on the command line alone.
    private string Remote(string endpoint, string prefix, string? extra = null)
    {
        var credentials = Server.Credentials.GetCredentials();
        var options = $"provider=Other,list_version=2,list_url_encode=false,env_auth=false,access_key_id={credentials.AccessKey},secret_access_key={credentials.SecretKey},endpoint='{endpoint}',force_path_style=true";
        return $":s3,{options}{(extra is null ? "" : "," + extra)}:{S3TestServer.Bucket}/{prefix}";
    }

    private static Task<string> RunAsync(string rclone, params string[] args)
    {
        var info = new ProcessStartInfo(rclone);
        foreach (var arg in args) info.ArgumentList.Add(arg);
        // rclone rejects the CA bundle some environments point AWS tools at; it speaks plain HTTP here.
        info.Environment.Remove("AWS_CA_BUNDLE");
        info.Environment["RCLONE_CONFIG"] = Path.Combine(Path.GetTempPath(), "objectstorage-no-rclone.conf");
        return RunToolAsync(info);
    }

    private Task<string> AwsAsync(string aws, string endpoint, TempDirectory scratch, params string[] args)
    {
        var credentials = Server.Credentials.GetCredentials();
        return AwsCli.RunOkAsync(aws, endpoint, credentials.AccessKey, credentials.SecretKey, scratch, args);
    }

    private static async Task<string> RunToolAsync(ProcessStartInfo info)
    {
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        info.UseShellExecute = false;
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync(Ct);
        var error = process.StandardError.ReadToEndAsync(Ct);
        await process.WaitForExitAsync(Ct);
        Assert.True(process.ExitCode == 0,
            $"{Path.GetFileName(info.FileName)} {string.Join(' ', info.ArgumentList)} exited {process.ExitCode}: {await error}{await output}");
        return await output;
    }

    private sealed class NonSeekable(byte[] data) : MemoryStream(data, writable: false)
    {
        public override bool CanSeek => false;
    }
}

public sealed class BucketStoreInteropTestsOnS3rver() : BucketStoreInteropTests(S3TestServer.S3rver);

public sealed class BucketStoreInteropTestsOnRgw() : BucketStoreInteropTests(S3TestServer.Rgw);
