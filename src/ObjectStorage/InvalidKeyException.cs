namespace ObjectStorage;

/// <summary>A key (or listing prefix) that breaks one of the key rules of <see cref="ObjectKey"/>.</summary>
public sealed class InvalidKeyException : ArgumentException
{
    /// <summary>The key <paramref name="key"/> breaks <paramref name="rule"/> (a sentence fragment naming the rule).</summary>
    public InvalidKeyException(string key, string rule, string paramName = "key")
        : base($"Invalid object key {ObjectKey.Describe(key)}: {rule}.", paramName)
    {
        Key = key;
        Rule = rule;
    }

    /// <summary>The rejected key, exactly as given.</summary>
    public string Key { get; }

    /// <summary>The rule the key broke, as a sentence fragment.</summary>
    public string Rule { get; }
}
