namespace ObjectStorage;

/// <summary>A put whose metadata (<see cref="PutOptions"/>) breaks a rule: a name, value or content type no store could keep.</summary>
public sealed class InvalidMetadataException : ArgumentException
{
    /// <summary>The put of <paramref name="key"/> into <paramref name="store"/> (its description) carries metadata that breaks <paramref name="rule"/> (a sentence fragment).</summary>
    public InvalidMetadataException(string store, string key, string rule)
        : base($"{store}: invalid metadata for key {ObjectKey.Describe(key)}: {rule}.", "options")
    {
        Store = store;
        Key = key;
        Rule = rule;
    }

    /// <summary>A description of the store the put was meant for.</summary>
    public string Store { get; }

    /// <summary>The key of the refused put.</summary>
    public string Key { get; }

    /// <summary>The rule the metadata broke, as a sentence fragment.</summary>
    public string Rule { get; }
}
