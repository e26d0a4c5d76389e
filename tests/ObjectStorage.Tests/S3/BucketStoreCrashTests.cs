using Amazon.S3;
using ObjectStorage.Tests.Support;

namespace ObjectStorage.Tests.S3;

/// <summary>BucketStore against a private server (s3rver, or a RADOS Gateway of its own) that the test kills and restarts.</summary>
public abstract class BucketStoreCrashTests(Func<ICrashableS3Server> privateServer)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Server_killed_during_a_multipart_upload_fails_clearly_and_the_key_keeps_its_complete_earlier_version()
    {
        using var server = privateServer();
        await server.StartAsync(Ct);
        var options = server.Kind.Options(S3TestServer.NewPrefix("crash"), server.Endpoint, server.Bucket);
        // The earlier version is itself a multipart object (two parts), complete before the crash.
        var earlier = TestData.Bytes((7 << 20) + 5, seed: 1);
        using var client = server.Kind.CreateClient(server.Endpoint, maxErrorRetry: 0);
        var (recorded, recorder) = S3CallRecorder.Wrap(client);
        using (var store = new BucketStore(recorded, options))
        {
            await store.PutAsync("victim", earlier, Ct);
            // The new version's first two parts go up, then its stream waits until the server is gone.
            using var gated = new GatedStream(TestData.Bytes(20 << 20, seed: 2), gateAt: 12 << 20);
            var put = store.PutAsync("victim", gated, Ct).AsTask();
            Assert.Same(gated.Reached, await Task.WhenAny(gated.Reached, put));
            server.Kill();
            gated.Release();

            var ex = await Assert.ThrowsAsync<ObjectStoreException>(() => put);
            Assert.Equal("victim", ex.Key);
            Assert.Contains("could not write", ex.Message);
            Assert.Contains(server.Endpoint, ex.Message);
            Assert.NotNull(ex.InnerException);
            // The store tried to abort the upload (which fails too while the server is down).
            Assert.Equal(2, recorder.Calls.Count(c => c.Method == nameof(IAmazonS3.InitiateMultipartUploadAsync)));
            Assert.Single(recorder.Calls, c => c.Method == nameof(IAmazonS3.AbortMultipartUploadAsync));
            await Assert.ThrowsAsync<ObjectStoreException>(async () => await store.GetAsync("victim", Ct));
        }

        await server.StartAsync(Ct);
        using (var store = new BucketStore(options))
        {
            var now = await store.TryGetAsync("victim", Ct);
            Assert.NotNull(now);
            Assert.True(now.AsSpan().SequenceEqual(earlier), $"after the crash the key holds {now.Length} bytes that are not the earlier version");
            Assert.Equal(["victim"], store.Keys().ToList());
        }
    }
}

public sealed class BucketStoreCrashTestsOnS3rver() : BucketStoreCrashTests(() => new S3rverProcess(S3rverProcess.RequirePackage(), "crash-tests"));

public sealed class BucketStoreCrashTestsOnRgw() : BucketStoreCrashTests(() => new RgwGatewayProcess());
