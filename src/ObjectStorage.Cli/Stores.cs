namespace ObjectStorage.Cli;

/// <summary>Opens stores from URLs, with every scheme the tool ships registered.</summary>
internal static class Stores
{
    private static readonly Lazy<bool> s_registered = new(() =>
    {
        // The SQLite and S3 schemes live in their own packages; the tool references both.
        SqliteStoreUrl.Register();
        BucketStoreUrl.Register();
        return true;
    });

    /// <summary>The one-line list of URL forms for help texts.</summary>
    public static string Forms
    {
        get
        {
            _ = s_registered.Value;
            return string.Join(", ", StoreUrl.AcceptedForms);
        }
    }

    public static ObjectStore Open(string url, StoreAccess access)
    {
        _ = s_registered.Value;
        return StoreUrl.Open(url, access);
    }
}
