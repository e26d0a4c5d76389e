using System.Diagnostics;
using System.Text;

namespace ObjectStorage.TestChild;

/// <summary>
/// First thing in a fresh process, with no registration call: opens <c>sqlite://PATH</c>, writes and
/// reads one object, and checks that <c>s3://</c> reaches the S3 package's factory. Args: database path.
/// Prints one line per fact so that the test can say which one failed.
/// </summary>
public sealed class UrlDiscoveryMode : IChildMode
{
    public string Name => "url-discovery";

    public int Run(string[] args)
    {
        // Discovery must find the packages from the application's files, not from assemblies something already loaded.
        Console.WriteLine($"sqlite loaded before: {IsLoaded("ObjectStorage.Sqlite")}");
        Console.WriteLine($"s3 loaded before: {IsLoaded("ObjectStorage.S3")}");

        var clock = Stopwatch.StartNew();
        using (var store = StoreUrl.Open("sqlite://" + args[0]))
        {
            Console.WriteLine($"first open: {clock.Elapsed.TotalMilliseconds:F0} ms");
            Console.WriteLine($"sqlite store: {store.GetType().Name}");
            store.Put("discovered", Encoding.UTF8.GetBytes("yes"));
            Console.WriteLine($"sqlite read back: {Encoding.UTF8.GetString(store.Get("discovered"))}");
        }

        Console.WriteLine($"s3 registered: {StoreUrl.IsRegistered("s3")}");
        try
        {
            // An option the s3 factory does not know: its refusal proves the scheme reached BucketStoreUrl without any network.
            StoreUrl.Open("s3://bucket/prefix?no_such_option=1").Dispose();
            Console.WriteLine("s3 factory: opened (unexpected)");
        }
        catch (StoreUrlException e)
        {
            Console.WriteLine($"s3 factory: {e.Reason}");
        }
        return 0;
    }

    private static bool IsLoaded(string name) =>
        AppDomain.CurrentDomain.GetAssemblies().Any(a => string.Equals(a.GetName().Name, name, StringComparison.Ordinal));
}
