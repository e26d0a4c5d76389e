using System.Diagnostics;

namespace ObjectStorage.Tests.Support;

/// <summary>Runs the .NET SDK's <c>dotnet</c> as a user would, without its first-run banner, telemetry or lingering build servers.</summary>
public static class DotnetCli
{
    /// <summary>Runs <c>dotnet args...</c> in <paramref name="directory"/>; the output says the command, its exit code and everything it printed.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(string directory, CancellationToken cancellationToken, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in args) info.ArgumentList.Add(arg);
        info.Environment["DOTNET_NOLOGO"] = "1";
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        info.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        using var process = Process.Start(info) ?? throw new InvalidOperationException("could not start dotnet");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        return (process.ExitCode, $"dotnet {string.Join(' ', args)} -> {process.ExitCode}{Environment.NewLine}{await output}{await error}");
    }
}
