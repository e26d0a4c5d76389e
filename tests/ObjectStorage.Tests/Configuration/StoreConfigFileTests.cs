using ObjectStorage.Tests.Support;

namespace ObjectStorage.Tests.Configuration;

/// <summary>The Python original's YAML configuration format, from files written as its documentation and tests show it.</summary>
public sealed class StoreConfigFileTests : IDisposable
{
    private readonly TempDirectory _dir = new("config");

    private static string Config(string name) => Path.Combine(Repository.Root, "tests", "ObjectStorage.Tests", "Configuration", "test-configs", name);

    private Func<string, string?> Variables(params (string Name, string Value)[] set) =>
        name => name == "ROOT" ? _dir.Path : set.FirstOrDefault(v => v.Name == name).Value;

    [Fact]
    public void Every_store_type_of_the_project_builds_from_the_originals_type_names()
    {
        var file = StoreConfigFile.Load(Config("every_type.yaml"), Variables());
        var expected = new Dictionary<string, Type>
        {
            ["memory"] = typeof(DictStore), ["disk"] = typeof(FilesystemStore), ["hashed"] = typeof(HashdirStore),
            ["safe"] = typeof(SafeFilesystemStore), ["database"] = typeof(SqliteStore), ["archive"] = typeof(ZipStore),
            ["bucket"] = typeof(BucketStore), ["web"] = typeof(HttpStore), ["mirror"] = typeof(FanoutStore), ["cached"] = typeof(CachingStore),
            ["readonly"] = typeof(ReadOnlyStore), ["writeonly"] = typeof(WriteOnlyStore), ["notifying"] = typeof(NotifyingStore),
            ["gzip"] = typeof(GzipStore), ["prefixed"] = typeof(PrefixStore), ["spread"] = typeof(HashPrefixStore),
            ["lowercase"] = typeof(KeyValidatingStore), ["urls"] = typeof(KeyValidatingStore), ["identity"] = typeof(SafeFilesystemStore),
            ["router"] = typeof(RoutingStore), ["nested"] = typeof(ReadOnlyStore),
        };
        Assert.Equal(expected.Keys.Order(), file.Names.Order());
        foreach (var (name, type) in expected)
        {
            using var store = file.Build(name);
            Assert.IsType(type, store);
        }
    }

    [Fact]
    public void The_main_store_routes_keys_to_real_media_by_pattern()
    {
        var file = StoreConfigFile.Load(Config("every_type.yaml"), Variables());
        Assert.Equal("router", file.Main);
        using (var router = file.Build())
        {
            router.Put("photos/cat.jpg", [1]);
            router.Put("app.log", [2]);
            router.Put("notes.txt", [3]);
            Assert.Equal(["app.log", "notes.txt", "photos/cat.jpg"], router.Keys());
        }
        Assert.True(File.Exists(Path.Combine(_dir.Path, "safe", Base32FileNames.ToName("photos/cat.jpg"))));
        using (var zip = new ZipStore(Path.Combine(_dir.Path, "objects.zip"), new ZipStoreOptions { Mode = ZipStoreMode.Read })) Assert.Equal(["app.log"], zip.Keys());
        using (var db = new SqliteStore(Path.Combine(_dir.Path, "objects.db"))) Assert.Equal(["notes.txt"], db.Keys());
    }

    [Fact]
    public void Caching_and_mirroring_bases_take_a_map_of_roles_and_a_list()
    {
        using var store = StoreConfigFile.Load(Config("multi_base.yaml")).Build();
        var cached = Assert.IsType<CachingStore>(store);
        cached.Put("test_key", "Hello, World!"u8.ToArray());
        Assert.Equal("Hello, World!", cached.Text().Get("test_key"));
    }

    [Fact]
    public void A_store_that_rests_on_itself_is_refused_with_the_originals_message_and_the_line()
    {
        var error = Assert.Throws<StoreConfigException>(() => StoreConfigFile.Load(Config("recursive.yaml")).Build());
        Assert.Contains("Recursive store definition found -- store1 mentioned multiple times (store1 -> store2 -> store1)", error.Message);
        Assert.EndsWith("recursive.yaml", error.File);
        Assert.Equal(9, error.Line);
    }

    [Fact]
    public void Variables_are_substituted_with_defaults_for_unset_ones()
    {
        var file = StoreConfigFile.Load(Config("vars.yaml"), Variables(("HASH_LENGTH", "2")));
        using (var tenant = file.Build()) tenant.Put("k", [1]);
        Assert.True(File.Exists(Path.Combine(_dir.Path, "default-tenant", "k")));
        var spread = Assert.IsType<HashPrefixStore>(file.Build("spread"));
        Assert.Equal(2, spread.HashLength);
        Assert.Equal("/", spread.Separator);
    }

