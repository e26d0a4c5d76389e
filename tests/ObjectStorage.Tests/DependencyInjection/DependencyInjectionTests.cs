using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using ObjectStorage.Tests.Support;

namespace ObjectStorage.Tests.DependencyInjection;

public sealed class DependencyInjectionTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A consumer that asks for a store by name, as an application service would.</summary>
    public sealed class MediaConsumer([FromKeyedServices("media")] ObjectStore media)
    {
        public ObjectStore Media { get; } = media;
    }

    /// <summary>A host whose configuration is a real appsettings.json with <paramref name="json"/> as its content.</summary>
    private static IHost HostWith(TempDirectory dir, string json)
    {
        var path = dir.File("appsettings.json");
        File.WriteAllText(path, json);
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddJsonFile(path);
        builder.Services.AddObjectStores(builder.Configuration.GetSection("ObjectStorage"));
        builder.Services.AddSingleton<MediaConsumer>();
        return builder.Build();
    }

    [Fact]
    public void AddObjectStore_registers_a_keyed_singleton_that_consumers_get_by_name()
    {
        var services = new ServiceCollection();
        services.AddObjectStore("media", "mem://").AddObjectStore("other", "mem://").AddSingleton<MediaConsumer>();
        using var provider = services.BuildServiceProvider();

        var media = provider.GetRequiredKeyedService<ObjectStore>("media");
        Assert.Same(media, provider.GetRequiredService<MediaConsumer>().Media);
        Assert.NotSame(media, provider.GetRequiredKeyedService<ObjectStore>("other"));
        media.Put("k", [1]);
        Assert.False(provider.GetRequiredKeyedService<ObjectStore>("other").Exists("k"));
    }

    [Fact]
    public async Task Composites_described_in_appsettings_are_built_over_named_and_inline_stores()
    {
        using var dir = new TempDirectory("di");
        using var host = HostWith(dir, """
            {
              "ObjectStorage": {
                "Stores": {
                  "origin": "mem://",
                  "media": { "Type": "caching", "Main": "origin", "Cache": "mem://", "MaxObjectBytes": 1000 },
                  "both": { "Type": "fanout", "Children": [ "origin", "mem://" ] },
                  "public": { "Type": "readonly", "Inner": "origin" },
                  "tenant": { "Type": "prefix", "Inner": "origin", "Prefix": "tenants/a" }
                }
              }
            }
            """);
        await host.StartAsync(Ct);
        var services = host.Services;
        var origin = services.GetRequiredKeyedService<ObjectStore>("origin");

        var media = Assert.IsType<CachingStore>(services.GetRequiredService<MediaConsumer>().Media);
        Assert.Same(origin, media.Main);
        await media.PutAsync("photo", new byte[] { 1, 2 }, Ct);
        Assert.Equal([1, 2], origin.Get("photo"));

        var both = Assert.IsType<FanoutStore>(services.GetRequiredKeyedService<ObjectStore>("both"));
        Assert.Same(origin, both.Children[0]);
        both.Put("twice", [3]);
        Assert.True(origin.Exists("twice") && both.Children[1].Exists("twice"));

        var readOnly = services.GetRequiredKeyedService<ObjectStore>("public");
        Assert.False(readOnly.CanWrite);
        Assert.Equal([3], readOnly.Get("twice"));

        services.GetRequiredKeyedService<ObjectStore>("tenant").Put("x", [4]);
        Assert.Equal([4], origin.Get("tenants/a/x"));
        await host.StopAsync(Ct);
    }

    [Fact]
    public void Disposing_the_container_disposes_named_and_inline_stores_once()
    {
        var services = new ServiceCollection();
        services.AddObjectStore("origin", "mem://");
        services.AddObjectStore("media", new StoreSettings { Type = "caching", Main = "origin", Cache = "mem://" });
        CachingStore media;
        ObjectStore origin;
        using (var provider = services.BuildServiceProvider())
        {
            media = (CachingStore)provider.GetRequiredKeyedService<ObjectStore>("media");
            origin = provider.GetRequiredKeyedService<ObjectStore>("origin");
        }
        Assert.True(media.IsDisposed && origin.IsDisposed && media.Cache.IsDisposed);
    }

    [Fact]
    public void Log_true_wraps_the_store_in_a_LoggingStore()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddObjectStore("media", new StoreSettings { Url = "mem://", Log = true });
        using var provider = services.BuildServiceProvider();
        var store = Assert.IsType<LoggingStore>(provider.GetRequiredKeyedService<ObjectStore>("media"));
        store.Put("k", [1]);
        Assert.Equal([1], store.Get("k"));
    }

    [Theory]
    [InlineData("""{ "media": { "Type": "cachng", "Main": "mem://", "Cache": "mem://" } }""", "ObjectStorage:Stores:media:Type = \"cachng\"")]
    [InlineData("""{ "media": { "Url": "nosuch://x" } }""", "ObjectStorage:Stores:media:Url = \"nosuch://x\"")]
    [InlineData("""{ "media": { "Type": "caching", "Cache": "mem://" } }""", "ObjectStorage:Stores:media:Main is missing")]
    [InlineData("""{ "media": { "Type": "fanout", "Children": [ "mem://", "elsewhere" ] } }""", "ObjectStorage:Stores:media:Children:1 = \"elsewhere\"")]
    [InlineData("""{ "media": { "Url": "mem://", "Log": "yes" } }""", "ObjectStorage:Stores:media:Log = \"yes\"")]
    [InlineData("""{ "media": { "Type": "caching", "Main": "mem://", "Cache": "mem://", "MaxObjectBytes": "1MB" } }""", "ObjectStorage:Stores:media:MaxObjectBytes = \"1MB\"")]
    [InlineData("""{ "media": { "Type": "prefix", "Inner": "mem://", "Prefix": "/" } }""", "ObjectStorage:Stores:media:Prefix = \"/\"")]
    [InlineData("""{ "media": { } , "x": { "Cache": "mem://" } }""", "ObjectStorage:Stores:x: neither Url nor Type is set")]
    [InlineData("""{ "media": { "Type": "readonly", "Inner": "b" }, "b": { "Type": "readonly", "Inner": "media" } }""", "refers back to itself through")]
    public async Task Bad_configuration_fails_at_start_with_a_message_naming_the_setting_and_its_value(string stores, string expected)
    {
        using var dir = new TempDirectory("di-bad");
        using var host = HostWith(dir, $$"""{ "ObjectStorage": { "Stores": {{stores}} } }""");

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(Ct));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_a_host_the_same_error_comes_when_the_store_is_first_resolved()
    {
        var services = new ServiceCollection();
        services.AddObjectStore("media", "nosuch://x");
        using var provider = services.BuildServiceProvider();
        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredKeyedService<ObjectStore>("media"));
        Assert.Contains("AddObjectStore(\"media\"):Url = \"nosuch://x\"", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_fanout_over_a_directory_and_a_SQLite_file_from_appsettings_writes_both_media()
    {
        using var dir = new TempDirectory("di-media");
        using (var host = HostWith(dir, $$"""
            {
              "ObjectStorage": {
                "Stores": {
                  "files": "file://{{dir.File("files")}}",
                  "media": { "Type": "fanout", "Children": [ "files", "sqlite://{{dir.File("media.db")}}" ] },
                  "archive": { "Type": "readonly", "Inner": "sqlite://{{dir.File("media.db")}}" }
                }
              }
            }
            """))
        {
            await host.StartAsync(Ct);
            var media = host.Services.GetRequiredService<MediaConsumer>().Media;
            await media.PutAsync("photos/cat.jpg", new byte[] { 7, 7, 7 }, Ct);
            Assert.Equal([7, 7, 7], await host.Services.GetRequiredKeyedService<ObjectStore>("archive").GetAsync("photos/cat.jpg", Ct));
            await host.StopAsync(Ct);
        }

        Assert.Equal([7, 7, 7], File.ReadAllBytes(Path.Combine(dir.File("files"), "photos", "cat.jpg")));
        using var db = new SqliteStore(dir.File("media.db"));
        Assert.Equal([7, 7, 7], db.Get("photos/cat.jpg"));
    }

    [Fact]
    public void A_store_that_cannot_be_opened_names_the_setting_and_the_URL()
    {
        using var dir = new TempDirectory("di-open");
        var url = $"file://{dir.Path}?bogus=1";
        var services = new ServiceCollection();
        services.AddObjectStore("media", url);
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredKeyedService<ObjectStore>("media"));

        Assert.StartsWith($"AddObjectStore(\"media\"):Url = \"{url}\": the store could not be opened", error.Message, StringComparison.Ordinal);
        Assert.Contains("bogus", error.Message, StringComparison.Ordinal);
    }
}
