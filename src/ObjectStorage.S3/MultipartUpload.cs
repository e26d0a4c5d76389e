using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;
using Amazon.S3;
using Amazon.S3.Model;

namespace ObjectStorage;

/// <summary>
/// One object sent as an S3 multipart upload: parts read in order from their source, up to a
/// bounded number in flight at once, completed only when every part is in. On any failure or
/// cancellation the upload is aborted, so the service keeps no orphaned parts and the key keeps
/// whatever object it held before.
/// </summary>
internal sealed class MultipartUpload(IAmazonS3 client, string bucket, string key, bool useChunkEncoding, int maxConcurrentParts, Action<InitiateMultipartUploadRequest> describe)
{
    /// <summary>One part's bytes; <see cref="Pooled"/> goes back to the array pool once the part is sent.</summary>
    internal readonly record struct Part(ReadOnlyMemory<byte> Data, byte[]? Pooled);

    /// <summary>Parts of an object in memory: slices, no copies.</summary>
    public static async IAsyncEnumerable<Part> PartsOf(ReadOnlyMemory<byte> data, int partSize)
    {
        for (int offset = 0; offset < data.Length; offset += partSize)
            yield return new Part(data.Slice(offset, Math.Min(partSize, data.Length - offset)), null);
        await Task.CompletedTask.ConfigureAwait(false);
    }

    /// <summary>Parts of a stream whose first <paramref name="partSize"/> bytes are already in <paramref name="first"/> (a pooled array this takes over).</summary>
    public static async IAsyncEnumerable<Part> PartsOf(Stream data, byte[] first, int partSize, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        yield return new Part(first.AsMemory(0, partSize), first);
        while (true)
        {
            var buffer = ArrayPool<byte>.Shared.Rent(partSize);
            int length;
            try
            {
                length = await FillAsync(data, buffer.AsMemory(0, partSize), cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                ArrayPool<byte>.Shared.Return(buffer);
                throw;
            }
            if (length == 0)
            {
                ArrayPool<byte>.Shared.Return(buffer);
                yield break;
            }
            yield return new Part(buffer.AsMemory(0, length), buffer);
            if (length < partSize) yield break;
        }
    }

    /// <summary>A read-only request body over <paramref name="data"/>, without a copy when the memory is an array's.</summary>
    public static MemoryStream BodyOf(ReadOnlyMemory<byte> data) =>
        MemoryMarshal.TryGetArray(data, out var segment)
            ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(data.ToArray(), writable: false);

    /// <summary>Reads until <paramref name="buffer"/> is full or the stream ends; returns the bytes read.</summary>
    public static async ValueTask<int> FillAsync(Stream data, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        int filled = 0;
        while (filled < buffer.Length)
        {
            int n = await data.ReadAsync(buffer[filled..], cancellationToken).ConfigureAwait(false);
            if (n == 0) break;
            filled += n;
        }
        return filled;
    }

    /// <summary>Uploads every part and completes the object; aborts the upload and rethrows the first failure otherwise.</summary>
    public async Task UploadAsync(IAsyncEnumerable<Part> parts, CancellationToken cancellationToken)
    {
        var initiate = new InitiateMultipartUploadRequest { BucketName = bucket, Key = key };
        describe(initiate);
        var initiated = await client.InitiateMultipartUploadAsync(initiate, cancellationToken).ConfigureAwait(false);
        var uploadId = initiated.UploadId;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var slots = new SemaphoreSlim(maxConcurrentParts);
        var inFlight = new List<Task<PartETag>>();
        var enumerator = parts.GetAsyncEnumerator(stop.Token);
        try
        {
            try
            {
                for (int number = 1; ; number++)
                {
                    await slots.WaitAsync(stop.Token).ConfigureAwait(false);
                    if (!await enumerator.MoveNextAsync().ConfigureAwait(false))
                    {
                        slots.Release();
                        break;
                    }
                    var part = enumerator.Current;
                    int partNumber = number;
                    inFlight.Add(Task.Run(() => UploadPartAsync(uploadId, partNumber, part, slots, stop), CancellationToken.None));
                }
            }
            finally
            {
                await enumerator.DisposeAsync().ConfigureAwait(false);
            }
            var etags = await Task.WhenAll(inFlight).ConfigureAwait(false);
            var complete = new CompleteMultipartUploadRequest { BucketName = bucket, Key = key, UploadId = uploadId, PartETags = [.. etags] };
            await client.CompleteMultipartUploadAsync(complete, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            await stop.CancelAsync().ConfigureAwait(false);
            foreach (var task in inFlight)
            {
                try { await task.ConfigureAwait(false); }
                catch (Exception) { /* the first real failure is chosen below */ }
            }
            await AbortAsync(uploadId).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            // When a part failed, the loop saw only the cancellation that failure caused.
            var cause = inFlight.Select(t => t.Exception?.InnerException).FirstOrDefault(e => e is not null and not OperationCanceledException) ?? ex;
            ExceptionDispatchInfo.Throw(cause);
        }
    }

    private async Task<PartETag> UploadPartAsync(string uploadId, int number, Part part, SemaphoreSlim slots, CancellationTokenSource stop)
    {
        try
        {
            using var body = BodyOf(part.Data);
            var request = new UploadPartRequest
            {
                BucketName = bucket,
                Key = key,
                UploadId = uploadId,
                PartNumber = number,
                InputStream = body,
                UseChunkEncoding = useChunkEncoding,
            };
            var response = await client.UploadPartAsync(request, stop.Token).ConfigureAwait(false);
            return new PartETag(number, response.ETag);
        }
        catch
        {
            await stop.CancelAsync().ConfigureAwait(false);
            throw;
        }
        finally
        {
            if (part.Pooled is not null) ArrayPool<byte>.Shared.Return(part.Pooled);
            slots.Release();
        }
    }

    // Best effort: when the service is unreachable the abort fails too, and the caller's exception matters more.
    private async Task AbortAsync(string uploadId)
    {
        try
        {
            await client.AbortMultipartUploadAsync(new AbortMultipartUploadRequest { BucketName = bucket, Key = key, UploadId = uploadId }, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception)
        {
        }
    }
}
