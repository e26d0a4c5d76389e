using System.Diagnostics;

namespace ObjectStorage.Tests.Support;

/// <summary>rclone, the S3 client the interop tests drive: found on PATH, run with no config file and without AWS_CA_BUNDLE.</summary>
public static class Rclone
{
    /// <summary>The rclone executable, or a visible skip.</summary>
    public static string Require()
    {
        var path = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(dir => Path.Combine(dir, "rclone")).FirstOrDefault(File.Exists);
        Assert.SkipWhen(path is null, "rclone is not installed (apt-get install -y rclone; .ci/run installs it)");
        return path!;
    }

    /// <summary>Runs <c>rclone args...</c> and fails the test with its output when it exits non-zero.</summary>
    public static async Task RunAsync(string rclone, params string[] args)
    {
        var ct = TestContext.Current.CancellationToken;
        var info = new ProcessStartInfo(rclone) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args) info.ArgumentList.Add(arg);
        // rclone rejects the CA bundle some environments point AWS tools at; it speaks plain HTTP here.
        info.Environment.Remove("AWS_CA_BUNDLE");
        info.Environment["RCLONE_CONFIG"] = Path.Combine(Path.GetTempPath(), "objectstorage-no-rclone.conf");
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync(ct);
        var error = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        Assert.True(process.ExitCode == 0, $"rclone {string.Join(' ', args)} exited {process.ExitCode}: {await error}{await output}");
    }
}
