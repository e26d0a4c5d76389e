namespace ObjectStorage.Tests.Support;

/// <summary>
/// A tmpfs of a few MiB mounted on a fresh directory, for tests of a disk that fills up. Needs
/// root and a kernel that lets the process mount; elsewhere the test is skipped visibly with the
/// reason. Dispose unmounts it and removes the directory.
/// </summary>
public sealed class SmallTmpfs : IDisposable
{
    private readonly TempDirectory _mountPoint;

    private SmallTmpfs(TempDirectory mountPoint) => _mountPoint = mountPoint;

    public string Path => _mountPoint.Path;

    public static SmallTmpfs Mount(int megabytes)
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "a small tmpfs needs Linux");
        Assert.SkipUnless(Environment.IsPrivilegedProcess, "mounting a small tmpfs needs root; this process is not privileged");
        var dir = new TempDirectory("tmpfs");
        var failure = ExternalTool.Run("mount", "-t", "tmpfs", "-o", $"size={megabytes}m", "tmpfs", dir.Path);
        if (failure is not null)
        {
            dir.Dispose();
            Assert.Skip($"cannot mount a tmpfs here: {failure}");
        }
        return new SmallTmpfs(dir);
    }

    public void Dispose()
    {
        if (ExternalTool.Run("umount", Path) is not null) ExternalTool.Run("umount", "-l", Path);
        _mountPoint.Dispose();
    }
}
