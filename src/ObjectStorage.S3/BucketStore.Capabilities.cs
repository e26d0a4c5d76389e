using System.Net;
using Amazon.Runtime;
using Amazon.S3;

namespace ObjectStorage;

// What the service can do, learnt from the service itself where the options leave it open.
public sealed partial class BucketStore
{
    // The probe of If-None-Match, run once per store; a failed probe (service unreachable) is not kept.
    private Task<bool>? _conditionalPutProbe;

    /// <summary>
    /// True where the service honours <c>If-None-Match: *</c> on PutObject, so PutIfNotExists is
    /// atomic. Unless <see cref="BucketStoreOptions.SupportsConditionalPut"/> says, the first read
    /// asks the service: it creates a probe object under the store's prefix twice and deletes it.
    /// </summary>
    public override bool CanPutIfNotExists => _options.SupportsConditionalPut ?? Block(ConditionalPutHonouredAsync);

    private Task<bool> ConditionalPutHonouredAsync()
    {
        var probe = Volatile.Read(ref _conditionalPutProbe);
        if (probe is not null) return probe;
        var started = ProbeConditionalPutAsync();
        probe = Interlocked.CompareExchange(ref _conditionalPutProbe, started, null) ?? started;
        return probe;
    }

    private async Task<bool> ProbeConditionalPutAsync()
    {
        // Ignored, the second create-only put succeeds (s3rver, older MinIO); refused as not
        // implemented, either fails with 501 or 400 (Swift's s3api); honoured, it fails with 412.
        var probe = $"{_prefix}.objectstorage-probe-{Guid.NewGuid():N}";
        try
        {
            await PutObjectAsync(probe, ReadOnlyMemory<byte>.Empty, ifNoneMatch: true, CancellationToken.None).ConfigureAwait(false);
            await PutObjectAsync(probe, ReadOnlyMemory<byte>.Empty, ifNoneMatch: true, CancellationToken.None).ConfigureAwait(false);
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
            Volatile.Write(ref _conditionalPutProbe, null);
            throw Translate(ex, null, "find out whether the service honours If-None-Match", CancellationToken.None) ?? ex;
        }
        finally
        {
            try
            {
                await _client.DeleteObjectAsync(_bucket, probe, CancellationToken.None).ConfigureAwait(false);
            }
            catch (AmazonServiceException)
            {
                // A probe left behind is an empty object under a reserved name; the answer stands.
            }
        }
    }
}
