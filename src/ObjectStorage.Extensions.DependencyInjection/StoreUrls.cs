namespace ObjectStorage;

// The one place the package opens and checks store URLs (StoreUrl finds the schemes of every
// package the application references, such as sqlite:// and s3://).
internal static class StoreUrls
{
    public static ObjectStore Open(string url, StoreAccess access) => StoreUrl.Open(url, access);

    // What is wrong with the URL without opening anything (malformed, or a scheme no referenced package declares), or null.
    public static string? Problem(string url)
    {
        try
        {
            var parsed = StoreUrl.Parse(url);
            if (StoreUrl.IsRegistered(parsed.Scheme)) return null;
            return $"unknown scheme \"{parsed.Scheme}\" (no referenced package declares it); accepted forms: {string.Join(" | ", StoreUrl.AcceptedForms)}";
        }
        catch (StoreUrlException e)
        {
            return e.Reason;
        }
    }
}
