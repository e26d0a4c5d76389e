using System.Net;
using System.Security.Cryptography;
using Amazon.Runtime;
using Amazon.S3;

namespace ObjectStorage;

// What the service can do, learnt from the service itself where the options leave it open: each
// question is asked once per store, with a probe object under the store's prefix that is deleted
// again. A probe that fails (service unreachable) is asked again next time.
public sealed partial class BucketStore
{
    private Task<bool>? _conditionalPutProbe;
    private Task<bool>? _chunkEncodingProbe;

    /// <summary>
    /// True where the service honours <c>If-None-Match: *</c> on PutObject, so PutIfNotExists is
    /// atomic. Unless <see cref="BucketStoreOptions.SupportsConditionalPut"/> says, the first read
    /// asks the service: it creates a probe object under the store's prefix twice and deletes it.
    /// </summary>
    public override bool CanPutIfNotExists =>
        _options.SupportsConditionalPut ?? KnowConditionalPut();

    // A property cannot await: the probe runs on the pool so that no caller's context waits on itself.
    private bool KnowConditionalPut()
    {
        var probe = Once(ref _conditionalPutProbe, ProbeConditionalPutAsync);
        return probe.IsCompletedSuccessfully ? probe.Result : Task.Run(() => probe).GetAwaiter().GetResult();
    }

    // aws-chunked bodies where the options ask for them and the service stores them right.
    private ValueTask<bool> UseChunkEncodingAsync(CancellationToken cancellationToken) =>
        _options.UseChunkEncoding
            ? new ValueTask<bool>(Once(ref _chunkEncodingProbe, ProbeChunkEncodingAsync).WaitAsync(cancellationToken))
            : ValueTask.FromResult(false);

    private static Task<bool> Once(ref Task<bool>? slot, Func<Task<bool>> probe)
    {
        var known = Volatile.Read(ref slot);
        if (known is not null && !known.IsFaulted && !known.IsCanceled) return known;
        var started = probe();
        return Interlocked.CompareExchange(ref slot, started, known) is var winner && winner == known ? started : winner!;
    }

    private async Task<bool> ProbeConditionalPutAsync()
    {
        // Honoured, the second create-only put fails with 412. Ignored, it succeeds (s3rver, older
        // MinIO): the store must then refuse PutIfNotExists rather than overwrite. Swift's s3api
        // answers 501 Not Implemented.
        var probe = ProbeKey();
        try
        {
            await PutObjectAsync(probe, ReadOnlyMemory<byte>.Empty, PutOptions.None, ifNoneMatch: true, CancellationToken.None, chunked: false).ConfigureAwait(false);
            await PutObjectAsync(probe, ReadOnlyMemory<byte>.Empty, PutOptions.None, ifNoneMatch: true, CancellationToken.None, chunked: false).ConfigureAwait(false);
            return false;
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.PreconditionFailed)
        {
            return true;
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode is HttpStatusCode.NotImplemented or HttpStatusCode.BadRequest)
        {
            return false;
        }
        catch (Exception ex)
        {
            throw Translate(ex, null, "find out whether the service honours If-None-Match", CancellationToken.None) ?? ex;
        }
        finally
        {
            await DeleteProbeAsync(probe).ConfigureAwait(false);
        }
    }

    private async Task<bool> ProbeChunkEncodingAsync()
    {
        // Some services refuse aws-chunked bodies (Ceph RGW with the SDK's checksum trailer, Swift's
        // s3api); others answer 200 and keep the chunk framing inside the object (s3rver). A plain
        // single-part object's ETag is the MD5 of the bytes the service stored, which tells them apart
        // without reading the object back.
        var probe = ProbeKey();
        var body = new byte[100_000];
        for (int i = 0; i < body.Length; i++) body[i] = (byte)(i * 31 + (i >> 8));
        try
        {
            var response = await PutObjectAsync(probe, body, PutOptions.None, ifNoneMatch: false, CancellationToken.None, chunked: true).ConfigureAwait(false);
            return string.Equals(response.ETag?.Trim('"'), Convert.ToHexStringLower(MD5.HashData(body)), StringComparison.Ordinal)
                || response.ServerSideEncryptionMethod == ServerSideEncryptionMethod.AWSKMS
                || response.ServerSideEncryptionMethod == ServerSideEncryptionMethod.AWSKMSDSSE;
        }
        catch (AmazonS3Exception ex) when ((int)ex.StatusCode is >= 400 and < 500 or 501 && ex.StatusCode is not HttpStatusCode.Forbidden and not HttpStatusCode.NotFound)
        {
            return false;
        }
        catch (Exception ex)
        {
            throw Translate(ex, null, "find out whether the service takes aws-chunked uploads", CancellationToken.None) ?? ex;
        }
        finally
        {
            await DeleteProbeAsync(probe).ConfigureAwait(false);
        }
    }

    private string ProbeKey() => $"{_prefix}.objectstorage-probe-{Guid.NewGuid():N}";

    private async Task DeleteProbeAsync(string probe)
    {
        try
        {
            await _client.DeleteObjectAsync(_bucket, probe, CancellationToken.None).ConfigureAwait(false);
        }
        catch (AmazonServiceException)
        {
            // A probe left behind is an empty or small object under a reserved name; the answer stands.
        }
    }
}
