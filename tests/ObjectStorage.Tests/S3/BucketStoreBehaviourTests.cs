using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Amazon.S3;
using Amazon.S3.Model;
using ObjectStorage.Tests.Support;

namespace ObjectStorage.Tests.S3;

/// <summary>What BucketStore does beyond the conformance suite, on each S3 test server.</summary>
public abstract class BucketStoreBehaviourTests(S3TestServer server) : IDisposable
{
    private S3TestServer Server { get; } = server;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly List<IDisposable> _cleanup = [];

    private BucketStore NewStore(string tag, Func<BucketStoreOptions, BucketStoreOptions>? change = null)
    {
        var options = Server.Options(S3TestServer.NewPrefix(tag));
        return Track(new BucketStore(change is null ? options : change(options)));
    }

    private T Track<T>(T item) where T : IDisposable
    {
        _cleanup.Add(item);
        return item;
    }

    public void Dispose()
    {
        GC.SuppressFinalize(this);
        for (int i = _cleanup.Count - 1; i >= 0; i--) _cleanup[i].Dispose();
    }

    [Fact]
    public async Task Listing_streams_across_more_than_1000_keys_in_order_and_DeletePrefix_clears_them()
    {
        var store = NewStore("many");
        var keys = Enumerable.Range(0, 1234).Select(i => $"k/{i:D5}").ToList();
        await Parallel.ForEachAsync(keys, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = Ct },
            async (key, ct) => await store.PutAsync(key, Encoding.UTF8.GetBytes(key), ct));
        store.Put("other", [1]);

        var listed = new List<string>();
        await foreach (var key in store.KeysAsync("k/", Ct)) listed.Add(key);
        Assert.Equal(keys, listed);
        Assert.Equal(keys, store.Keys("k/").ToList());

