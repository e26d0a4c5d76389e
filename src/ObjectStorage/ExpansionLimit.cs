namespace ObjectStorage;

/// <summary>
/// How far a compressed object may expand before a store refuses it as a decompression bomb: at most
/// <see cref="MaxBytes"/>, and (past the first MiB, so that a small run of zeros is never a bomb) at most
/// <see cref="MaxRatio"/> times the compressed bytes it came from. <c>GzipStore</c> and <c>ZipStore</c> both check it.
/// </summary>
internal readonly record struct ExpansionLimit(long MaxBytes, int MaxRatio)
{
    /// <summary>16 GiB: more than any object a caller reads whole, far less than a bomb's petabytes.</summary>
    public const long DefaultMaxBytes = 16L << 30;

    /// <summary>100:1, as Apache POI's zip reader allows; text and logs compress 3 to 20 times, a bomb over 1000.</summary>
    public const int DefaultMaxRatio = 100;

    /// <summary>Below this many expanded bytes the ratio is not checked.</summary>
    public const long RatioFloorBytes = 1 << 20;

    /// <summary>Why <paramref name="expanded"/> bytes from <paramref name="compressed"/> pass the limit, or null when they do not.</summary>
    public string? Exceeded(long expanded, long compressed)
    {
        if (expanded > MaxBytes)
            return $"it expands to more than {MaxBytes:N0} bytes (the limit MaxExpandedBytes); refused as a possible decompression bomb";
        if (expanded > RatioFloorBytes && expanded > compressed * (double)MaxRatio)
            return $"it expands more than {MaxRatio}:1 ({expanded:N0} bytes from {compressed:N0} compressed, the limit MaxExpansionRatio); refused as a possible decompression bomb";
        return null;
    }

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> for a limit that is not positive.</summary>
    public static ExpansionLimit Checked(long maxBytes, int maxRatio)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxBytes);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxRatio);
        return new ExpansionLimit(maxBytes, maxRatio);
    }
}
