namespace ObjectStorage.Tests.Cli;

/// <summary>How objstore fails: one line on stderr, and an exit code per kind of failure (docs/cli.md).</summary>
public sealed class CliErrorTests
{
    private const int BadInput = 2;
    private const int NotFound = 3;

    [Fact]
    public async Task A_bad_url_exits_2_with_one_line_that_lists_the_accepted_forms()
    {
        var run = await Objstore.RunAsync("ls", "nosuch://x");

        Assert.Equal(BadInput, run.ExitCode);
        Assert.Equal("", run.Output);
        var line = Assert.Single(run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("unknown scheme \"nosuch\"", line);
        Assert.Contains("Accepted forms:", line);
        foreach (var form in new[] { "mem://", "sqlite:///path/to.db", "s3://bucket" }) Assert.Contains(form, line);
    }

    [Fact]
    public async Task A_scheme_without_slashes_is_a_bad_url_not_a_file_name()
    {
        var run = await Objstore.RunAsync("ls", "sqlite:demo.db");

        Assert.Equal(BadInput, run.ExitCode);
        Assert.Contains("\"sqlite:\" must be followed by \"//\"", run.Error);
    }

    [Fact]
    public async Task An_invalid_key_exits_2_and_names_the_broken_rule()
    {
        var run = await Objstore.RunAsync("cat", "mem://", new string('k', 1025));

        Assert.Equal(BadInput, run.ExitCode);
        Assert.Contains("at most 1024 bytes", run.Error);
        Assert.DoesNotContain("Parameter", run.Error);
    }

    [Fact]
    public async Task An_unknown_option_exits_2_and_points_at_the_help()
    {
        var run = await Objstore.RunAsync("ls", "mem://", "--no-such-option");

        Assert.Equal(BadInput, run.ExitCode);
        Assert.Contains("--no-such-option", run.Error);
        Assert.Contains("objstore ls --help", run.Error);
        Assert.Single(run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task An_option_value_out_of_range_exits_2()
    {
        var run = await Objstore.RunAsync("sync", "mem://", "mem://", "--parallel", "0");

        Assert.Equal(BadInput, run.ExitCode);
        Assert.Contains("--parallel", run.Error);
    }

    [Fact]
    public async Task An_option_value_that_does_not_parse_exits_2_without_a_stack_trace()
    {
        var run = await Objstore.RunAsync("bench", "mem://", "--seconds", "abc");

        Assert.Equal(BadInput, run.ExitCode);
        Assert.Contains("'abc'", run.Error);
        Assert.DoesNotContain("   at ", run.Error);
    }

    [Fact]
    public async Task A_missing_key_exits_3_and_json_mode_also_prints_an_error_object()
    {
        var run = await Objstore.RunAsync("stat", "mem://", "no/such/key", "--json");

        Assert.Equal(NotFound, run.ExitCode);
        Assert.Contains("no object with key \"no/such/key\"", run.Error);
        var error = run.Json().GetProperty("error");
        Assert.Equal("notFound", error.GetProperty("kind").GetString());
        Assert.Equal(NotFound, error.GetProperty("exitCode").GetInt32());
    }

    [Fact]
    public async Task No_command_exits_2()
    {
        var run = await Objstore.RunAsync();

        Assert.Equal(BadInput, run.ExitCode);
        Assert.NotEqual("", run.Error);
    }
}
