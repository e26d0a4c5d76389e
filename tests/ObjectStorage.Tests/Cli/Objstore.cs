using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace ObjectStorage.Tests.Cli;

/// <summary>What one run of the objstore tool printed and returned.</summary>
public sealed record ObjstoreRun(int ExitCode, string Output, string Error)
{
    /// <summary>Stdout parsed as JSON.</summary>
    public JsonElement Json()
    {
        using var document = JsonDocument.Parse(Output);
        return document.RootElement.Clone();
    }

    /// <summary>The lines of stdout, without the trailing empty one.</summary>
    public string[] Lines => Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(static l => l.TrimEnd('\r')).ToArray();

    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Output}\n--- stderr\n{Error}";
}

/// <summary>
/// Runs the built objstore tool (objstore.dll, copied beside the tests by the project reference)
/// as a separate process with stdout and stderr redirected, as a script would.
/// </summary>
public static class Objstore
{
    public static string DllPath { get; } = Path.Combine(AppContext.BaseDirectory, "objstore.dll");

    /// <summary>Runs <c>objstore args...</c> in <paramref name="workingDirectory"/>, feeding <paramref name="stdin"/>, with extra <paramref name="environment"/> variables.</summary>
    /// <remarks>A <paramref name="native"/> executable (the ahead-of-time build) runs instead of the built objstore.dll.</remarks>
    public static async Task<ObjstoreRun> RunAsync(string[] args, string? workingDirectory = null, byte[]? stdin = null,
        IReadOnlyDictionary<string, string>? environment = null, string? native = null)
    {
        var ct = TestContext.Current.CancellationToken;
        var info = new ProcessStartInfo(native ?? "dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) info.Environment[name] = value;
        if (native is null) info.ArgumentList.Add(DllPath);
        foreach (var arg in args) info.ArgumentList.Add(arg);

        using var process = Process.Start(info) ?? throw new InvalidOperationException("could not start objstore");
        var output = process.StandardOutput.ReadToEndAsync(ct);
        var error = process.StandardError.ReadToEndAsync(ct);
        if (stdin is not null) await process.StandardInput.BaseStream.WriteAsync(stdin, ct);
        process.StandardInput.Close();
        await process.WaitForExitAsync(ct);
        return new ObjstoreRun(process.ExitCode, await output, await error);
    }

    public static Task<ObjstoreRun> RunAsync(params string[] args) => RunAsync(args, null, null);

    /// <summary>Starts <c>objstore args...</c> with stdin, stdout and stderr redirected, for a test that talks to it or signals it while it runs.</summary>
    public static Process Start(string workingDirectory, params string[] args)
    {
        // Through env(1), which gives SIGINT back its default before it execs dotnet (same process id): a
        // test run started in the background by a shell without job control (`.ci/run &`) inherits SIGINT
        // ignored, the tool would inherit that too, and the Ctrl+C tests would see a signal that never lands.
        var info = new ProcessStartInfo("env")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        info.ArgumentList.Add("--default-signal=INT");
        info.ArgumentList.Add("dotnet");
        info.ArgumentList.Add(DllPath);
        foreach (var arg in args) info.ArgumentList.Add(arg);
        return Process.Start(info) ?? throw new InvalidOperationException("could not start objstore");
    }

    /// <summary>Runs <c>objstore</c> inside <c>sh -c</c>, where <paramref name="redirection"/> (e.g. <c>&gt; /dev/full</c>) follows the arguments.</summary>
    public static async Task<ObjstoreRun> RunInShellAsync(string[] args, string redirection)
    {
        var command = string.Join(' ', new[] { "dotnet", DllPath }.Concat(args).Select(static a => "'" + a.Replace("'", "'\\''", StringComparison.Ordinal) + "'"));
        var info = new ProcessStartInfo("/bin/sh") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add($"{command} {redirection}");
        using var process = Process.Start(info) ?? throw new InvalidOperationException("could not start sh");
        var ct = TestContext.Current.CancellationToken;
        var output = process.StandardOutput.ReadToEndAsync(ct);
        var error = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        return new ObjstoreRun(process.ExitCode, await output, await error);
    }

    /// <summary>Sends a real signal (<c>kill -INT</c>, <c>kill -TERM</c>) to a running objstore.</summary>
    public static void Signal(Process process, string signal)
    {
        using var kill = Process.Start("kill", ["-" + signal, process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }
}
