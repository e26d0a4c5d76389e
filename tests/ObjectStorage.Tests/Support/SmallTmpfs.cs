namespace ObjectStorage.Tests.Support;

/// <summary>
/// A tmpfs of a few MiB mounted on a fresh directory, for tests of a disk that fills up, or a
/// ramfs, for tests of a file system that keeps no extended attributes. Needs root and a kernel
/// that lets the process mount; elsewhere the test is skipped visibly with the reason. Dispose
/// unmounts it and removes the directory.
/// </summary>
public sealed class SmallTmpfs : IDisposable
{
    private readonly TempDirectory _mountPoint;

    private SmallTmpfs(TempDirectory mountPoint) => _mountPoint = mountPoint;

    public string Path => _mountPoint.Path;

    public static SmallTmpfs Mount(int megabytes) => Mount("tmpfs", $"size={megabytes}m");

    /// <summary>A ramfs: memory like tmpfs, but without extended attributes (user.* setxattr fails with ENOTSUP).</summary>
    public static SmallTmpfs MountRamfs() => Mount("ramfs", "mode=0755");

    private static SmallTmpfs Mount(string type, string options)
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), $"a small {type} needs Linux");
        Assert.SkipUnless(Environment.IsPrivilegedProcess, $"mounting a small {type} needs root; this process is not privileged");
        var dir = new TempDirectory(type);
        var failure = ExternalTool.Run("mount", "-t", type, "-o", options, type, dir.Path);
        if (failure is not null)
        {
            dir.Dispose();
            Assert.Skip($"cannot mount a {type} here: {failure}");
        }
        return new SmallTmpfs(dir);
    }

    public void Dispose()
    {
        if (ExternalTool.Run("umount", Path) is not null) ExternalTool.Run("umount", "-l", Path);
        _mountPoint.Dispose();
    }
}
