using System.Diagnostics;

namespace ObjectStorage.Tests.Support;

/// <summary>Starts the ObjectStorage.TestChild program (built beside the tests) as a separate process.</summary>
public static class ChildProcess
{
    public static string DllPath { get; } = Path.Combine(AppContext.BaseDirectory, "ObjectStorage.TestChild.dll");

    /// <summary>Starts the child in <paramref name="mode"/> with stdout and stderr redirected.</summary>
    public static Process Start(string mode, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(DllPath);
        info.ArgumentList.Add(mode);
        foreach (var arg in args) info.ArgumentList.Add(arg);
        return Process.Start(info) ?? throw new InvalidOperationException("could not start the test child process");
    }

    /// <summary>Runs the child to completion; returns exit code and output.</summary>
    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(string mode, string[] args, CancellationToken cancellationToken)
    {
        using var process = Start(mode, args);
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        return (process.ExitCode, await output, await error);
    }
}
