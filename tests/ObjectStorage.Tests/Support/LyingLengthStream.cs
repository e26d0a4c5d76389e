namespace ObjectStorage.Tests.Support;

/// <summary>A seekable stream of <paramref name="data"/> whose <see cref="Length"/> says <paramref name="claimed"/>, as /proc and /sys files do.</summary>
public sealed class LyingLengthStream(byte[] data, long claimed) : MemoryStream(data, writable: false)
{
    public override long Length => claimed;
}
