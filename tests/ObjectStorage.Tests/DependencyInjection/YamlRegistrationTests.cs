using Microsoft.Extensions.DependencyInjection;
using ObjectStorage.Tests.Support;

namespace ObjectStorage.Tests.DependencyInjection;

/// <summary>The DI package takes the same YAML files as <c>objstore --config</c>.</summary>
public sealed class YamlRegistrationTests : IDisposable
{
    private readonly TempDirectory _dir = new("di-yaml");

    public sealed class MediaConsumer([FromKeyedServices("media")] ObjectStore media)
    {
        public ObjectStore Media { get; } = media;
    }

    [Fact]
    public void Every_store_of_the_file_is_a_keyed_singleton_and_main_is_the_unkeyed_one_sharing_their_bases()
    {
        var path = _dir.File("stores.yaml");
        File.WriteAllText(path, $"""
            stores:
              disk:
                type: FilesystemStore
                config:
                  root_path: {_dir.File("data")}
              media:
                type: PrefixStore
                config:
                  prefix: "media/"
                base: disk
            main: media
            """);
        var services = new ServiceCollection();
        services.AddObjectStoresFromYaml(path).AddSingleton<MediaConsumer>();
        ObjectStore disk;
        using (var provider = services.BuildServiceProvider())
        {
            var media = provider.GetRequiredService<MediaConsumer>().Media;
            Assert.Same(media, provider.GetRequiredService<ObjectStore>());
            media.Put("a.png", [1]);
            disk = provider.GetRequiredKeyedService<ObjectStore>("disk");
            Assert.Equal(["media/a.png"], disk.Keys());
        }
        Assert.True(disk.IsDisposed);
    }

    [Fact]
    public void A_wrong_file_fails_at_registration_naming_file_and_line()
    {
        var path = _dir.File("bad.yaml");
        File.WriteAllText(path, "stores:\n  s:\n    typ: DictStore\n");
        var error = Assert.Throws<StoreConfigException>(() => new ServiceCollection().AddObjectStoresFromYaml(path));
        Assert.Contains("bad.yaml:3", error.Message);
    }

    public void Dispose() => _dir.Dispose();
}
