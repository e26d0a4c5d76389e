using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace ObjectStorage;

/// <summary>
/// Linux's unnamed temporary files: open(2) with O_TMPFILE makes a file in a directory without
/// giving it a name, and linkat(2) through <c>/proc/self/fd</c> names it once it is whole. A new
/// object then costs the kernel no temporary directory entry and no rename, and a write that fails
/// or is killed leaves nothing behind (the kernel frees a file that never got a name). One instance
/// per store root remembers whether the root's file system takes them (ext4, xfs, btrfs and tmpfs
/// do; others answer EOPNOTSUPP), so a refusing file system costs one failed call per store.
/// </summary>
internal sealed class UnnamedTemporaryFiles
{
    /// <summary>The environment variable that, set to <c>0</c> when a store opens, makes it use named temporary files only.</summary>
    public const string Switch = "OBJSTORE_FS_O_TMPFILE";

    private const int WriteOnly = 0x1; // O_WRONLY
    private const int CloseOnExec = 0x80000; // O_CLOEXEC
    private const int FollowLink = 0x400; // AT_SYMLINK_FOLLOW
    private const int CurrentDirectory = -100; // AT_FDCWD

    private const int NoEntry = 2, IsDirectory = 21, Invalid = 22, NotSupported = 95;

    private readonly int _openFlags;
    private volatile bool _refused;

    private UnnamedTemporaryFiles(int tmpfileFlag) => _openFlags = tmpfileFlag | WriteOnly | CloseOnExec;

    /// <summary>The unnamed temporary files of a store opening now, or null where there are none: not Linux, an architecture whose flags are not known here, no <c>/proc</c>, or the switch set to 0.</summary>
    public static UnnamedTemporaryFiles? ForStore()
    {
        if (!OperatingSystem.IsLinux() || Environment.GetEnvironmentVariable(Switch) == "0") return null;
        // O_TMPFILE is __O_TMPFILE | O_DIRECTORY, and O_DIRECTORY differs between the x86 and Arm families.
        int? flag = RuntimeInformation.ProcessArchitecture switch
        {
            Architecture.X64 or Architecture.X86 => 0x400000 | 0x10000,
            Architecture.Arm64 or Architecture.Arm => 0x400000 | 0x4000,
            _ => null,
        };
        return flag is { } known && Directory.Exists("/proc/self/fd") ? new UnnamedTemporaryFiles(known) : null;
    }

    /// <summary>
    /// An unnamed file open to write in <paramref name="directory"/>, or null when the caller should
    /// make a named one instead: the file system refuses them (remembered), or the open failed for a
    /// reason the named path reports in .NET's own words (no permission, a file where a directory would be).
    /// </summary>
    public SafeFileHandle? TryCreate(string directory)
    {
        if (_refused) return null;
        try
        {
            for (int attempt = 0; attempt < 2; attempt++)
            {
                int fd = Open(directory, _openFlags, 0x1B6 /* 0666, less the umask, as .NET creates files */);
                if (fd >= 0) return new SafeFileHandle((IntPtr)fd, ownsHandle: true);
                int errno = Marshal.GetLastPInvokeError();
                // Kernels before 3.11 read O_TMPFILE as O_DIRECTORY and answer EISDIR for a writable open of one.
                if (errno is NotSupported or IsDirectory or Invalid)
                {
                    _refused = true;
                    return null;
                }
                if (errno != NoEntry) return null;
                // The first put under a new directory: make it and try once more; the named path handles races.
                try
                {
                    Directory.CreateDirectory(directory);
                }
                catch (IOException)
                {
                    return null;
                }
                catch (UnauthorizedAccessException)
                {
                    return null;
                }
            }
        }
        catch (Exception error) when (error is DllNotFoundException or EntryPointNotFoundException)
        {
            _refused = true;
        }
        return null;
    }

    /// <summary>Gives the unnamed file open as <paramref name="handle"/> the name <paramref name="path"/>; 0, or the errno of linkat(2) (EEXIST when the name is taken).</summary>
    public static int Link(SafeFileHandle handle, string path)
    {
        var self = "/proc/self/fd/" + handle.DangerousGetHandle().ToInt32().ToString(System.Globalization.CultureInfo.InvariantCulture);
        return LinkAt(CurrentDirectory, self, CurrentDirectory, path, FollowLink) == 0 ? 0 : Marshal.GetLastPInvokeError();
    }

    /// <summary>The exception .NET would throw for <paramref name="errno"/> met at <paramref name="path"/>.</summary>
    public static Exception Error(int errno, string path)
    {
        var message = $"{Marshal.GetPInvokeErrorMessage(errno)} : '{path}'";
        return errno switch
        {
            NoEntry => new DirectoryNotFoundException(message),
            1 or 13 => new UnauthorizedAccessException(message), // EPERM, EACCES
            36 => new PathTooLongException(message), // ENAMETOOLONG
            _ => new IOException(message, errno),
        };
    }

    // ---- TEMPORARY (issue 20, variant b): today's named path with fewer metadata calls ----------

    /// <summary>Lean variant on.</summary>
    public static readonly bool Lean = Environment.GetEnvironmentVariable("OBJSTORE_FS_PUT") is "named-lean" or "unnamed-lean";

    /// <summary>open(O_CREAT|O_EXCL) without .NET's flock and fstat.</summary>
    public static SafeFileHandle CreateNamed(string path, out int errno)
    {
        int fd = Open(path, WriteOnly | CloseOnExec | 0x40 | 0x80, 0x1B6);
        errno = fd < 0 ? Marshal.GetLastPInvokeError() : 0;
        return new SafeFileHandle((IntPtr)fd, ownsHandle: fd >= 0);
    }

    /// <summary>futimens with the access time left alone (no fstat).</summary>
    public static void Stamp(SafeFileHandle handle, DateTime utc, string path)
    {
        long since = utc.Ticks - DateTime.UnixEpoch.Ticks;
        long seconds = since / TimeSpan.TicksPerSecond, rest = since % TimeSpan.TicksPerSecond;
        if (rest < 0) (seconds, rest) = (seconds - 1, rest + TimeSpan.TicksPerSecond);
        var times = new Times { AccessNanoseconds = (1L << 30) - 2, ModifiedSeconds = seconds, ModifiedNanoseconds = rest * 100 };
        if (FutimeNs(handle.DangerousGetHandle().ToInt32(), in times) != 0) throw Error(Marshal.GetLastPInvokeError(), path);
    }

    /// <summary>rename(2) without .NET's checks.</summary>
    public static void Rename(string from, string to)
    {
        if (RenameCall(from, to) != 0) throw Error(Marshal.GetLastPInvokeError(), to);
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct Times
    {
        public long AccessSeconds, AccessNanoseconds, ModifiedSeconds, ModifiedNanoseconds;
    }

    [DllImport("libc", EntryPoint = "futimens", SetLastError = true)]
    private static extern int FutimeNs(int fd, in Times times);

    [DllImport("libc", EntryPoint = "rename", SetLastError = true)]
    private static extern int RenameCall([MarshalAs(UnmanagedType.LPUTF8Str)] string from, [MarshalAs(UnmanagedType.LPUTF8Str)] string to);

    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    private static extern int Open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, int mode);

    [DllImport("libc", EntryPoint = "linkat", SetLastError = true)]
    private static extern int LinkAt(int oldDirectory, [MarshalAs(UnmanagedType.LPUTF8Str)] string oldPath, int newDirectory, [MarshalAs(UnmanagedType.LPUTF8Str)] string newPath, int flags);
}
