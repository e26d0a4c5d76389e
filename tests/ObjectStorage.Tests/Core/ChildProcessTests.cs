using ObjectStorage.Tests.Support;

namespace ObjectStorage.Tests.Core;

public sealed class ChildProcessTests
{
    [Fact]
    public async Task The_test_child_process_starts_and_answers()
    {
        var (code, output, error) = await ChildProcess.RunAsync("echo", ["hello", "child"], TestContext.Current.CancellationToken);
        Assert.True(code == 0, error);
        Assert.Equal("hello child", output.Trim());
    }
}
