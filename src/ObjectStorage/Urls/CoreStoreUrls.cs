namespace ObjectStorage;

/// <summary>The URL schemes of the stores in the core package: <c>mem://</c>, plain paths and <c>file://</c>, <c>hashdir://</c>, <c>zip://</c>.</summary>
internal static class CoreStoreUrls
{
    public static void Register()
    {
        StoreUrl.Register("mem", OpenMemory, "mem://");
    }

    private static ObjectStore OpenMemory(StoreUrl url, StoreAccess access)
    {
        url.AllowOnly();
        if (url.Location.Length > 0) throw url.Invalid("mem:// takes no location (every mem:// store is new and empty)");
        return new DictStore();
    }
}
