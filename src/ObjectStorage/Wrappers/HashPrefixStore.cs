using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;

namespace ObjectStorage;

/// <summary>
/// Spreads keys over the inner store's key space as the Python original's <c>HashPrefixStore</c>
/// does: key "k" is stored as the first <see cref="HashLength"/> lower-case hex digits of SHA-256
/// of its UTF-8 bytes, the <see cref="Separator"/>, then "k" (with the defaults,
/// "photo.jpg" is "aff6100b/photo.jpg"), so that objects land on many S3 partitions or directories.
/// </summary>
/// <remarks>
/// A listing cannot ask the inner store for a prefix of keys, since the hash comes first: it reads
/// every inner key, keeps those this store wrote (hash and separator that fit the rest), and sorts
/// them, so it holds the matching keys in memory. An inner key that does not have this shape is
/// reported through <see cref="ObjectStore.EntrySkipped"/>, never listed.
/// </remarks>
public sealed class HashPrefixStore : WrapperStore
{
    private readonly int _overheadBytes;

    /// <summary>Prefixes keys with <paramref name="hashLength"/> (1 to 64) hex digits of their SHA-256 and <paramref name="separator"/>.</summary>
    public HashPrefixStore(ObjectStore inner, int hashLength = 8, string separator = "/", bool leaveOpen = false) : base(inner, leaveOpen)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(hashLength, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(hashLength, 64);
        ArgumentNullException.ThrowIfNull(separator);
        if (separator.Contains('\0', StringComparison.Ordinal)) throw new ArgumentException("The separator cannot hold U+0000.", nameof(separator));
        HashLength = hashLength;
        Separator = separator;
        _overheadBytes = hashLength + Encoding.UTF8.GetByteCount(separator);
    }

    /// <summary>How many hex digits of the hash lead each inner key.</summary>
    public int HashLength { get; }

    /// <summary>What stands between the hash and the key.</summary>
    public string Separator { get; }

    /// <inheritdoc/>
    public override string ToString() => $"HashPrefixStore({Inner})";

    /// <summary>The key under which the inner store holds <paramref name="key"/>.</summary>
    public string InnerKeyOf(string key)
    {
        ObjectKey.Validate(key);
        return HashOf(key) + Separator + key;
    }

    /// <inheritdoc/>
    protected override string MapKey(string key)
    {
        if (key.Length * 3 + _overheadBytes > ObjectKey.MaxBytes && Encoding.UTF8.GetByteCount(key) + _overheadBytes > ObjectKey.MaxBytes)
            throw new InvalidKeyException(key, $"a key in {this} must be at most {ObjectKey.MaxBytes - _overheadBytes} bytes of UTF-8, " +
                $"because the hash prefix takes {_overheadBytes} of {ObjectKey.MaxBytes}");
        return HashOf(key) + Separator + key;
    }

    /// <inheritdoc/>
    protected override string UnmapKey(string innerKey) => innerKey[(HashLength + Separator.Length)..];

    /// <inheritdoc/>
    protected override IEnumerable<string> KeysCore(string prefix) => ListCore(prefix).Select(static info => info.Key);

    /// <inheritdoc/>
    protected override async IAsyncEnumerable<string> KeysAsyncCore(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var info in ListAsyncCore(prefix, cancellationToken).ConfigureAwait(false)) yield return info.Key;
    }

    /// <inheritdoc/>
    protected override IEnumerable<ObjectInfo> ListCore(string prefix)
    {
        var found = new List<ObjectInfo>();
        foreach (var info in Inner.List()) Collect(info, prefix, found);
        return Sorted(found);
    }

    /// <inheritdoc/>
    protected override async IAsyncEnumerable<ObjectInfo> ListAsyncCore(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var found = new List<ObjectInfo>();
        await foreach (var info in Inner.ListAsync("", cancellationToken).ConfigureAwait(false)) Collect(info, prefix, found);
        foreach (var info in Sorted(found))
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return info;
        }
    }

    /// <inheritdoc/>
    protected override long DeletePrefixCore(string prefix) => DeleteListed(prefix);

    /// <inheritdoc/>
    protected override ValueTask<long> DeletePrefixAsyncCore(string prefix, CancellationToken cancellationToken) =>
        DeleteListedAsync(prefix, cancellationToken);

    private void Collect(ObjectInfo info, string prefix, List<ObjectInfo> found)
    {
        var key = KeyOf(info.Key);
        if (key is null)
        {
            ReportSkipped(info.Key, $"not a key that {this} wrote (hash of {HashLength} hex digits and \"{Separator}\" before the key)");
            return;
        }
        if (key.StartsWith(prefix, StringComparison.Ordinal)) found.Add(info with { Key = key });
    }

    private string? KeyOf(string innerKey)
    {
        int start = HashLength + Separator.Length;
        if (innerKey.Length <= start || !innerKey.AsSpan(HashLength).StartsWith(Separator, StringComparison.Ordinal)) return null;
        var key = innerKey[start..];
        return innerKey.AsSpan(0, HashLength).SequenceEqual(HashOf(key)) ? key : null;
    }

    private static List<ObjectInfo> Sorted(List<ObjectInfo> found)
    {
        found.Sort(static (a, b) => KeyComparer.Utf8.Compare(a.Key, b.Key));
        return found;
    }

    private string HashOf(string key)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(key), hash);
        return Convert.ToHexStringLower(hash)[..HashLength];
    }
}
