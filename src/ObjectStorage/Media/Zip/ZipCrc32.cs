using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ObjectStorage.Zip;

/// <summary>
/// The zip CRC-32 (polynomial 0xEDB88320), slicing by 8. System.IO.Compression on .NET 10 does
/// not check an entry's CRC when reading it (that arrives in .NET 11), and System.IO.Hashing is
/// a separate package, so the store checks it with this.
/// </summary>
internal static class ZipCrc32
{
    private static readonly uint[] Table = BuildTable();

    // The runtime's own zlib (zlib-ng, vectorised) exports crc32 under this name; it is not a
    // public API, so any failure to bind it falls back, once, to the managed code below.
    private static bool s_native = true;

    [DllImport("libSystem.IO.Compression.Native", EntryPoint = "CompressionNative_Crc32")]
    private static extern uint NativeCrc32(uint crc, ref byte buffer, int length);

    /// <summary>Continues <paramref name="crc"/> (0 for a fresh start) over <paramref name="data"/>.</summary>
    public static uint Append(uint crc, ReadOnlySpan<byte> data)
    {
        if (s_native && !data.IsEmpty)
        {
            try
            {
                return NativeCrc32(crc, ref MemoryMarshal.GetReference(data), data.Length);
            }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
            {
                s_native = false;
            }
        }
        return AppendManaged(crc, data);
    }

    /// <summary>The managed CRC-32, slicing by 8; also what the native one is checked against in tests.</summary>
    public static uint AppendManaged(uint crc, ReadOnlySpan<byte> data)
    {
        // Table look-ups without bounds checks: every index is masked to 0..255 within its slice.
        ref uint t = ref MemoryMarshal.GetArrayDataReference(Table);
        crc = ~crc;
        int i = 0;
        for (; i + 8 <= data.Length; i += 8)
        {
            ulong word = BinaryPrimitives.ReadUInt64LittleEndian(data[i..]) ^ crc;
            uint low = (uint)word, high = (uint)(word >> 32);
            crc = Unsafe.Add(ref t, 7 * 256 + (int)(low & 0xFF)) ^ Unsafe.Add(ref t, 6 * 256 + (int)((low >> 8) & 0xFF))
                ^ Unsafe.Add(ref t, 5 * 256 + (int)((low >> 16) & 0xFF)) ^ Unsafe.Add(ref t, 4 * 256 + (int)(low >> 24))
                ^ Unsafe.Add(ref t, 3 * 256 + (int)(high & 0xFF)) ^ Unsafe.Add(ref t, 2 * 256 + (int)((high >> 8) & 0xFF))
                ^ Unsafe.Add(ref t, 256 + (int)((high >> 16) & 0xFF)) ^ Unsafe.Add(ref t, (int)(high >> 24));
        }
        for (; i < data.Length; i++) crc = Unsafe.Add(ref t, (int)((crc ^ data[i]) & 0xFF)) ^ (crc >> 8);
        return ~crc;
    }

    private static uint[] BuildTable()
    {
        var table = new uint[8 * 256];
        for (uint i = 0; i < 256; i++)
        {
            uint c = i;
            for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320 ^ (c >> 1) : c >> 1;
            table[i] = c;
        }
        for (int i = 0; i < 256; i++)
            for (int slice = 1; slice < 8; slice++)
            {
                uint previous = table[(slice - 1) * 256 + i];
                table[slice * 256 + i] = table[previous & 0xFF] ^ (previous >> 8);
            }
        return table;
    }
}

/// <summary>Reads an entry's data and, at its end, checks its length and CRC against the central directory.</summary>
internal sealed class ZipCheckedReadStream(Stream inner, string name, uint expectedCrc, long expectedLength) : Stream
{
    private uint _crc;
    private long _read;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => expectedLength;
    public override long Position { get => _read; set => throw new NotSupportedException(); }

    public static InvalidDataException WrongLength(string name, long expectedLength) =>
        new($"entry {ObjectKey.Describe(name)} does not hold the {expectedLength} bytes its header says");

    public static InvalidDataException WrongCrc(string name, uint actual, uint expected) =>
        new($"entry {ObjectKey.Describe(name)} fails its CRC check (data {actual:x8}, header {expected:x8})");

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        int n = inner.Read(buffer);
        if (n > 0)
        {
            _crc = ZipCrc32.Append(_crc, buffer[..n]);
            _read += n;
            if (_read > expectedLength) throw WrongLength(name, expectedLength);
        }
        else if (buffer.Length > 0)
        {
            if (_read != expectedLength) throw WrongLength(name, expectedLength);
            if (_crc != expectedCrc) throw WrongCrc(name, _crc, expectedCrc);
        }
        return n;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) inner.Dispose();
        base.Dispose(disposing);
    }

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
