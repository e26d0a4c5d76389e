namespace ObjectStorage;

/// <summary>What the caller of <see cref="StoreUrl.Open(string, StoreAccess)"/> means to do with the store.</summary>
public enum StoreAccess
{
    /// <summary>Read and write; a store that does not exist yet is created (a directory, a database, an archive).</summary>
    ReadWrite,

    /// <summary>Only read: a store that does not exist is an error rather than created, and single-file media open read-only whatever the URL's options say (a zip <c>mode</c>, a SQLite <c>readonly=false</c>), so that nothing is written.</summary>
    Read,
}
