using System.IO.Compression;
using ObjectStorage.Tests.Support;

namespace ObjectStorage.Tests.Packaging;

/// <summary>
/// Packs the library projects as a release would, then does what a user does: a new console
/// project, <c>dotnet add package</c> from a folder feed, <c>dotnet run</c> against a directory.
/// Restores only from the packed folder and the machine's NuGet package cache (used as a second
/// folder feed), so it needs no network; when a dependency is not in the cache it skips and says so.
/// </summary>
public sealed class PackageTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly string[] Libraries =
        ["ObjectStorage", "ObjectStorage.Sqlite", "ObjectStorage.S3", "ObjectStorage.Azure", "ObjectStorage.Redis", "ObjectStorage.Extensions.Logging",
            "ObjectStorage.Extensions.DependencyInjection", "ObjectStorage.Configuration"];

    private const string Tool = "ObjectStorage.Cli";

    [Fact]
    public async Task Packed_packages_install_into_a_new_console_project_and_run_against_a_FilesystemStore()
    {
        using var work = new TempDirectory("pack");
        var repo = Repository.Root;
        var feed = Directory.CreateDirectory(work.File("feed")).FullName;
        var version = $"0.0.1-packtest.{DateTime.UtcNow:yyyyMMddHHmmss}";

        // A copy of the sources, so that packing never touches the build output the tests run from.
        var copy = work.File("repo");
        CopyTree(Path.Combine(repo, "src"), Path.Combine(copy, "src"));
        foreach (var file in new[] { "Directory.Build.props", "Directory.Packages.props", "global.json" })
            if (File.Exists(Path.Combine(repo, file))) File.Copy(Path.Combine(repo, file), Path.Combine(copy, file));
        string[] packages = Directory.Exists(Path.Combine(repo, "src", Tool)) ? [.. Libraries, Tool] : Libraries;
        var projects = string.Join(Environment.NewLine, packages.Select(p => $"""  <Project Path="src/{p}/{p}.csproj" />"""));
        File.WriteAllText(Path.Combine(copy, "Pack.slnx"), $"<Solution>{Environment.NewLine}{projects}{Environment.NewLine}</Solution>");

        var pack = await DotnetCli.RunAsync(copy, Ct, "pack", "Pack.slnx", "-c", "Release", "-o", feed, $"-p:Version={version}");
        SkipWhenOffline(pack);
        Assert.True(pack.ExitCode == 0, pack.Output);
        foreach (var package in packages)
        {
            var nupkg = Path.Combine(feed, $"{package}.{version}.nupkg");
            Assert.True(File.Exists(nupkg), $"{package}: no .nupkg in {string.Join(", ", Directory.GetFiles(feed).Select(Path.GetFileName))}");
            Assert.True(File.Exists(Path.Combine(feed, $"{package}.{version}.snupkg")), $"{package}: no symbols package");
            using var zip = ZipFile.OpenRead(nupkg);
            var entries = zip.Entries.Select(e => e.FullName).ToList();
            Assert.Contains("README.md", entries);
            if (package == Tool) Assert.Contains(entries, e => e.StartsWith("tools/net10.0/any/", StringComparison.Ordinal));
            else Assert.Contains($"lib/net10.0/{package}.xml", entries);
            var nuspec = new StreamReader(zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open()).ReadToEnd();
            Assert.Contains("<readme>README.md</readme>", nuspec, StringComparison.Ordinal);
            Assert.Contains("<license type=\"expression\">MIT</license>", nuspec, StringComparison.Ordinal);
            Assert.Contains("<description>", nuspec, StringComparison.Ordinal);
        }

        // The user's side: a fresh project that knows nothing of this repository.
        var app = Directory.CreateDirectory(work.File("app")).FullName;
        var cache = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        File.WriteAllText(Path.Combine(app, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="packed" value="{feed}" />
                <add key="cache" value="{cache}" />
              </packageSources>
              <config><add key="globalPackagesFolder" value="{work.File("packages")}" /></config>
            </configuration>
            """);
        var created = await DotnetCli.RunAsync(app, Ct, "new", "console", "--name", "StoreUser", "--output", ".", "--framework", "net10.0");
        Assert.True(created.ExitCode == 0, created.Output);
        foreach (var package in new[] { "ObjectStorage", "ObjectStorage.Extensions.DependencyInjection" })
        {
            var added = await DotnetCli.RunAsync(app, Ct, "add", "package", package, "--version", version);
            SkipWhenOffline(added);
            Assert.True(added.ExitCode == 0, added.Output);
        }
        File.WriteAllText(Path.Combine(app, "Program.cs"), """
            using Microsoft.Extensions.Logging.Abstractions;
            using ObjectStorage;

            using var store = new LoggingStore(new FilesystemStore(args[0]), NullLogger.Instance);
            store.Put("greetings/hello.txt", "hello from a package"u8.ToArray());
            Console.WriteLine($"{string.Join(",", store.Keys())} {store.Get("greetings/hello.txt").Length}");
            """);

        var data = work.File("data");
        var run = await DotnetCli.RunAsync(app, Ct, "run", "--", data);

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains("greetings/hello.txt 20", run.Output, StringComparison.Ordinal);
        Assert.Equal("hello from a package", File.ReadAllText(Path.Combine(data, "greetings", "hello.txt")));
    }

    private static void SkipWhenOffline((int ExitCode, string Output) result)
    {
        // NU1101: package not found; NU1102: version not found; NU1301: a source could not be reached.
        if (result.ExitCode != 0 && (result.Output.Contains("NU1301", StringComparison.Ordinal)
            || (result.Output.Contains("NU110", StringComparison.Ordinal) && !result.Output.Contains("ObjectStorage", StringComparison.Ordinal))))
            Assert.Skip($"restore needs packages that neither the packed feed nor the local NuGet cache has (offline?):{Environment.NewLine}{result.Output}");
    }

    private static void CopyTree(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from)) File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        foreach (var dir in Directory.GetDirectories(from))
        {
            var name = Path.GetFileName(dir);
            if (name is "bin" or "obj") continue;
            CopyTree(dir, Path.Combine(to, name));
        }
    }
}
