namespace ObjectStorage.Cli;

/// <summary>Opens stores from URLs; the tool references the SQLite and S3 packages, so StoreUrl finds their schemes itself.</summary>
internal static class Stores
{
    /// <summary>The accepted URL forms, for help texts.</summary>
    public static string Forms => string.Join(", ", StoreUrl.AcceptedForms);

    public static ObjectStore Open(string url, StoreAccess access) => StoreUrl.Open(url, access);
}
