using System.Collections;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace ObjectStorage;

/// <summary>
/// User metadata of an object: string pairs under S3's rules, so that what one store keeps every
/// store that keeps metadata can keep. Names are case-insensitive ASCII HTTP tokens, held and
/// listed in lower case; values are any text without control characters; names and values
/// together are at most <see cref="MaxBytes"/> bytes of UTF-8. Immutable; equal when the pairs are.
/// </summary>
public sealed class UserMetadata : IReadOnlyDictionary<string, string>, IEquatable<UserMetadata>
{
    /// <summary>The most bytes of UTF-8 that names and values may take together: S3's 2 KiB for all <c>x-amz-meta-</c> headers, less room for the time a store keeps there.</summary>
    public const int MaxBytes = 2000;

    /// <summary>The name no user metadata may have: S3 stores (and rclone) keep the modification time under it, so it is <see cref="PutOptions.LastModified"/>.</summary>
    public const string ReservedTimeName = "mtime";

    /// <summary>
    /// <paramref name="time"/> as the value of <see cref="ReservedTimeName"/>: seconds since 1970 with seven
    /// decimals, exact to the tick and the form rclone and S3 tools read.
    /// </summary>
    public static string FormatTime(DateTimeOffset time)
    {
        long ticks = time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        long seconds = Math.DivRem(ticks, TimeSpan.TicksPerSecond, out long fraction);
        if (fraction < 0)
        {
            seconds--;
            fraction += TimeSpan.TicksPerSecond;
        }
        return string.Create(CultureInfo.InvariantCulture, $"{seconds}.{fraction:D7}");
    }

    /// <summary>A <see cref="ReservedTimeName"/> value (seconds since 1970, any number of decimals: rclone writes nine) as a time, or null when it is none.</summary>
    public static DateTimeOffset? ParseTime(string text) =>
        decimal.TryParse(text, NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign,
                CultureInfo.InvariantCulture, out var seconds)
            && seconds is > -62_135_596_800m and < 253_402_300_800m
            ? DateTimeOffset.UnixEpoch.AddTicks((long)decimal.Round(seconds * TimeSpan.TicksPerSecond, MidpointRounding.ToZero))
            : null;

    private readonly KeyValuePair<string, string>[] _pairs; // sorted by name, ordinal

    /// <summary>No metadata.</summary>
    public static UserMetadata Empty { get; } = new([], validated: true);

