using System.Buffers;
using System.Text;
using Azure;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;

namespace ObjectStorage;

// Writes: one Put Blob up to a block, staged blocks committed once beyond it, and deletes.
public sealed partial class AzureBlobStore
{
    /// <inheritdoc/>
    protected override async ValueTask PutAsyncCore(string key, ReadOnlyMemory<byte> data, PutOptions options, CancellationToken cancellationToken)
    {
        var blob = Blob(key);
        try
        {
            if (data.Length <= _options.BlockSize)
                await UploadAsync(blob, data, options, ifNoneMatch: false, cancellationToken).ConfigureAwait(false);
            else
                await StageAndCommitAsync(blob, BlocksOf(data), options, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (Translate(ex, key, "write", cancellationToken) is { } error)
        {
            throw error;
        }
    }

    /// <inheritdoc/>
    protected override async ValueTask PutStreamAsyncCore(string key, Stream data, PutOptions options, CancellationToken cancellationToken)
    {
        var blob = Blob(key);
        // The first block decides: a stream that ends within it goes up in one request.
        var block = ArrayPool<byte>.Shared.Rent(_options.BlockSize);
        try
        {
            int length = await FillAsync(data, block.AsMemory(0, _options.BlockSize), cancellationToken).ConfigureAwait(false);
            if (length < _options.BlockSize)
                await UploadAsync(blob, block.AsMemory(0, length), options, ifNoneMatch: false, cancellationToken).ConfigureAwait(false);
            else
                await StageAndCommitAsync(blob, BlocksOf(data, block, _options.BlockSize, cancellationToken), options, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (Translate(ex, key, "write", cancellationToken) is { } error)
        {
            throw error;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(block);
        }
    }

    /// <summary>Creates the blob only if absent with <c>If-None-Match: *</c>: true when written, false (and nothing written) when it exists.</summary>
    protected override async ValueTask<bool> PutIfNotExistsAsyncCore(string key, ReadOnlyMemory<byte> data, PutOptions options, CancellationToken cancellationToken)
    {
        var blob = Blob(key);
        try
        {
            await UploadAsync(blob, data, options, ifNoneMatch: true, cancellationToken).ConfigureAwait(false);
            return true;
        }
        // Azure answers 409 BlobAlreadyExists; a 412 is the same answer from a stricter reading of the header.
        catch (RequestFailedException ex) when (ex.Status is 409 or 412)
        {
            return false;
        }
        catch (Exception ex) when (Translate(ex, key, "create", cancellationToken) is { } error)
        {
            throw error;
        }
    }

    /// <inheritdoc/>
    protected override async ValueTask DeleteAsyncCore(string key, CancellationToken cancellationToken)
    {
        var blob = Blob(key);
        try
        {
            await blob.DeleteIfExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (Translate(ex, key, "delete", cancellationToken) is { } error)
        {
            throw error;
        }
    }

    private async Task UploadAsync(BlockBlobClient blob, ReadOnlyMemory<byte> data, PutOptions put, bool ifNoneMatch, CancellationToken cancellationToken)
    {
        var options = new BlobUploadOptions { HttpHeaders = HeadersOf(put), Metadata = MetadataOf(put) };
        if (ifNoneMatch) options.Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All };
        await WithContainerAsync(async () =>
        {
            using var body = BodyOf(data);
            await blob.UploadAsync(body, options, cancellationToken).ConfigureAwait(false);
        }).ConfigureAwait(false);
    }

    // Staged blocks are invisible until the commit names them, so a failed or cancelled upload
    // leaves the blob as it was; Azure discards the uncommitted blocks (within a week, or at the
    // next commit to the blob).
    private async Task StageAndCommitAsync(BlockBlobClient blob, IAsyncEnumerable<ReadOnlyMemory<byte>> blocks, PutOptions put, CancellationToken cancellationToken)
    {
        var upload = Guid.NewGuid().ToString("N");
        var ids = new List<string>();
        await foreach (var block in blocks.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            // Every block ID of a blob must have the same length.
            var id = Convert.ToBase64String(Encoding.ASCII.GetBytes($"{upload}-{ids.Count:D6}"));
            await WithContainerAsync(async () =>
            {
                using var body = BodyOf(block);
                await blob.StageBlockAsync(id, body, new BlockBlobStageBlockOptions(), cancellationToken).ConfigureAwait(false);
            }).ConfigureAwait(false);
            ids.Add(id);
        }
        await blob.CommitBlockListAsync(ids, new CommitBlockListOptions { HttpHeaders = HeadersOf(put), Metadata = MetadataOf(put) }, cancellationToken).ConfigureAwait(false);
    }

    private IAsyncEnumerable<ReadOnlyMemory<byte>> BlocksOf(ReadOnlyMemory<byte> data)
    {
        var blocks = new List<ReadOnlyMemory<byte>>();
        for (int start = 0; start < data.Length; start += _options.BlockSize)
            blocks.Add(data.Slice(start, Math.Min(_options.BlockSize, data.Length - start)));
        return blocks.ToAsyncEnumerable();
    }

    // The first, full block, then the rest of the stream block by block in the same buffer: each
    // block is staged before the next is read.
    private static async IAsyncEnumerable<ReadOnlyMemory<byte>> BlocksOf(Stream data, byte[] buffer, int blockSize,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        yield return buffer.AsMemory(0, blockSize);
        while (true)
        {
            int length = await FillAsync(data, buffer.AsMemory(0, blockSize), cancellationToken).ConfigureAwait(false);
            if (length > 0) yield return buffer.AsMemory(0, length);
            if (length < blockSize) yield break;
        }
    }

    private static ValueTask<int> FillAsync(Stream data, Memory<byte> buffer, CancellationToken cancellationToken) =>
        data.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken);

    private static Stream BodyOf(ReadOnlyMemory<byte> data) =>
        System.Runtime.InteropServices.MemoryMarshal.TryGetArray(data, out var segment)
            ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(data.ToArray(), writable: false);

    private volatile bool _containerEnsured;

    // With CreateContainer, a write that finds no container creates it once and tries again.
    private async Task WithContainerAsync(Func<Task> write)
    {
        try
        {
            await write().ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (_options.CreateContainer && !_containerEnsured && ex.ErrorCode == "ContainerNotFound")
        {
            await _container.CreateIfNotExistsAsync().ConfigureAwait(false);
            _containerEnsured = true;
            await write().ConfigureAwait(false);
        }
    }
}
