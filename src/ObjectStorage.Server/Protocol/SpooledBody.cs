using System.Security.Cryptography;

namespace ObjectStorage.Server.Protocol;

/// <summary>
/// A request body read to its end before the store sees it, so that what is known only at its end
/// (its MD5, a checksum in a trailer) can go into the put's metadata: held in memory up to
/// <see cref="MemoryLimit"/> bytes, beyond that in a temporary file that is deleted when the stream is.
/// </summary>
internal static class SpooledBody
{
    public const int MemoryLimit = 1 << 20;

    /// <summary>The start of the temporary files' names, so that a server's start removes those a crash left.</summary>
    public const string FilePrefix = "put-";

    /// <summary>Reads <paramref name="body"/> to its end (its checks throw there) and gives its bytes back from the start.</summary>
    public static async Task<Stream> ReadAsync(Stream body, string directory, CancellationToken cancellationToken)
    {
        var memory = new MemoryStream();
        Stream target = memory;
        try
        {
            var buffer = new byte[81920];
            int read;
            while ((read = await body.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (target == memory && memory.Length + read > MemoryLimit)
                {
                    target = new FileStream(Path.Combine(directory, FilePrefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)) + ".tmp"),
                        FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, bufferSize: 0, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
                    await target.WriteAsync(memory.GetBuffer().AsMemory(0, (int)memory.Length), cancellationToken).ConfigureAwait(false);
                }
                await target.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
            }
            target.Position = 0;
            return target;
        }
        catch
        {
            await target.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
