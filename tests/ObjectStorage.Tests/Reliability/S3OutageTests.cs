using ObjectStorage.Tests.Support;

namespace ObjectStorage.Tests.Reliability;

/// <summary>
/// A sync from a FilesystemStore into a BucketStore on a private server (s3rver, or a RADOS Gateway of its own) that is killed in the
/// middle of the sync, while a multipart upload is in flight, and started again over the same data:
/// every call fails clearly while it is down, nothing the bucket held before is damaged, and a rerun
/// converges with every object byte-exact. (BucketStoreCrashTests kills the server under a single
/// multipart put; this is the same under a whole sync.)
/// </summary>
public abstract class S3OutageTests(Func<ICrashableS3Server> privateServer)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private const string Big = "m/big";

    [Fact]
    public async Task Server_killed_mid_sync_and_mid_multipart_fails_clearly_and_a_rerun_after_restart_converges()
    {
        using var server = privateServer();
        await server.StartAsync(Ct);
        var options = server.Kind.Options(S3TestServer.NewPrefix("outage"), server.Endpoint, server.Bucket);
        using var sourceDir = new TempDirectory("outage-src");

        // Keys before the big one are copied, the big one is cut off mid-upload, the ones after find the server gone.
        var expected = new Dictionary<string, byte[]>();
        for (int i = 0; i < 12; i++) expected[$"a/{i:D2}"] = TestData.Bytes(i * 20_000, seed: i);
        expected[Big] = TestData.Bytes((12 << 20) + 7, seed: 100);
        for (int i = 0; i < 12; i++) expected[$"z/{i:D2}"] = TestData.Bytes(i * 15_000 + 1, seed: 200 + i);
        var oldBig = TestData.Bytes((6 << 20) + 3, seed: 101);
        using (var source = new FilesystemStore(sourceDir.Path))
            foreach (var (key, data) in expected) source.Put(key, data);
        using (var target = new BucketStore(options))
        {
            await target.PutAsync(Big, oldBig, Ct);           // an earlier, complete multipart version
            await target.PutAsync("z/00", new byte[] { 7, 7 }, Ct); // stale (another size)
        }

        using (var source = new FilesystemStore(sourceDir.Path))
        using (var client = server.Kind.CreateClient(server.Endpoint, maxErrorRetry: 0))
        using (var target = new BucketStore(client, options))
        {
            var tripwire = new TripwireStore(source, Big, at: 7 << 20, _ => server.Kill());
            var report = await StoreSync.SyncAsync(tripwire, target, new SyncOptions { Parallelism = 1 }, Ct);

            Assert.True(tripwire.Fired);
            Assert.Equal(12, report.Copied);
            Assert.Equal([Big, .. expected.Keys.Where(k => k.StartsWith("z/", StringComparison.Ordinal))], report.Failures.Select(f => f.Key));
            foreach (var failure in report.Failures)
            {
                var ex = Assert.IsType<ObjectStoreException>(failure.Error);
                Assert.Equal(failure.Key, ex.Key);
                Assert.Contains(server.Endpoint, ex.Message);
                Assert.NotNull(ex.InnerException);
            }

            // While it is down every kind of call fails clearly, and so does a whole sync.
            var get = await Assert.ThrowsAsync<ObjectStoreException>(async () => await target.GetAsync("a/01", Ct));
            Assert.Equal("a/01", get.Key);
            Assert.Contains(server.Endpoint, Assert.Throws<ObjectStoreException>(() => target.Exists("a/01")).Message);
            Assert.Contains(server.Endpoint, Assert.Throws<ObjectStoreException>(() => target.Keys().ToList()).Message);
            await Assert.ThrowsAsync<ObjectStoreException>(async () => await target.PutAsync("x", new byte[] { 1 }, Ct));
            await Assert.ThrowsAsync<ObjectStoreException>(() => StoreSync.SyncAsync(source, target, cancellationToken: Ct));
        }

        await server.StartAsync(Ct);
        using (var source = new FilesystemStore(sourceDir.Path))
        using (var target = new BucketStore(options))
        {
            // After the restart: what was copied is there, the big key still holds its complete earlier version.
            Assert.Equal(oldBig, await target.GetAsync(Big, Ct));
            Assert.Equal(expected["a/05"], await target.GetAsync("a/05", Ct));
            Assert.Equal([7, 7], await target.GetAsync("z/00", Ct));

            var rerun = await StoreSync.SyncAsync(source, target, new SyncOptions { DeleteExtraneous = true }, Ct);
            Assert.True(rerun.Succeeded, string.Join("; ", rerun.Failures.Select(f => $"{f.Key}: {f.Error.Message}")));
            Assert.Equal((11L, 2L, 12L), (rerun.Copied, rerun.Updated, rerun.Unchanged));
        }
        using (var check = new BucketStore(options))
        {
            Assert.Equal(expected.Keys.Order(KeyComparer.Utf8), check.Keys().ToList());
            foreach (var (key, data) in expected)
            {
                var now = await check.GetAsync(key, Ct);
                Assert.True(data.AsSpan().SequenceEqual(now), $"{key} is not byte-exact after the rerun");
            }
        }
    }
}

public sealed class S3OutageTestsOnS3rver() : S3OutageTests(() => new S3rverProcess(S3rverProcess.RequirePackage(), "outage"));

public sealed class S3OutageTestsOnRgw() : S3OutageTests(() => new RgwGatewayProcess());
