using System.Security.Cryptography;

namespace ObjectStorage.Server.Protocol;

/// <summary>A hash or checksum computed over a body as it streams past.</summary>
internal abstract class Digest
{
    public abstract void Append(ReadOnlySpan<byte> data);

    public abstract byte[] Finish();

    /// <summary>The digest named by an <c>x-amz-checksum-NAME</c> header, or null for an algorithm this server does not compute.</summary>
    public static Digest? ForChecksum(string algorithm) => algorithm switch
    {
        "crc32" => new Crc32(Crc32.Ieee),
        "crc32c" => new Crc32(Crc32.Castagnoli),
        "sha1" => new Hash(HashAlgorithmName.SHA1),
        "sha256" => new Hash(HashAlgorithmName.SHA256),
        _ => null,
    };

    public sealed class Hash(HashAlgorithmName algorithm) : Digest
    {
        private readonly IncrementalHash _hash = IncrementalHash.CreateHash(algorithm);

        public override void Append(ReadOnlySpan<byte> data) => _hash.AppendData(data);

        public override byte[] Finish() => _hash.GetHashAndReset();
    }

    /// <summary>CRC-32 with a reflected polynomial, as S3's CRC32 (IEEE) and CRC32C (Castagnoli) checksums; big-endian result.</summary>
    public sealed class Crc32 : Digest
    {
        public const uint Ieee = 0xEDB88320;
        public const uint Castagnoli = 0x82F63B78;

        private static readonly Dictionary<uint, uint[]> Tables = new() { [Ieee] = Table(Ieee), [Castagnoli] = Table(Castagnoli) };

        private readonly uint[] _table;
        private uint _crc = 0xFFFFFFFF;

        public Crc32(uint polynomial) => _table = Tables[polynomial];

        public override void Append(ReadOnlySpan<byte> data)
        {
            var crc = _crc;
            foreach (var b in data) crc = _table[(crc ^ b) & 0xFF] ^ (crc >> 8);
            _crc = crc;
        }

        public override byte[] Finish()
        {
            var value = ~_crc;
            _crc = 0xFFFFFFFF;
            return [(byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value];
        }

        private static uint[] Table(uint polynomial)
        {
            var table = new uint[256];
            for (uint i = 0; i < 256; i++)
            {
                var entry = i;
                for (int bit = 0; bit < 8; bit++) entry = (entry & 1) != 0 ? (entry >> 1) ^ polynomial : entry >> 1;
                table[i] = entry;
            }
            return table;
        }
    }
}
