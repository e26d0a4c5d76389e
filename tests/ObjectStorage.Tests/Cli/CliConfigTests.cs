using ObjectStorage.Tests.Support;

namespace ObjectStorage.Tests.Cli;

/// <summary><c>objstore --config stores.yaml</c>: named stores of the Python original's YAML format as <c>NAME:</c>.</summary>
public sealed class CliConfigTests : IDisposable
{
    private const int BadInput = 2;

    private readonly TempDirectory _dir = new("cli-config");

    private string WriteConfig() => WriteFile("stores.yaml", """
        stores:
          disk:
            type: FilesystemStore
            config:
              root_path: ${DATA_ROOT}
          photos:
            type: PrefixStore
            config:
              prefix: "photos/"
            base: disk
        main: disk
        """);

    private string WriteFile(string name, string text)
    {
        File.WriteAllText(_dir.File(name), text);
        return _dir.File(name);
    }

    private Dictionary<string, string> Environment => new() { ["DATA_ROOT"] = _dir.File("data") };

    [Fact]
    public async Task A_named_store_of_the_config_file_is_written_and_listed_as_NAME_colon()
    {
        var config = WriteConfig();
        var file = WriteFile("cat.jpg", "meow");
        var put = await Objstore.RunAsync(["--config", config, "put", "photos:", "cat.jpg", file], environment: Environment);
        Assert.True(put.ExitCode == 0, put.Error);
        Assert.Equal("meow", File.ReadAllText(Path.Combine(_dir.File("data"), "photos", "cat.jpg")));
        var ls = await Objstore.RunAsync(["ls", "photos:", "--config", config], environment: Environment);
        Assert.True(ls.ExitCode == 0, ls.Error);
        Assert.Equal("cat.jpg", ls.Output.Trim());
        var all = await Objstore.RunAsync(["--config", config, "ls", "disk:"], environment: Environment);
        Assert.Equal("photos/cat.jpg", all.Output.Trim());
    }

    [Fact]
    public async Task NAME_colon_without_a_config_file_says_to_give_one()
    {
        var run = await Objstore.RunAsync(["ls", "photos:"]);
        Assert.Equal(BadInput, run.ExitCode);
        Assert.Contains("--config", run.Error);
    }

    [Fact]
    public async Task A_name_the_file_does_not_define_and_a_missing_variable_are_bad_input_naming_them()
    {
        var config = WriteConfig();
        var unknown = await Objstore.RunAsync(["--config", config, "ls", "videos:"], environment: Environment);
        Assert.Equal(BadInput, unknown.ExitCode);
        Assert.Contains("no store is named \"videos\"", unknown.Error);
        Assert.Contains("\"photos\"", unknown.Error);
        var missing = await Objstore.RunAsync(["--config", config, "ls", "photos:"]);
        Assert.Equal(BadInput, missing.ExitCode);
        Assert.Contains("Environment variable 'DATA_ROOT' not found", missing.Error);
        Assert.Contains("stores.yaml:5", missing.Error);
    }

    public void Dispose() => _dir.Dispose();
}
