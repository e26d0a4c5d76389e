namespace ObjectStorage;

/// <summary>
/// Which objects a sync, check or bulk command considers: keys (<see cref="KeyFilter"/>), a size
/// range and an age range, as rclone's <c>--include/--exclude</c>, <c>--min-size/--max-size</c>
/// and <c>--min-age/--max-age</c>. An object must pass every part that is set.
/// </summary>
/// <remarks>
/// Sizes are inclusive bounds (rclone's). Ages are measured from <see cref="ObjectInfo.LastModified"/>
/// to the moment the run started; an object whose medium gives no time passes no age bound. When
/// both stores of a sync or check have a key, the source's entry decides, so a target object is
/// never deleted or reported because of its own size or age; a key only the target has is decided
/// by the target's entry, so an excluded target object is never deleted.
/// </remarks>
public sealed record ObjectFilter
{
    /// <summary>Include and exclude globs over the key; null selects every key.</summary>
    public KeyFilter? Keys { get; init; }

    /// <summary>Only objects of at least this many bytes.</summary>
    public long? MinSize { get; init; }

    /// <summary>Only objects of at most this many bytes.</summary>
    public long? MaxSize { get; init; }

    /// <summary>Only objects last modified at least this long ago (older ones).</summary>
    public TimeSpan? MinAge { get; init; }

    /// <summary>Only objects last modified at most this long ago (newer ones).</summary>
    public TimeSpan? MaxAge { get; init; }

    /// <summary>True when every set part selects <paramref name="info"/>, its age taken at <paramref name="now"/>.</summary>
    public bool Matches(ObjectInfo info, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(info);
        if (MinSize is { } min && info.Size < min) return false;
        if (MaxSize is { } max && info.Size > max) return false;
        if (MinAge is not null || MaxAge is not null)
        {
            if (info.LastModified is not { } modified) return false;
            var age = now - modified;
            if (MinAge is { } youngest && age < youngest) return false;
            if (MaxAge is { } oldest && age > oldest) return false;
        }
        return Keys is null || Keys.Matches(info.Key);
    }

    /// <summary>Throws <see cref="ArgumentException"/> naming the bound when a bound is negative or a range is empty.</summary>
    public void Validate()
    {
        if (MinSize < 0) throw new ArgumentException($"The minimum size must not be negative, not {MinSize}.", nameof(MinSize));
        if (MaxSize < 0) throw new ArgumentException($"The maximum size must not be negative, not {MaxSize}.", nameof(MaxSize));
        if (MinSize > MaxSize) throw new ArgumentException($"The minimum size ({MinSize}) is above the maximum size ({MaxSize}): no object can pass.", nameof(MinSize));
        if (MinAge < TimeSpan.Zero) throw new ArgumentException($"The minimum age must not be negative, not {MinAge}.", nameof(MinAge));
        if (MaxAge < TimeSpan.Zero) throw new ArgumentException($"The maximum age must not be negative, not {MaxAge}.", nameof(MaxAge));
        if (MinAge > MaxAge) throw new ArgumentException($"The minimum age ({MinAge}) is above the maximum age ({MaxAge}): no object can pass.", nameof(MinAge));
    }
}
