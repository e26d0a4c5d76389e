namespace ObjectStorage.Cli;

/// <summary>Opens stores from URLs, with every scheme the tool ships registered.</summary>
internal static class Stores
{
    // The SQLite and S3 schemes live in their own packages (the core does not depend on them); the tool references both.
    static Stores()
    {
        SqliteStoreUrl.Register();
        BucketStoreUrl.Register();
    }

    /// <summary>The accepted URL forms, for help texts.</summary>
    public static string Forms => string.Join(", ", StoreUrl.AcceptedForms);

    public static ObjectStore Open(string url, StoreAccess access) => StoreUrl.Open(url, access);
}
