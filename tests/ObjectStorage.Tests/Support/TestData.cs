using System.Security.Cryptography;

namespace ObjectStorage.Tests.Support;

public static class TestData
{
    /// <summary>Deterministic pseudo-random bytes.</summary>
    public static byte[] Bytes(int length, int seed = 1)
    {
        var data = new byte[length];
        new Random(seed).NextBytes(data);
        return data;
    }

    /// <summary>Every byte value 0..255 once, in order.</summary>
    public static byte[] AllByteValues() => Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();

    public static string Sha256(Stream stream) => Convert.ToHexString(SHA256.HashData(stream));

    public static string Sha256(byte[] data) => Convert.ToHexString(SHA256.HashData(data));
}
