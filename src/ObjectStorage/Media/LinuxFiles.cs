using System.Globalization;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace ObjectStorage;

/// <summary>
/// The system calls of an atomic put on Linux, made directly through libc. Two things come of it.
/// Unnamed temporary files: open(2) with O_TMPFILE makes a file in a directory without a name, and
/// linkat(2) through <c>/proc/self/fd</c> names it once it is whole, so a new object costs the
/// kernel no temporary directory entry and no rename, and a put that fails or is killed leaves
/// nothing (the kernel frees a file that never got a name). And fewer calls around a named one:
/// .NET's open adds a flock pair and an fstat, its time stamp an fstat, its move an lstat, none of
/// which a temporary file nobody else knows needs. One instance per store remembers whether the
/// root's file system takes unnamed files (ext4, xfs, btrfs and tmpfs do; others answer
/// EOPNOTSUPP), so a refusing file system costs one failed call per store.
/// </summary>
internal sealed class LinuxFiles
{
    /// <summary>The environment variable that, set to <c>0</c> when a store opens, keeps it to named temporary files.</summary>
    public const string UnnamedSwitch = "OBJSTORE_FS_O_TMPFILE";

    private const int WriteOnly = 0x1, Create = 0x40, Exclusive = 0x80, CloseOnExec = 0x80000;
    private const int CreateMode = 0x1B6; // 0666 less the umask, as .NET creates files
    private const int CurrentDirectory = -100; // AT_FDCWD
    private const int FollowLink = 0x400; // AT_SYMLINK_FOLLOW
    private const long OmitTime = (1L << 30) - 2; // UTIME_OMIT

    /// <summary>errno values, the same on every Linux architecture .NET runs on.</summary>
    public const int NoEntry = 2, Exists = 17;

    private const int IsDirectory = 21, Invalid = 22, NotSupported = 95;

    // The runtime resolves "libc" to the C library's file (libc.so.6 with glibc); a system where it cannot keeps .NET's calls.
    private static readonly Lazy<bool> s_libc = new(() => NativeLibrary.TryLoad("libc", typeof(LinuxFiles).Assembly, null, out _));

    private readonly int _unnamedFlags;
    private volatile bool _unnamedRefused;

    private LinuxFiles(int tmpfileFlag, bool unnamed) => (_unnamedFlags, _unnamedRefused) = (tmpfileFlag | WriteOnly | CloseOnExec, !unnamed);

    /// <summary>The calls for a store opening now, or null where .NET's own calls serve: not Linux, or an architecture whose flags are not known here.</summary>
    public static LinuxFiles? ForStore()
    {
        if (!OperatingSystem.IsLinux()) return null;
        // O_TMPFILE is __O_TMPFILE | O_DIRECTORY, and O_DIRECTORY differs between the x86 and Arm families.
        int? tmpfile = RuntimeInformation.ProcessArchitecture switch
        {
            Architecture.X64 or Architecture.X86 => 0x400000 | 0x10000,
            Architecture.Arm64 or Architecture.Arm => 0x400000 | 0x4000,
            _ => null,
        };
        if (tmpfile is not { } flag || !s_libc.Value) return null;
        return new LinuxFiles(flag, unnamed: Environment.GetEnvironmentVariable(UnnamedSwitch) != "0" && Directory.Exists("/proc/self/fd"));
    }

    /// <summary>
    /// An unnamed file open to write in <paramref name="directory"/>, or null when the caller should
    /// make a named one instead: the file system refuses them (remembered), or the open failed for a
    /// reason the named path reports (no permission, a file where a directory would be).
    /// </summary>
    public SafeFileHandle? TryCreateUnnamed(string directory)
    {
        if (_unnamedRefused) return null;
        for (int attempt = 0; attempt < 2; attempt++)
        {
            int fd = Open(directory, _unnamedFlags, CreateMode);
            if (fd >= 0) return new SafeFileHandle((IntPtr)fd, ownsHandle: true);
            int errno = Marshal.GetLastPInvokeError();
            // Kernels before 3.11 read O_TMPFILE as O_DIRECTORY and answer EISDIR for a writable open of one.
            if (errno is NotSupported or IsDirectory or Invalid)
            {
                _unnamedRefused = true;
                return null;
            }
            if (errno != NoEntry) return null;
            // The first put under a new directory: make it and try once more; the named path handles races.
            try
            {
                Directory.CreateDirectory(directory);
            }
            catch (Exception error) when (error is IOException or UnauthorizedAccessException)
            {
                return null;
            }
        }
        return null;
    }