        Assert.Equal(1234, await store.DeletePrefixAsync("k/", Ct));
        Assert.Empty(store.Keys("k/"));
        Assert.Equal(["other"], store.Keys().ToList());
    }

    [Fact]
    public async Task Listing_asks_for_the_next_page_before_handing_out_this_one_and_an_abandoned_listing_ends_cleanly()
    {
        var (client, recorder) = S3CallRecorder.Wrap(Track(Server.CreateClient()));
        var store = Track(new BucketStore(client, Server.Options(S3TestServer.NewPrefix("ahead"))));
        var keys = Enumerable.Range(0, 1001).Select(i => $"k{i:D4}").ToList();
        await Parallel.ForEachAsync(keys, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = Ct },
            async (key, ct) => await store.PutAsync(key, new byte[] { 1 }, ct));
        int Lists() => recorder.Calls.Count(c => c.Method == nameof(IAmazonS3.ListObjectsV2Async));
        int before = Lists();

        var listing = store.ListAsync("", Ct).GetAsyncEnumerator(Ct);
        Assert.True(await listing.MoveNextAsync());
        Assert.Equal("k0000", listing.Current.Key);
        Assert.Equal(before + 2, Lists()); // the first page, and the second already asked for
        await listing.DisposeAsync(); // the second page is not wanted: cancelled or let finish, never thrown
        Assert.Equal(before + 2, Lists());

        var whole = new List<string>();
        await foreach (var info in store.ListAsync("", Ct)) whole.Add(info.Key);
        Assert.Equal(keys, whole);
        Assert.Equal(before + 4, Lists());
    }

    [Fact]
    public async Task DeleteMany_removes_the_keys_given_and_ignores_missing_ones()
    {
        var store = NewStore("deletemany");
        foreach (var key in new[] { "a", "b", "c" }) await store.PutAsync(key, new byte[] { 1 }, Ct);
        Assert.Equal(3, store.DeleteMany(["a", "c", "never"]));
        Assert.Equal(["b"], store.Keys().ToList());
        Assert.Throws<InvalidKeyException>(() => store.DeleteMany(["ok", "bad\0key"]));
    }

    [Fact]
    public async Task A_64_MiB_non_seekable_stream_goes_up_as_multipart_and_reads_back_whole_and_by_range()
    {
        const long size = 64L << 20;
        var (client, recorder) = S3CallRecorder.Wrap(Track(Server.CreateClient()));
        var store = Track(new BucketStore(client, Server.Options(S3TestServer.NewPrefix("big")) with { MaxConcurrentParts = 3 }));

        await store.PutAsync("big", new PatternStream(size, seed: 11), Ct);

        Assert.Equal(13, recorder.Calls.Count(c => c.Method == nameof(IAmazonS3.UploadPartAsync)));
        Assert.Single(recorder.Calls, c => c.Method == nameof(IAmazonS3.CompleteMultipartUploadAsync));
        Assert.Equal(size, (await store.StatAsync("big", Ct))!.Size);
        await using (var whole = await store.OpenReadAsync("big", Ct)) Assert.Null(PatternStream.Compare(whole, size, seed: 11));

        // Ranges inside a part, across a part boundary (5 MiB), and to the end.
        foreach (var (offset, length) in new (long, long?)[] { (0, 100), ((5L << 20) - 7, 20), (size - 1000, null), (12345678, 1 << 20) })
        {
            await using var range = await store.OpenReadAsync("big", offset, length, Ct);
            var expected = Enumerable.Range(0, (int)(length ?? size - offset)).Select(i => PatternStream.At(offset + i, 11)).ToArray();
            using var read = new MemoryStream();
            await range.CopyToAsync(read, Ct);
            Assert.Equal(expected, read.ToArray());
        }
    }

    [Fact]
    public async Task Ranged_reads_past_the_end_give_what_is_there_and_missing_keys_throw()
    {
        var store = NewStore("range");
        store.Put("r", Encoding.ASCII.GetBytes("0123456789"));
        Assert.Equal("789", ReadAll(store.OpenRead("r", 7, 100)));
        Assert.Equal("", ReadAll(store.OpenRead("r", 10)));
        Assert.Equal("", ReadAll(store.OpenRead("r", 3, 0)));
        Assert.Equal("3456789", ReadAll(store.OpenRead("r", 3)));
        await Assert.ThrowsAsync<ObjectNotFoundException>(async () => await store.OpenReadAsync("absent", 0, 5, Ct));
        await Assert.ThrowsAsync<ObjectNotFoundException>(async () => await store.OpenReadAsync("absent", 0, 0, Ct));
        Assert.Throws<ArgumentOutOfRangeException>(() => store.OpenRead("r", -1));

        static string ReadAll(Stream stream)
        {
            using (stream) return new StreamReader(stream).ReadToEnd();
        }
    }

    [Fact]
    public async Task A_non_seekable_stream_shorter_than_a_part_goes_up_in_one_request()
    {
        var (client, recorder) = S3CallRecorder.Wrap(Track(Server.CreateClient()));
        var store = Track(new BucketStore(client, Server.Options(S3TestServer.NewPrefix("small"))));
        await store.PutAsync("s", new PatternStream(300_000, seed: 5), Ct);
        Assert.Single(recorder.Calls, c => c.Method == nameof(IAmazonS3.PutObjectAsync));
        Assert.DoesNotContain(recorder.Calls, c => c.Method == nameof(IAmazonS3.InitiateMultipartUploadAsync));
        await using var read = await store.OpenReadAsync("s", Ct);
        Assert.Null(PatternStream.Compare(read, 300_000, seed: 5));
    }

    [Fact]
    public async Task Every_byte_reads_back_through_the_store_and_a_raw_client_with_chunk_encoding_off()
    {
        var prefix = S3TestServer.NewPrefix("bytes");
        var store = Track(new BucketStore(Server.Options(prefix)));
        using var raw = Server.CreateClient();
        // Sizes around the SDK's 8 KiB/64 KiB chunks and the 5 MiB part size, through bytes and through a stream.
        int[] sizes = [0, 1, 255, 8191, 8193, 65537, (1 << 20) + 3, (5 << 20) + 1];
        foreach (var size in sizes)
        {
            var data = TestData.Bytes(size, seed: size);
            await store.PutAsync($"b/{size}", data, Ct);
            await store.PutAsync($"s/{size}", new PatternStream(size, seed: size), Ct);
            Assert.Equal(data, await store.GetAsync($"b/{size}", Ct));
            Assert.Equal(size, (await store.StatAsync($"s/{size}", Ct))!.Size);
            using var response = await raw.GetObjectAsync(S3TestServer.Bucket, $"{prefix}/b/{size}", Ct);
            var rawBytes = new byte[response.ContentLength];
            await response.ResponseStream.ReadExactlyAsync(rawBytes, Ct);
            Assert.Equal(data, rawBytes);
            await using var stream = await store.OpenReadAsync($"s/{size}", Ct);
            Assert.Null(PatternStream.Compare(stream, size, seed: size));
        }
    }

    [Fact]
    public async Task Stores_with_different_prefixes_in_one_bucket_do_not_see_each_other()
    {
        var parent = S3TestServer.NewPrefix("isolation");
        var a = Track(new BucketStore(Server.Options($"{parent}/a")));
        var ab = Track(new BucketStore(Server.Options($"{parent}/ab")));
        var whole = Track(new BucketStore(Server.Options(parent)));
        await a.PutAsync("k", new byte[] { 1 }, Ct);
        await ab.PutAsync("k", new byte[] { 2 }, Ct);
        await ab.PutAsync("only-ab", new byte[] { 3 }, Ct);

        Assert.Equal(["k"], a.Keys().ToList());
        Assert.Equal(["k", "only-ab"], ab.Keys().ToList());
        Assert.Equal([1], a.Get("k"));
        Assert.False(a.Exists("only-ab"));
        Assert.Equal(["a/k", "ab/k", "ab/only-ab"], whole.Keys().ToList());

        await a.DeletePrefixAsync("", Ct);
        Assert.Empty(a.Keys());
        Assert.Equal(["k", "only-ab"], ab.Keys().ToList());
    }

    [Fact]
    public async Task Keys_inside_a_prefixed_store_never_show_the_prefix_and_the_bucket_holds_prefix_plus_key()
    {
        var prefix = S3TestServer.NewPrefix("prefix");
        var store = Track(new BucketStore(Server.Options(prefix + "/")));
        store.Put("x/y", [7]);
        Assert.Equal(prefix + "/", store.Prefix);
        Assert.Equal("x/y", Assert.Single(store.List()).Key);
        Assert.Equal("x/y", store.Stat("x/y")!.Key);
        using var raw = Server.CreateClient();
        var listed = await raw.ListObjectsV2Async(new ListObjectsV2Request { BucketName = S3TestServer.Bucket, Prefix = prefix }, Ct);
        Assert.Equal($"{prefix}/x/y", Assert.Single(listed.S3Objects).Key);
    }

    [Fact]
    public async Task A_key_that_does_not_fit_beside_the_prefix_is_rejected_naming_the_limit()
    {
        var store = NewStore("limit");
        var room = store.MaxKeyBytes;
        Assert.Equal(ObjectKey.MaxBytes - Encoding.UTF8.GetByteCount(store.Prefix), room);
        var fits = KeyOfBytes(room);
        var tooLong = KeyOfBytes(room + 1);
        await store.PutAsync(fits, new byte[] { 1 }, Ct);
        var ex = Assert.Throws<InvalidKeyException>(() => store.Put(tooLong, new byte[] { 1 }));
        Assert.Contains("prefix", ex.Message);
        Assert.Contains(room.ToString(), ex.Message);
        await Assert.ThrowsAsync<InvalidKeyException>(async () => await store.GetAsync(tooLong, Ct));
        Assert.Equal([fits], store.Keys().ToList());
    }

    // Segments of at most 200 bytes, as a file-backed server needs.
    private static string KeyOfBytes(int bytes) =>
        string.Join('/', Enumerable.Range(0, (bytes + 200) / 201).Select(i => new string('f', Math.Min(200, bytes - i * 201))));

    [Fact]
    public async Task ETag_and_LastModified_come_from_S3()
    {
        var prefix = S3TestServer.NewPrefix("etag");
        var store = Track(new BucketStore(Server.Options(prefix)));
        var before = DateTimeOffset.UtcNow.AddMinutes(-5);
        await store.PutAsync("e", TestData.Bytes(100), Ct);
        var stat = (await store.StatAsync("e", Ct))!;
        using var raw = Server.CreateClient();
        var head = await raw.GetObjectMetadataAsync(S3TestServer.Bucket, $"{prefix}/e", Ct);
        Assert.Equal(head.ETag, stat.ETag);
        Assert.Equal(stat.ETag, Assert.Single(store.List()).ETag);
        Assert.NotNull(stat.LastModified);
        Assert.InRange(stat.LastModified.Value, before, DateTimeOffset.UtcNow.AddMinutes(5));
        Assert.Equal(TimeSpan.Zero, stat.LastModified.Value.Offset);
    }

    [Fact]
    public async Task A_missing_bucket_surfaces_as_ObjectStoreException_naming_it_with_the_SDK_error_inside()
    {
        var store = NewStore("nobucket", o => o with { BucketName = "no-such-bucket-" + Guid.NewGuid().ToString("N")[..8] });
        // Empty bodies: Ceph RGW answers NoSuchBucket before reading an upload's body and leaves the
        // unread bytes on the kept-alive connection, where the next request reads as a bare 400.
        var calls = new List<(string Name, Func<Task> Call)>
        {
            ("Get", async () => await store.GetAsync("k", Ct)),
            ("Put", async () => await store.PutAsync("k", Array.Empty<byte>(), Ct)),
            ("Put(Stream)", async () => await store.PutAsync("k", new PatternStream(0), Ct)),
            ("Exists", async () => await store.ExistsAsync("k", Ct)),
            ("Stat", () => Task.FromResult(store.Stat("k"))),
            ("Delete", async () => await store.DeleteAsync("k", Ct)),
            ("Keys", () => Task.FromResult(store.Keys().ToList())),
            ("OpenRead", async () => await store.OpenReadAsync("k", Ct)),
        };
        foreach (var (name, call) in calls)
        {
            var ex = await Assert.ThrowsAsync<ObjectStoreException>(call);
            Assert.True(ex.Message.Contains(store.BucketName) && ex.Message.Contains("does not exist"), $"{name}: {ex.Message}");
            Assert.IsAssignableFrom<AmazonS3Exception>(ex.InnerException);
        }
    }

    [Fact]
    public async Task An_unreachable_service_surfaces_as_ObjectStoreException_and_cancellation_stays_cancellation()
    {
        int closedPort;
        using (var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            closedPort = ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        var store = NewStore("down", o => o with { ServiceUrl = $"http://127.0.0.1:{closedPort}", MaxErrorRetry = 0, Timeout = TimeSpan.FromSeconds(5) });
        var ex = await Assert.ThrowsAsync<ObjectStoreException>(async () => await store.GetAsync("k", Ct));
        Assert.Contains("could not be reached", ex.Message);
        Assert.NotNull(ex.InnerException);
        Assert.Throws<ObjectStoreException>(() => store.Put("k", [1]));
        Assert.Throws<ObjectStoreException>(() => store.Keys().ToList());

        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await store.GetAsync("k", cts.Token));
    }

    [Fact]
    public async Task A_cancelled_multipart_upload_is_aborted_and_leaves_the_earlier_object()
    {
        var (client, recorder) = S3CallRecorder.Wrap(Track(Server.CreateClient()));
        var store = Track(new BucketStore(client, Server.Options(S3TestServer.NewPrefix("cancel"))));
        await store.PutAsync("k", new byte[] { 1, 2, 3 }, Ct);
        using var cts = new CancellationTokenSource();
        // 12 MiB arrive, then the stream waits: two parts are up or going up when the caller cancels.
        var gated = Track(new GatedStream(TestData.Bytes(16 << 20), gateAt: 12 << 20));
        var put = store.PutAsync("k", gated, cts.Token).AsTask();
        await Task.WhenAny(gated.Reached, put);
        await cts.CancelAsync();
        gated.Release();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => put);

        var initiated = Assert.Single(recorder.Calls, c => c.Method == nameof(IAmazonS3.InitiateMultipartUploadAsync));
        var abort = Assert.Single(recorder.Calls, c => c.Method == nameof(IAmazonS3.AbortMultipartUploadAsync));
        Assert.Equal($"{store.Prefix}k", ((AbortMultipartUploadRequest)abort.Request!).Key);
        Assert.DoesNotContain(recorder.Calls, c => c.Method == nameof(IAmazonS3.CompleteMultipartUploadAsync));
        Assert.Equal([1, 2, 3], await store.GetAsync("k", Ct));
        _ = initiated;
    }

    [Fact]
    public async Task CanPutIfNotExists_is_learnt_from_the_service_and_never_leaves_an_overwrite_to_chance()
    {
        // S3's rule: a second create-only put of a key fails with 412 and leaves the first object.
        // RGW honours it; s3rver ignores the header, so there the store must refuse, not overwrite.
        var store = NewStore("create");
        store.Put("taken", [1]);
        Assert.Equal(Server.HonoursConditionalPut, store.CanPutIfNotExists);
        Assert.Equal(["taken"], store.Keys().ToList()); // the probe is gone
        if (Server.HonoursConditionalPut)
        {
            Assert.True(await store.PutIfNotExistsAsync("c", new byte[] { 5 }, Ct));
            Assert.False(await store.PutIfNotExistsAsync("c", new byte[] { 6 }, Ct));
            Assert.False(store.PutIfNotExists("taken", [2]));
            Assert.Equal([5], store.Get("c"));
            Assert.Equal([1], store.Get("taken"));
        }
        else
        {
            var ex = Assert.Throws<NotSupportedException>(() => store.PutIfNotExists("taken", [2]));
            Assert.Contains("PutIfNotExists", ex.Message);
            Assert.Equal([1], store.Get("taken"));
        }
    }

    [Fact]
    public async Task SupportsConditionalPut_given_in_the_options_is_taken_without_asking_the_service()
    {
        var (client, recorder) = S3CallRecorder.Wrap(Track(Server.CreateClient()));
        var refused = Track(new BucketStore(client, Server.Options(S3TestServer.NewPrefix("create")) with { SupportsConditionalPut = false }));
        Assert.False(refused.CanPutIfNotExists);
        Assert.Throws<NotSupportedException>(() => refused.PutIfNotExists("c", [1]));
        Assert.DoesNotContain(recorder.Calls, c => c.Method.EndsWith("Async", StringComparison.Ordinal));

        var conditional = Track(new BucketStore(client, Server.Options(S3TestServer.NewPrefix("create")) with { SupportsConditionalPut = true }));
        Assert.True(conditional.CanPutIfNotExists);
        Assert.True(await conditional.PutIfNotExistsAsync("c", new byte[] { 5 }, Ct));
        Assert.Equal([5], conditional.Get("c"));
        var put = (PutObjectRequest)Assert.Single(recorder.Calls, c => c.Method == nameof(IAmazonS3.PutObjectAsync)).Request!;
        Assert.Equal("*", put.IfNoneMatch);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Chunked_uploads_are_used_only_where_the_service_stores_them_byte_exact(bool checksumOnlyWhenRequired)
    {
        var prefix = S3TestServer.NewPrefix("chunked");
        var (client, recorder) = S3CallRecorder.Wrap(Track(Server.CreateClient(checksumOnlyWhenRequired: checksumOnlyWhenRequired)));
        var store = Track(new BucketStore(client, Server.Options(prefix) with { UseChunkEncoding = true }));
        var small = TestData.Bytes(100_003, seed: 3);
        await store.PutAsync("small", small, Ct);
        await store.PutAsync("large", new PatternStream((6 << 20) + 5, seed: 4), Ct);

        var expected = Server.StoresChunkedUploads(checksumOnlyWhenRequired);
        var uploads = recorder.Calls.Where(c => c.Request is PutObjectRequest put && put.Key.StartsWith($"{prefix}/small", StringComparison.Ordinal)).ToList();
        Assert.Equal(expected, ((PutObjectRequest)Assert.Single(uploads).Request!).UseChunkEncoding);
        Assert.All(recorder.Calls.Select(c => c.Request).OfType<UploadPartRequest>(), part => Assert.Equal(expected, part.UseChunkEncoding));
        using var raw = Server.CreateClient();
        using (var response = await raw.GetObjectAsync(S3TestServer.Bucket, $"{prefix}/small", Ct))
        {
            var stored = new byte[response.ContentLength];
            await response.ResponseStream.ReadExactlyAsync(stored, Ct);
            Assert.Equal(small, stored);
        }
        await using (var large = await store.OpenReadAsync("large", Ct)) Assert.Null(PatternStream.Compare(large, (6 << 20) + 5, seed: 4));
        Assert.Equal(["large", "small"], store.Keys().ToList()); // the probe is gone
    }

    [Fact]
    public async Task Presigned_GET_and_PUT_URLs_work_with_a_plain_HttpClient()
    {
        var store = NewStore("presign");
        store.Put("shared/doc.txt", Encoding.UTF8.GetBytes("hello"));
        using var http = new HttpClient();

        var get = store.PresignGetUrl("shared/doc.txt", TimeSpan.FromMinutes(5));
        Assert.Equal("hello", await http.GetStringAsync(get, Ct));

        var put = store.PresignPutUrl("uploaded/by url.bin", TimeSpan.FromMinutes(5));
        var body = TestData.Bytes(70_000, seed: 9);
        using var response = await http.PutAsync(put, new ByteArrayContent(body), Ct);
        Assert.True(response.IsSuccessStatusCode, $"PUT to the presigned URL answered {(int)response.StatusCode}");
        Assert.Equal(body, await store.GetAsync("uploaded/by url.bin", Ct));
    }

    [Fact]
    public void Sync_calls_do_not_deadlock_under_a_single_threaded_SynchronizationContext()
    {
        var store = NewStore("syncctx");
        var result = SingleThreadContext.Run(() =>
        {
            store.Put("a", [1, 2]);
            store.Put("big", new PatternStream((6 << 20) + 1));
            var got = store.Get("a");
            var exists = store.Exists("big");
            var keys = store.Keys().ToList();
            using var stream = store.OpenRead("big");
            var compare = PatternStream.Compare(stream, (6 << 20) + 1);
            store.Delete("a");
            return (got, exists, keys, compare, after: store.Exists("a"));
        });
        Assert.Equal([1, 2], result.got);
        Assert.True(result.exists);
        Assert.Equal(["a", "big"], result.keys);
        Assert.Null(result.compare);
        Assert.False(result.after);
    }

    [Fact]
    public async Task An_injected_client_stays_usable_after_the_store_is_disposed()
    {
        using var client = Server.CreateClient();
        var store = new BucketStore(client, Server.Options(S3TestServer.NewPrefix("owned")));
        await store.PutAsync("k", new byte[] { 1 }, Ct);
        await store.DisposeAsync();
        Assert.Throws<ObjectDisposedException>(() => store.Get("k"));
        var listed = await client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = S3TestServer.Bucket, Prefix = store.Prefix }, Ct);
        Assert.Single(listed.S3Objects);
    }

    [Fact]
    public void Options_are_checked_when_the_store_is_made()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new BucketStore(Server.Options("p") with { PartSize = 1 << 20 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new BucketStore(Server.Options("p") with { MaxConcurrentParts = 0 }));
        Assert.Throws<InvalidKeyException>(() => new BucketStore(Server.Options("a\0b")));
        Assert.Throws<ArgumentException>(() => new BucketStore(Server.Options("p") with { BucketName = "" }));
    }

    /// <summary>Runs a body on a dedicated thread whose SynchronizationContext has only that thread, like a UI thread.</summary>
    private sealed class SingleThreadContext : SynchronizationContext
    {
        private readonly BlockingCollection<(SendOrPostCallback, object?)> _queue = [];

        public override void Post(SendOrPostCallback d, object? state)
        {
            // Work posted after the body has returned is dropped, as a closed UI loop would.
            try { _queue.Add((d, state)); }
            catch (InvalidOperationException) { }
        }

        public override void Send(SendOrPostCallback d, object? state) => throw new NotSupportedException();

        public static T Run<T>(Func<T> body)
        {
            var context = new SingleThreadContext();
            T result = default!;
            Exception? error = null;
            var thread = new Thread(() =>
            {
                SetSynchronizationContext(context);
                context.Post(_ =>
                {
                    try { result = body(); }
                    catch (Exception ex) { error = ex; }
                    finally { context._queue.CompleteAdding(); }
                }, null);
                foreach (var (callback, state) in context._queue.GetConsumingEnumerable()) callback(state);
            });
            thread.Start();
            if (!thread.Join(TimeSpan.FromMinutes(2))) throw new TimeoutException("deadlocked: the sync calls never returned");
            if (error is not null) throw new AggregateException(error);
            return result;
        }
    }
}

public sealed class BucketStoreBehaviourTestsOnS3rver() : BucketStoreBehaviourTests(S3TestServer.S3rver);

public sealed class BucketStoreBehaviourTestsOnRgw() : BucketStoreBehaviourTests(S3TestServer.Rgw);
