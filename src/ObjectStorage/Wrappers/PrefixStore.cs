using System.Text;

namespace ObjectStorage;

/// <summary>
/// The objects of an inner store under one prefix, seen as a store of their own: key "k" here is
/// "prefix/k" in the inner store, and listings show only that part, with the prefix stripped.
/// </summary>
/// <remarks>
/// The prefix is one or more whole key segments ("tenants/42" or "tenants/42/"; a trailing '/' is
/// implied). Keys here are shorter than the inner store's limit by the prefix's length.
/// </remarks>
public sealed class PrefixStore : WrapperStore
{
    private readonly string _prefix;
    private readonly int _prefixBytes;

    /// <summary>Shows the objects of <paramref name="inner"/> under <paramref name="prefix"/>; throws <see cref="InvalidKeyException"/> for a prefix that is not whole key segments.</summary>
    public PrefixStore(ObjectStore inner, string prefix, bool leaveOpen = false) : base(inner, leaveOpen)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        var segments = prefix.EndsWith('/') ? prefix[..^1] : prefix;
        var rule = ObjectKey.FindBrokenRule(segments, isPrefix: false);
        if (rule is not null) throw new InvalidKeyException(prefix, rule, "prefix");
        if (Encoding.UTF8.GetByteCount(segments) + 1 >= ObjectKey.MaxBytes)
            throw new InvalidKeyException(prefix, $"a prefix must leave room for a key within {ObjectKey.MaxBytes} bytes", "prefix");
        _prefix = segments + "/";
        _prefixBytes = Encoding.UTF8.GetByteCount(_prefix);
    }

    /// <summary>The prefix, ending with '/'.</summary>
    public string Prefix => _prefix;

    /// <inheritdoc/>
    public override string ToString() => $"PrefixStore({_prefix} in {Inner})";

    /// <summary>The inner store's locations, narrowed to the keys under the prefix.</summary>
    public override IReadOnlyList<StoreLocation> Locations => [.. Inner.Locations.Select(location => location.Under(_prefix))];

    /// <inheritdoc/>
    /// <summary>The inner key; throws <see cref="InvalidKeyException"/> naming this store's limit when the prefix leaves too little room for the key.</summary>
    protected override string MapKey(string key)
    {
        if (key.Length * 3 + _prefixBytes > ObjectKey.MaxBytes && Encoding.UTF8.GetByteCount(key) + _prefixBytes > ObjectKey.MaxBytes)
            throw new InvalidKeyException(key, $"a key in {this} must be at most {ObjectKey.MaxBytes - _prefixBytes} bytes of UTF-8 (this one is " +
                $"{Encoding.UTF8.GetByteCount(key)}), because the prefix takes {_prefixBytes} of {ObjectKey.MaxBytes}");
        return _prefix + key;
    }

    /// <inheritdoc/>
    protected override string MapPrefix(string prefix) => _prefix + prefix;

    /// <inheritdoc/>
    protected override string UnmapKey(string innerKey) => innerKey[_prefix.Length..];
}
