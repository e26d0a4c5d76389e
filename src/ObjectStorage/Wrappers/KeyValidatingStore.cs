using System.Text.RegularExpressions;

namespace ObjectStorage;

/// <summary>
/// A view of an inner store that accepts only keys passing a rule (a predicate or a regular
/// expression), as the Python original's <c>KeyValidatingStore</c> and <c>RegexValidatingStore</c>:
/// every operation on a key the rule refuses throws <see cref="InvalidKeyException"/> naming the key,
/// the rule and this store, before the inner store is touched. Listings are not filtered.
/// </summary>
public sealed class KeyValidatingStore : WrapperStore
{
    private readonly Func<string, bool> _accepts;

    /// <summary>Accepts the keys for which <paramref name="accepts"/> is true; <paramref name="rule"/> describes them in errors ("is a lower-case word").</summary>
    public KeyValidatingStore(ObjectStore inner, Func<string, bool> accepts, string rule, bool leaveOpen = false) : base(inner, leaveOpen)
    {
        _accepts = accepts ?? throw new ArgumentNullException(nameof(accepts));
        ArgumentException.ThrowIfNullOrWhiteSpace(rule);
        Rule = rule;
    }

    /// <summary>
    /// Accepts the keys that <paramref name="pattern"/> matches at their start, as Python's
    /// <c>re.match</c> does (end the pattern with <c>$</c> to match whole keys).
    /// </summary>
    public KeyValidatingStore(ObjectStore inner, Regex pattern, bool leaveOpen = false)
        : this(inner, MatchesAtStart(pattern), $"matches the pattern {pattern}", leaveOpen)
    {
    }

    /// <summary>What an accepted key is, as a sentence fragment.</summary>
    public string Rule { get; }

    /// <inheritdoc/>
    public override string ToString() => $"KeyValidatingStore({Inner})";

    /// <inheritdoc/>
    protected override string MapKey(string key) =>
        _accepts(key) ? key : throw new InvalidKeyException(key, $"{this} accepts only a key that {Rule}");

    private static Func<string, bool> MatchesAtStart(Regex pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        return key => pattern.Match(key) is { Success: true, Index: 0 };
    }
}
