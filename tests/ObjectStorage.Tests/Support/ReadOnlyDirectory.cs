namespace ObjectStorage.Tests.Support;

/// <summary>
/// Makes a directory tree read-only in a way that really denies writes, also to root (tests run as
/// root in CI, where permission bits stop nothing): as root the tree is made immutable with
/// <c>chattr -R +i</c>; otherwise its directories lose their write bits. A probe write checks the
/// denial; where neither works the test is skipped visibly with the reason. Dispose undoes it.
/// </summary>
public sealed class ReadOnlyDirectory : IDisposable
{
    private readonly string _path;
    private readonly bool _immutable;

    private ReadOnlyDirectory(string path, bool immutable)
    {
        _path = path;
        _immutable = immutable;
    }

    /// <summary>How the denial was made, for messages and docs.</summary>
    public string How => _immutable ? "chattr +i" : "chmod a-w";

    public static ReadOnlyDirectory Make(string path)
    {
        var made = new ReadOnlyDirectory(path, Environment.IsPrivilegedProcess);
        string? failure = made._immutable ? ExternalTool.Run("chattr", "-R", "+i", path) : made.SetWritable(false);
        if (failure is null)
        {
            var probe = Path.Combine(path, "probe-" + Guid.NewGuid().ToString("N"));
            try
            {
                File.WriteAllBytes(probe, [1]);
                File.Delete(probe);
                failure = $"a probe file could still be written after {made.How}";
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { }
        }
        if (failure is not null)
        {
            made.Dispose();
            Assert.Skip($"cannot make a directory read-only here: {failure}");
        }
        return made;
    }

    public void Dispose()
    {
        if (_immutable) ExternalTool.Run("chattr", "-R", "-i", _path);
        else SetWritable(true);
    }

    private string? SetWritable(bool writable)
    {
        if (OperatingSystem.IsWindows()) return "Windows has no Unix permission bits";
        foreach (var dir in Directory.EnumerateDirectories(_path, "*", SearchOption.AllDirectories).Prepend(_path))
        {
            var mode = File.GetUnixFileMode(dir);
            const UnixFileMode write = UnixFileMode.UserWrite | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite;
            File.SetUnixFileMode(dir, writable ? mode | UnixFileMode.UserWrite : mode & ~write);
        }
        return null;
    }
}
