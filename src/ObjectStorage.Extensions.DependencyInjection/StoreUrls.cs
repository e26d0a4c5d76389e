namespace ObjectStorage;

// The one place the package opens and checks store URLs (StoreUrl's registry: schemes from other
// packages, such as sqlite:// and s3://, must be registered by the application first).
internal static class StoreUrls
{
    public static ObjectStore Open(string url, StoreAccess access) => StoreUrl.Open(url, access);

    // What is wrong with the URL without opening anything (malformed, unknown or unregistered scheme), or null.
    public static string? Problem(string url)
    {
        try
        {
            var parsed = StoreUrl.Parse(url);
            if (StoreUrl.IsRegistered(parsed.Scheme)) return null;
            return $"the scheme \"{parsed.Scheme}\" is not registered; accepted forms: {string.Join(" | ", StoreUrl.AcceptedForms)}";
        }
        catch (StoreUrlException e)
        {
            return e.Reason;
        }
    }
}
