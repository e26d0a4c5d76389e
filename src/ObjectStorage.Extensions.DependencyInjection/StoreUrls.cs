namespace ObjectStorage;

// The one place the package opens and checks store URLs. TEMPORARY until StoreUrl lands on main:
// only mem:// and plain directories; then it calls StoreUrl.Open and StoreUrl.Parse.
internal static class StoreUrls
{
    public static ObjectStore Open(string url) =>
        url == "mem://" ? new DictStore() : throw new ArgumentException($"bad store URL \"{url}\": unknown scheme");

    public static string? Problem(string url) => url == "mem://" ? null : "unknown scheme";
}
