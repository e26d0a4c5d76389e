using System.Text;

namespace ObjectStorage.TestChild;

/// <summary>
/// First thing in a fresh process: opens <c>mem://</c> and a directory path, and says whether that
/// loaded the SQLite or S3 package; then opens <c>sqlite://PATH</c>, which must still be found.
/// Args: a directory, a database path. Prints one line per fact.
/// </summary>
public sealed class UrlCoreOnlyMode : IChildMode
{
    public string Name => "url-core-only";

    public int Run(string[] args)
    {
        using (var memory = StoreUrl.Open("mem://"))
            memory.Put("k", Encoding.UTF8.GetBytes("v"));
        using (var directory = StoreUrl.Open(args[0]))
            directory.Put("k", Encoding.UTF8.GetBytes("v"));
        Console.WriteLine($"sqlite loaded by core urls: {IsLoaded("ObjectStorage.Sqlite")}");
        Console.WriteLine($"s3 loaded by core urls: {IsLoaded("ObjectStorage.S3")}");

        using (var database = StoreUrl.Open("sqlite://" + args[1]))
            Console.WriteLine($"sqlite store: {database.GetType().Name}");
        return 0;
    }

    private static bool IsLoaded(string name) =>
        AppDomain.CurrentDomain.GetAssemblies().Any(a => string.Equals(a.GetName().Name, name, StringComparison.Ordinal));
}
