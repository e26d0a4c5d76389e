using System.Text.Json;
using ObjectStorage.Tests.Support;

namespace ObjectStorage.Tests.Server;

/// <summary>The AWS CLI (botocore) against <c>objstore serve</c>: high-level transfers and the multipart calls one by one.</summary>
public sealed class AwsCliServeTests : IAsyncLifetime
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly TempDirectory _scratch = new("awscli-serve");
    private ServedStores _served = null!;

    private static string Bucket => ServedStores.BucketOf("filesystem");

    private ObjectStore Store => _served.Buckets[Bucket];

    public async ValueTask InitializeAsync() => _served = await ServedStores.StartAsync(["filesystem"]);

    public async ValueTask DisposeAsync()
    {
        await _served.DisposeAsync();
        _scratch.Dispose();
    }

    [Fact]
    public async Task Aws_s3_cp_of_20_MiB_goes_up_as_multipart_and_comes_back_byte_exact()
    {
        var aws = AwsCli.Require();
        var data = TestData.Bytes((20 << 20) + 5, seed: 11);
        var local = _scratch.File("twenty.bin");
        await File.WriteAllBytesAsync(local, data, Ct);

        await Aws(aws, "s3", "cp", local, $"s3://{Bucket}/up/twenty.bin");
        await Aws(aws, "s3", "cp", $"s3://{Bucket}/up/twenty.bin", _scratch.File("back.bin"));
        var listing = await Aws(aws, "s3", "ls", $"s3://{Bucket}/up/");
        var head = JsonDocument.Parse(await Aws(aws, "s3api", "head-object", $"--bucket={Bucket}", "--key=up/twenty.bin"));

        Assert.Equal(data, await Store.GetAsync("up/twenty.bin", Ct));
        Assert.Equal(data, await File.ReadAllBytesAsync(_scratch.File("back.bin"), Ct));
        Assert.Contains("twenty.bin", listing);
        Assert.Equal(data.Length, head.RootElement.GetProperty("ContentLength").GetInt64());
        await Aws(aws, "s3", "rm", $"s3://{Bucket}/up/twenty.bin");
        Assert.False(await Store.ExistsAsync("up/twenty.bin", Ct));
    }

    [Fact]
    public async Task Aws_s3api_multipart_lists_parts_refuses_parts_out_of_order_completes_and_aborts()
    {
        var aws = AwsCli.Require();
        byte[][] parts = [TestData.Bytes(5 << 20, seed: 1), TestData.Bytes(300, seed: 2)];
        var uploadId = JsonDocument.Parse(await Aws(aws, "s3api", "create-multipart-upload", $"--bucket={Bucket}", "--key=api/object"))
            .RootElement.GetProperty("UploadId").GetString()!;
        var etags = new List<string>();
        for (int i = 0; i < parts.Length; i++)
        {
            var file = _scratch.File($"part{i + 1}");
            await File.WriteAllBytesAsync(file, parts[i], Ct);
            etags.Add(JsonDocument.Parse(await Aws(aws, "s3api", "upload-part", $"--bucket={Bucket}", "--key=api/object", $"--upload-id={uploadId}",
                $"--part-number={i + 1}", $"--body={file}")).RootElement.GetProperty("ETag").GetString()!);
        }
        var listed = JsonDocument.Parse(await Aws(aws, "s3api", "list-parts", $"--bucket={Bucket}", "--key=api/object", $"--upload-id={uploadId}"));
        string PartList(params int[] order) => JsonSerializer.Serialize(new { Parts = order.Select(n => new { ETag = etags[n - 1], PartNumber = n }) });

        var unordered = await AwsCli.RunAsync(aws, _served.Endpoint, ServedStores.Credentials.AccessKeyId, ServedStores.Credentials.SecretAccessKey, _scratch,
            "s3api", "complete-multipart-upload", $"--bucket={Bucket}", "--key=api/object", $"--upload-id={uploadId}", $"--multipart-upload={PartList(2, 1)}");
        await Aws(aws, "s3api", "complete-multipart-upload", $"--bucket={Bucket}", "--key=api/object", $"--upload-id={uploadId}", $"--multipart-upload={PartList(1, 2)}");
        var abortedId = JsonDocument.Parse(await Aws(aws, "s3api", "create-multipart-upload", $"--bucket={Bucket}", "--key=api/aborted"))
            .RootElement.GetProperty("UploadId").GetString()!;
        var during = JsonDocument.Parse(await Aws(aws, "s3api", "list-multipart-uploads", $"--bucket={Bucket}"));
        await Aws(aws, "s3api", "abort-multipart-upload", $"--bucket={Bucket}", "--key=api/aborted", $"--upload-id={abortedId}");
        var after = await Aws(aws, "s3api", "list-multipart-uploads", $"--bucket={Bucket}");

        Assert.Equal([1, 2], listed.RootElement.GetProperty("Parts").EnumerateArray().Select(p => p.GetProperty("PartNumber").GetInt32()));
        Assert.NotEqual(0, unordered.ExitCode);
        Assert.Contains("InvalidPartOrder", unordered.Error);
        Assert.Equal(parts.SelectMany(p => p).ToArray(), await Store.GetAsync("api/object", Ct));
        Assert.Equal([abortedId], during.RootElement.GetProperty("Uploads").EnumerateArray().Select(u => u.GetProperty("UploadId").GetString()));
        Assert.DoesNotContain(abortedId, after);
        Assert.False(await Store.ExistsAsync("api/aborted", Ct));
    }

    private Task<string> Aws(string aws, params string[] args) =>
        AwsCli.RunOkAsync(aws, _served.Endpoint, ServedStores.Credentials.AccessKeyId, ServedStores.Credentials.SecretAccessKey, _scratch, args);
}