    /// <summary>A new file at <paramref name="path"/> open to write (O_CREAT | O_EXCL), or an invalid handle and the <paramref name="errno"/>.</summary>
    public static SafeFileHandle CreateNamed(string path, out int errno)
    {
        int fd = Open(path, WriteOnly | Create | Exclusive | CloseOnExec, CreateMode);
        errno = fd < 0 ? Marshal.GetLastPInvokeError() : 0;
        return new SafeFileHandle((IntPtr)fd, ownsHandle: fd >= 0);
    }

    /// <summary>Gives the unnamed file open as <paramref name="handle"/> the name <paramref name="path"/>; 0, or the errno of linkat(2) (<see cref="Exists"/> when the name is taken).</summary>
    public static int Link(SafeFileHandle handle, string path)
    {
        var self = "/proc/self/fd/" + Descriptor(handle).ToString(CultureInfo.InvariantCulture);
        return LinkAt(CurrentDirectory, self, CurrentDirectory, path, FollowLink) == 0 ? 0 : Marshal.GetLastPInvokeError();
    }

    /// <summary>Sets the modification time of the file open as <paramref name="handle"/> (at <paramref name="path"/>, for the message), leaving its access time as it is.</summary>
    public static void SetModified(SafeFileHandle handle, DateTime utc, string path)
    {
        long since = utc.Ticks - DateTime.UnixEpoch.Ticks;
        long seconds = since / TimeSpan.TicksPerSecond, rest = since % TimeSpan.TicksPerSecond;
        if (rest < 0) (seconds, rest) = (seconds - 1, rest + TimeSpan.TicksPerSecond);
        var times = new Times { AccessNanoseconds = OmitTime, ModifiedSeconds = seconds, ModifiedNanoseconds = rest * 100 };
        if (FutimeNs(Descriptor(handle), in times) != 0) throw Error(Marshal.GetLastPInvokeError(), path);
    }

    /// <summary>Renames <paramref name="from"/> over <paramref name="to"/> (rename(2)).</summary>
    public static void Rename(string from, string to)
    {
        if (RenameAt(from, to) != 0) throw Error(Marshal.GetLastPInvokeError(), to);
    }

    /// <summary>The exception .NET throws for <paramref name="errno"/> met at <paramref name="path"/>.</summary>
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

    private static int Descriptor(SafeFileHandle handle) => (int)handle.DangerousGetHandle();

    [StructLayout(LayoutKind.Sequential)]
    private struct Times
    {
        public long AccessSeconds, AccessNanoseconds, ModifiedSeconds, ModifiedNanoseconds;
    }

    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    private static extern int Open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, int mode);

    [DllImport("libc", EntryPoint = "linkat", SetLastError = true)]
    private static extern int LinkAt(int oldDirectory, [MarshalAs(UnmanagedType.LPUTF8Str)] string oldPath, int newDirectory, [MarshalAs(UnmanagedType.LPUTF8Str)] string newPath, int flags);

    [DllImport("libc", EntryPoint = "futimens", SetLastError = true)]
    private static extern int FutimeNs(int fd, in Times times);

    [DllImport("libc", EntryPoint = "rename", SetLastError = true)]
    private static extern int RenameAt([MarshalAs(UnmanagedType.LPUTF8Str)] string from, [MarshalAs(UnmanagedType.LPUTF8Str)] string to);
}
