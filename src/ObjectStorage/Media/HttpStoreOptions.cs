namespace ObjectStorage;

/// <summary>How <see cref="HttpStore"/> sends its requests.</summary>
public sealed record HttpStoreOptions
{
    /// <summary>The client to send through (with its headers, handler and timeout); the store never disposes it. Null: the store makes and owns one.</summary>
    public HttpClient? Client { get; init; }

    /// <summary>Whether the store's own client follows redirects (the Python original's <c>follow_redirects</c>, on by default); ignored with <see cref="Client"/>.</summary>
    public bool FollowRedirects { get; init; } = true;

    /// <summary>How long the store's own client waits for each response; ignored with <see cref="Client"/>.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(100);
}
