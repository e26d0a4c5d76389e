using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using ObjectStorage;

// In the namespace of IServiceCollection, as every Microsoft.Extensions package does, so that
// AddObjectStore shows up wherever services are configured without a further using.
namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Registers stores by name as keyed singletons of <see cref="ObjectStore"/>, resolved with
/// <c>[FromKeyedServices("media")] ObjectStore store</c> or
/// <c>services.GetRequiredKeyedService&lt;ObjectStore&gt;("media")</c>. Every registration is checked
/// when the host starts (an <see cref="OptionsValidationException"/> whose message names the setting
/// and its value); a store is opened when first resolved and disposed with the container.
/// </summary>
public static class ObjectStorageServiceCollectionExtensions
{
    /// <summary>Registers the store <paramref name="url"/> names (<c>mem://</c>, <c>file:///data</c>, <c>s3://bucket/prefix</c>...) under <paramref name="name"/>.</summary>
    public static IServiceCollection AddObjectStore(this IServiceCollection services, string name, string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        return services.AddObjectStore(name, new StoreSettings { Url = url });
    }

    /// <summary>Registers the store <paramref name="settings"/> describe (a URL or a composite) under <paramref name="name"/>.</summary>
    public static IServiceCollection AddObjectStore(this IServiceCollection services, string name, StoreSettings settings)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Origin.Length == 0) settings.Origin = $"AddObjectStore(\"{name}\")";
        AddShared(services);
        services.Configure<ObjectStorageOptions>(options => options.Stores[name] = settings);
        services.AddKeyedSingleton<ObjectStore>(name, static (provider, key) => StoreGraph.Build(provider, (string)key!));
        return services;
    }

    /// <summary>
    /// Registers every store under <c>Stores</c> in <paramref name="configuration"/>: pass the
    /// <c>ObjectStorage</c> section (or the root configuration, whose <c>ObjectStorage</c> section is then used).
    /// </summary>
    public static IServiceCollection AddObjectStores(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        var stores = configuration.GetSection("Stores");
        if (!stores.Exists()) stores = configuration.GetSection("ObjectStorage:Stores");
        AddShared(services);
        foreach (var entry in stores.GetChildren())
            services.AddObjectStore(entry.Key, StoreSettings.FromConfiguration(entry));
        return services;
    }

    /// <summary>
    /// Registers every store of a YAML configuration file in the Python original's format
    /// (docs/configuration.md) under its name, and its <c>main</c> store as the unkeyed
    /// <see cref="ObjectStore"/>. The file is read now (a wrong file throws <see cref="StoreConfigException"/>
    /// naming file and line); the stores are built together when the first is resolved, so that a
    /// store others rest on is one instance, and are disposed with the container.
    /// </summary>
    public static IServiceCollection AddObjectStoresFromYaml(this IServiceCollection services, string path)
    {
        ArgumentNullException.ThrowIfNull(services);
        var file = StoreConfigFile.Load(path);
        var built = new Lazy<IReadOnlyDictionary<string, ObjectStore>>(file.BuildAll, LazyThreadSafetyMode.ExecutionAndPublication);
        foreach (var name in file.Names) services.AddKeyedSingleton<ObjectStore>(name, (_, key) => built.Value[(string)key!]);
        if (file.Main is { } main) services.TryAddSingleton<ObjectStore>(_ => built.Value[main]);
        return services;
    }

    private static void AddShared(IServiceCollection services)
    {
        services.AddOptions<ObjectStorageOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ObjectStorageOptions>, StoreSettingsValidator>());
        services.TryAddSingleton<InlineStores>();
    }
}