    /// <summary>The given pairs; throws <see cref="ArgumentException"/> naming the rule a name or value breaks.</summary>
    public UserMetadata(IEnumerable<KeyValuePair<string, string>> pairs)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        if (!TryCreate(pairs, out var metadata, out var rule)) throw new ArgumentException($"Invalid user metadata: {rule}.", nameof(pairs));
        _pairs = metadata._pairs;
    }

    private UserMetadata(KeyValuePair<string, string>[] sorted, bool validated)
    {
        _ = validated;
        _pairs = sorted;
    }

    /// <summary>
    /// Checks and normalises <paramref name="pairs"/> (names to lower case); false with the broken
    /// rule, as a sentence fragment, when a name or value breaks one.
    /// </summary>
    public static bool TryCreate(IEnumerable<KeyValuePair<string, string>> pairs, [NotNullWhen(true)] out UserMetadata? metadata, [NotNullWhen(false)] out string? rule)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        metadata = null;
        if (pairs is UserMetadata already)
        {
            metadata = already;
            rule = null;
            return true;
        }
        var list = new List<KeyValuePair<string, string>>();
        int bytes = 0;
        foreach (var (name, value) in pairs)
        {
            rule = BrokenNameRule(name) ?? BrokenValueRule(name, value);
            if (rule is not null) return false;
            list.Add(KeyValuePair.Create(name.ToLowerInvariant(), value));
            bytes += name.Length + Encoding.UTF8.GetByteCount(value);
        }
        if (bytes > MaxBytes)
        {
            rule = $"names and values take {bytes} bytes of UTF-8, more than the {MaxBytes} allowed (S3's limit)";
            return false;
        }
        list.Sort(static (a, b) => string.CompareOrdinal(a.Key, b.Key));
        for (int i = 1; i < list.Count; i++)
        {
            if (list[i].Key == list[i - 1].Key)
            {
                rule = $"the name '{list[i].Key}' is given twice (names are case-insensitive)";
                return false;
            }
        }
        metadata = list.Count == 0 ? Empty : new UserMetadata([.. list], validated: true);
        rule = null;
        return true;
    }

    /// <summary>The number of pairs.</summary>
    public int Count => _pairs.Length;

    /// <summary>The value of the name, in any case; throws <see cref="KeyNotFoundException"/> when absent.</summary>
    public string this[string key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException($"No user metadata named '{key}'.");

    /// <summary>The names, in lower case and ordinal order.</summary>
    public IEnumerable<string> Keys => _pairs.Select(static p => p.Key);

    /// <summary>The values, in the order of their names.</summary>
    public IEnumerable<string> Values => _pairs.Select(static p => p.Value);

    /// <summary>True when a pair has the name, in any case.</summary>
    public bool ContainsKey(string key) => TryGetValue(key, out _);

    /// <summary>The value of the name, in any case; false when absent.</summary>
    public bool TryGetValue(string key, [MaybeNullWhen(false)] out string value)
    {
        ArgumentNullException.ThrowIfNull(key);
        foreach (var pair in _pairs)
        {
            if (string.Equals(pair.Key, key, StringComparison.OrdinalIgnoreCase))
            {
                value = pair.Value;
                return true;
            }
        }
        value = null;
        return false;
    }

    /// <summary>The pairs in the order of their names.</summary>
    public IEnumerator<KeyValuePair<string, string>> GetEnumerator() => ((IEnumerable<KeyValuePair<string, string>>)_pairs).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>True when both hold the same pairs.</summary>
    public bool Equals(UserMetadata? other) =>
        other is not null && _pairs.AsSpan().SequenceEqual(other._pairs);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as UserMetadata);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var pair in _pairs)
        {
            hash.Add(pair.Key, StringComparer.Ordinal);
            hash.Add(pair.Value, StringComparer.Ordinal);
        }
        return hash.ToHashCode();
    }

    /// <summary>The pairs as <c>name=value</c>, comma-separated.</summary>
    public override string ToString() => string.Join(", ", _pairs.Select(static p => $"{p.Key}={p.Value}"));

    private static string? BrokenNameRule(string? name)
    {
        if (string.IsNullOrEmpty(name)) return "a name must not be empty";
        foreach (char c in name)
        {
            if (!IsTokenChar(c))
                return $"the name {ObjectKey.Describe(name)} holds {ObjectKey.Describe(c.ToString())}: names are ASCII letters, digits and !#$%&'*+-.^_`|~ (an HTTP header name)";
        }
        if (string.Equals(name, ReservedTimeName, StringComparison.OrdinalIgnoreCase))
            return $"the name '{ReservedTimeName}' is reserved for the modification time: give it as PutOptions.LastModified";
        return null;
    }

    private static string? BrokenValueRule(string name, string? value)
    {
        if (value is null) return $"the value of '{name}' is null";
        for (int i = 0; i < value.Length; i++)
        {
            char c = value[i];
            if (char.IsControl(c)) return $"the value of '{name}' holds the control character U+{(int)c:X4} at index {i}";
            bool paired = char.IsHighSurrogate(c) ? i + 1 < value.Length && char.IsLowSurrogate(value[i + 1])
                : !char.IsLowSurrogate(c) || (i > 0 && char.IsHighSurrogate(value[i - 1]));
            if (!paired) return $"the value of '{name}' holds an unpaired surrogate at index {i}";
        }
        return null;
    }

    private static bool IsTokenChar(char c) =>
        c is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or >= '0' and <= '9'
          or '!' or '#' or '$' or '%' or '&' or '\'' or '*' or '+' or '-' or '.' or '^' or '_' or '`' or '|' or '~';
}
