namespace ObjectStorage;

/// <summary>A store URL that is malformed, names an unknown scheme or has a bad option; the message lists the accepted forms.</summary>
public sealed class StoreUrlException : ArgumentException
{
    /// <summary>The URL <paramref name="url"/> is wrong for <paramref name="reason"/>; the message lists <paramref name="acceptedForms"/>.</summary>
    public StoreUrlException(string url, string reason, IReadOnlyList<string> acceptedForms)
        : base($"bad store URL \"{url}\": {reason}. Accepted forms: {string.Join(" | ", acceptedForms)}", "url")
    {
        Url = url;
        Reason = reason;
    }

    /// <summary>The URL as given.</summary>
    public string Url { get; }

    /// <summary>What is wrong with it, as a sentence fragment.</summary>
    public string Reason { get; }
}
