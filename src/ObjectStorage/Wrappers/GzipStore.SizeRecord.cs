using System.Buffers.Binary;

namespace ObjectStorage;

public sealed partial class GzipStore
{
    /// <summary>
    /// The size record that ends every object this store writes: a second, empty gzip member (RFC 1952 allows
    /// members to follow one another; gunzip writes nothing for an empty one) whose header carries an extra field
    /// "OS" with the object's uncompressed length, 64 bits little-endian. 34 bytes, always the last of the object.
    /// </summary>
    private static class SizeRecord
    {
        public const int Length = 34;

        // ID1 ID2, deflate, FLG.FEXTRA, MTIME 0, XFL 0, OS unknown, XLEN 12, subfield 'O' 'S' of 8 bytes.
        private static ReadOnlySpan<byte> Header => [0x1F, 0x8B, 8, 4, 0, 0, 0, 0, 0, 0xFF, 12, 0, (byte)'O', (byte)'S', 8, 0];

        // An empty final deflate block, then CRC-32 and ISIZE of no bytes.
        private static ReadOnlySpan<byte> Trailer => [3, 0, 0, 0, 0, 0, 0, 0, 0, 0];

        public static void Write(Stream target, long size)
        {
            Span<byte> record = stackalloc byte[Length];
            Header.CopyTo(record);
            BinaryPrimitives.WriteInt64LittleEndian(record[Header.Length..], size);
            Trailer.CopyTo(record[(Header.Length + 8)..]);
            target.Write(record);
        }

        /// <summary>The length a record holds, or null when <paramref name="tail"/> is not one.</summary>
        public static long? Parse(ReadOnlySpan<byte> tail)
        {
            if (tail.Length != Length || !tail.StartsWith(Header) || !tail[(Header.Length + 8)..].SequenceEqual(Trailer)) return null;
            long size = BinaryPrimitives.ReadInt64LittleEndian(tail[Header.Length..]);
            return size >= 0 ? size : null;
        }

        public static long? Read(Stream tail)
        {
            Span<byte> bytes = stackalloc byte[Length];
            return tail.ReadAtLeast(bytes, Length, throwOnEndOfStream: false) == Length ? Parse(bytes) : null;
        }

        public static async ValueTask<long?> ReadAsync(Stream tail, CancellationToken cancellationToken)
        {
            var bytes = new byte[Length];
            return await tail.ReadAtLeastAsync(bytes, Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false) == Length ? Parse(bytes) : null;
        }
    }
}