    [Fact]
    public void An_empty_variable_counts_as_set_and_a_default_may_hold_colons()
    {
        const string yaml = """
            stores:
              web:
                type: HttpStore
                config:
                  base_url: ${URL:-http://localhost:8080/api:v1}
              tenant:
                type: PrefixStore
                config:
                  prefix: ${EMPTY:-x/}t/
                base: web
            main: web
            """;
        var file = StoreConfigFile.Parse(yaml, "inline.yaml", name => name == "EMPTY" ? "" : null);
        Assert.Equal("http://localhost:8080/api:v1/", Assert.IsType<HttpStore>(file.Build()).BaseAddress!.AbsoluteUri);
        Assert.Equal("t/", Assert.IsType<PrefixStore>(file.Build("tenant")).Prefix);
    }

    [Fact]
    public void A_missing_variable_is_named_with_the_file_and_line()
    {
        var error = Assert.Throws<StoreConfigException>(() => StoreConfigFile.Load(Config("missing_var.yaml"), _ => null).Build());
        Assert.Contains("Environment variable 'MISSING' not found. Please set MISSING or provide a default value using ${MISSING:-default}", error.Message);
        Assert.Equal(5, error.Line);
        Assert.Equal("disk", error.Store);
    }

    [Fact]
    public void An_unknown_type_lists_the_known_ones_and_a_typed_store_points_at_its_view()
    {
        var unknown = Assert.Throws<StoreConfigException>(() => StoreConfigFile.Parse("stores:\n  s:\n    type: FtpStore\nmain: s\n").Build());
        Assert.Contains("unknown store type \"FtpStore\"", unknown.Message);
        Assert.Contains("SqliteStore", unknown.Message);
        Assert.Contains("BucketStore", unknown.Message);
        Assert.Equal(3, unknown.Line);
        var view = Assert.Throws<StoreConfigException>(() => StoreConfigFile.Parse("stores:\n  s:\n    type: JsonStore\n    base: d\n  d:\n    type: DictStore\n").Build("s"));
        Assert.Contains("store.Json(", view.Message);
    }

    [Fact]
    public void An_unknown_config_key_names_what_the_type_takes()
    {
        var error = Assert.Throws<StoreConfigException>(() =>
            StoreConfigFile.Parse("stores:\n  s:\n    type: HashdirStore\n    config:\n      root_path: /tmp/x\n      widht: 3\n").Build("s"));
        Assert.Contains("unknown config \"widht\" for HashdirStore (it takes root_path, width, depth, fsync, links)", error.Message);
        Assert.Equal(6, error.Line);
    }

    [Fact]
    public void A_YAML_syntax_error_names_the_line()
    {
        var error = Assert.Throws<StoreConfigException>(() => StoreConfigFile.Parse("stores:\n  s:\n    type: DictStore\n  - x\nmain: s\n", "bad.yaml"));
        Assert.StartsWith("bad.yaml:4: not valid YAML", error.Message);
        var unclosed = Assert.Throws<StoreConfigException>(() => StoreConfigFile.Parse("stores:\n  s:\n    type: [DictStore\nmain: s\n", "bad.yaml"));
        Assert.Contains("not valid YAML", unclosed.Message);
    }

    [Fact]
    public void A_failed_build_disposes_the_stores_it_had_made()
    {
        var file = StoreConfigFile.Parse("stores:\n  d:\n    type: SqliteStore\n    config:\n      db_path: " + _dir.File("a.db") +
            "\n  m:\n    type: MirroringStore\n    base: [d, missing]\n");
        Assert.Contains("no store is named \"missing\"", Assert.Throws<StoreConfigException>(() => file.Build("m")).Message);
        File.Delete(_dir.File("a.db")); // an open SQLite connection would hold the file's lock on Windows; on Linux this checks nothing is left writing
    }

    [Fact]
    public void A_package_adds_its_own_type_to_the_registry_as_the_originals_register_store()
    {
        StoreConfigTypes.Register(new StoreConfigType("AmplifyStore", settings =>
        {
            settings.AllowOnly("word");
            var store = new DictStore();
            store.Put("any_key", System.Text.Encoding.UTF8.GetBytes(settings.Value("word") ?? "amplify"));
            return store;
        }));
        using var store = StoreConfigFile.Parse("stores:\n  amplify_store:\n    type: AmplifyStore\nmain: amplify_store\n").Build();
        Assert.Equal("amplify", store.Text().Get("any_key"));
    }

    public void Dispose() => _dir.Dispose();
}
