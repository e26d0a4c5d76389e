namespace ObjectStorage;

/// <summary>A store URL that is malformed, names an unknown scheme or has a bad option; the message lists the accepted forms.</summary>
public sealed class StoreUrlException : ArgumentException
{
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
