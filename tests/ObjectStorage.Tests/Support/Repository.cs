namespace ObjectStorage.Tests.Support;

/// <summary>The checkout the tests were built from, for tests that read its sources or pack it.</summary>
public static class Repository
{
    /// <summary>The directory that holds ObjectStorage.slnx, found above the test binaries.</summary>
    public static string Root { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "ObjectStorage.slnx"))) return dir.FullName;
        throw new InvalidOperationException($"no ObjectStorage.slnx above {AppContext.BaseDirectory}");
    }
}
