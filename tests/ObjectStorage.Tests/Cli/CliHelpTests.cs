namespace ObjectStorage.Tests.Cli;

/// <summary>Every command explains itself with --help, including an example.</summary>
public sealed class CliHelpTests
{
    private static readonly string[] s_commands = ["ls", "cat", "get", "put", "rm", "stat", "cp", "mv", "sync", "check", "size", "du", "presign", "bench", "serve"];

    [Fact]
    public async Task Help_lists_every_command_the_store_urls_and_the_exit_codes()
    {
        var run = await Objstore.RunAsync("--help");

        Assert.Equal(0, run.ExitCode);
        foreach (var command in s_commands) Assert.Contains($"  {command} ", run.Output);
        Assert.Contains("sqlite:///path/to.db", run.Output);
        Assert.Contains("3 not found", run.Output);
    }

    [Fact]
    public async Task Every_command_has_help_with_an_example_of_itself()
    {
        foreach (var command in s_commands)
        {
            var run = await Objstore.RunAsync(command, "--help");

            Assert.True(run.ExitCode == 0, run.ToString());
            Assert.Contains($"Usage:\n  objstore {command}", run.Output.ReplaceLineEndings("\n"));
            Assert.Contains($"Examples:\n  objstore {command} ", run.Output.ReplaceLineEndings("\n"));
        }
    }
}
