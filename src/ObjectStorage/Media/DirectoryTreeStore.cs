using System.IO.Enumeration;
using Microsoft.Win32.SafeHandles;

namespace ObjectStorage;

/// <summary>
/// A store that keeps each object as one file in a directory tree under <see cref="Root"/>, as
/// <see cref="FilesystemStore"/> and <see cref="HashdirStore"/> do: the two differ in where a key's
/// file lives and how they list, and share how that file is read, replaced atomically and checked.
/// </summary>
public abstract class DirectoryTreeStore : ObjectStore
{
    // The defaults skip hidden files, which on Unix are all names starting with '.'.
    private protected static readonly EnumerationOptions EveryEntry = new() { AttributesToSkip = 0, IgnoreInaccessible = false };

    // Only the media in this assembly derive: the hooks below are not a public contract.
    private protected DirectoryTreeStore(string root, FilesystemStoreOptions? options)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        Root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));
        Options = options ?? new FilesystemStoreOptions();
        _linux = LinuxFiles.ForStore();
    }

    // Null where puts make .NET's calls (see LinuxFiles.ForStore).
    private readonly LinuxFiles? _linux;

    /// <summary>The full path of the root directory.</summary>
    public string Root { get; }

    /// <summary>How the store writes and treats symbolic links.</summary>
    public FilesystemStoreOptions Options { get; }

    /// <summary>The root with every symbolic link on its path followed: where a followed link must lead to stay inside.</summary>
    private protected string RealRoot { get; private set; } = "";

    // Called last by a derived constructor, after its own arguments are checked, so a refused
    // argument creates no directory.
    private protected void OpenRoot()
    {
        if (File.Exists(Root)) throw Failure(null, "the root is a file, not a directory");
        try
        {
            Directory.CreateDirectory(Root);
            using var entries = Directory.EnumerateFileSystemEntries(Root).GetEnumerator();
            entries.MoveNext();
        }
        catch (Exception error) when (IsMediumError(error))
        {
            throw Failure(null, $"the root directory cannot be created or read ({error.Message})", error);
        }
        RealRoot = FileKinds.Resolve(Root) ?? throw Failure(null, "the root's path has a loop of symbolic links");
    }

    /// <summary>
    /// The file's modification time, set before the file takes the object's name, in listings too;
    /// the precision is the file system's, found once by stamping a temporary file in the root
    /// (1 second assumed where none can be made).
    /// </summary>
    public override MetadataSupport MetadataSupport => field ??= new MetadataSupport
    {
        Kept = MetadataKinds.ModificationTime,
        Listed = MetadataKinds.ModificationTime,
        TimePrecision = AtomicFile.ProbeTimePrecision(Root) ?? TimeSpan.FromSeconds(1),
    };

    /// <summary>The path of the file that holds the object of <paramref name="key"/>, whether or not it exists.</summary>
    private protected abstract string ObjectFile(string key);

    // ---- Where a key's file is, without leaving the root -----------------------------------

    /// <summary>A key's file as <see cref="Locate"/> found it: its path, with any followed link resolved, and what is there.</summary>
    private protected readonly record struct Located(string Path, FileKind Kind);

    /// <summary>
    /// Walks the path of <paramref name="key"/>'s file from the root one name at a time, without
    /// following a link that <see cref="FilesystemStoreOptions.Links"/> does not allow, and throws
    /// <see cref="ObjectStoreException"/> naming the key when the walk meets such a link or the file
    /// is a FIFO, device or socket. Every operation on one key starts here, so none reads, writes or
    /// deletes through a link; a link made between this walk and the operation is a race it cannot close.
    /// </summary>
    private protected Located Locate(string key)
    {
        var path = ObjectFile(key);
        var names = path[(Root.Length + 1)..].Split('/');
        var current = Root;
        for (int i = 0; ; i++)
        {
            var next = current + "/" + names[i];
            var kind = FileKinds.Of(next);
            if (kind == FileKind.Link) (next, kind) = Follow(key, next);
            if (i == names.Length - 1)
            {
                if (kind.IsSpecial())
                    throw Failure(key, $"{next} is {kind.Describe()}, not a regular file: the store never reads, replaces or deletes it");
                return new Located(next, kind);
            }
            // A file where a directory would be: no object below it; a put fails there as before, naming the collision.
            if (kind != FileKind.Directory)
                return new Located(string.Join('/', [next, .. names[(i + 1)..]]), kind == FileKind.Unknown ? kind : FileKind.Missing);
            current = next;
        }
    }

    // Where the link leads, when the policy allows going there; an operation refuses what a listing passes over.
    private (string Path, FileKind Kind) Follow(string key, string link) =>
        SkipLink(link, out var target, out var kind) is { } why
            ? throw Failure(key, $"{link} is {why}: the store does not go through it")
            : (target, kind);

    /// <summary>
    /// Why a listing passes over (and an operation refuses) the link at <paramref name="link"/>, or null when the policy
    /// follows it; then <paramref name="target"/> is where it leads and <paramref name="kind"/> what is there.
    /// </summary>
    private protected string? SkipLink(string link, out string target, out FileKind kind)
    {
        target = link;
        kind = FileKind.Link;
        if (Options.Links == LinkPolicy.Skip) return "a symbolic link, which the store does not follow (links=skip)";
        if (FileKinds.Resolve(link) is not { } resolved) return "a symbolic link that loops";
        if (!FileKinds.IsInside(resolved, RealRoot)) return $"a symbolic link that leads outside the root, to {resolved}";
        target = resolved;
        kind = FileKinds.Of(resolved);
        if (kind == FileKind.Missing) return $"a dangling symbolic link (nothing is at {resolved})";
        if (kind.IsSpecial()) return $"a symbolic link to {kind.Describe()}, which is not a regular file";
        return null;
    }

    /// <summary>True when <paramref name="directory"/> is below the root (not the root itself), as written or resolved.</summary>
    private protected bool IsBelowRoot(string directory) =>
        (directory != Root && FileKinds.IsInside(directory, Root)) || (directory != RealRoot && FileKinds.IsInside(directory, RealRoot));

    // ---- Reads -------------------------------------------------------------------------------

    /// <inheritdoc/>
    protected override byte[]? GetCore(string key)
    {
        using var handle = OpenRegular(key);
        if (handle is null) return null;
        try
        {
            return ReadAll(handle);
        }
        catch (Exception error) when (IsMediumError(error))
        {
            throw Translate(key, error);
        }
    }

    /// <summary>True: objects open as <see cref="FileStream"/>s, which the base class seeks to the range's start.</summary>
    public override bool IsRangeReadNative => true;

    /// <summary>A <see cref="FileStream"/>; an overwrite while it is open does not disturb it (the old file stays readable).</summary>
    protected override Stream? OpenReadCore(string key) =>
        OpenRegular(key) is { } handle ? new FileStream(handle, FileAccess.Read, bufferSize: 4096) : null;

    // The key's file opened to read, or null when absent; never a FIFO or device, which Locate
    // refuses before opening and the opened file's type refuses after (one put there meanwhile).
    private SafeFileHandle? OpenRegular(string key)
    {
        var (path, kind) = Locate(key);
        if (kind == FileKind.Missing) return null;
        try
        {
            var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, FileOptions.SequentialScan);
            var opened = FileKinds.Of(handle);
            if (!opened.IsSpecial()) return handle;
            handle.Dispose();
            throw Failure(key, $"{path} is {opened.Describe()}, not a regular file: the store never reads it");
        }
        catch (Exception error) when (IsMediumError(error))
        {
            return IsAbsent(error, path) ? null : throw Translate(key, error);
        }
    }

    // The file's bytes as File.ReadAllBytes reads them: as many as its size says, and for a size
    // of 0 (a file of /proc) whatever a read until the end gives.
    private static byte[] ReadAll(SafeFileHandle handle)
    {
        long length = RandomAccess.GetLength(handle);
        if (length > Array.MaxLength) throw new IOException($"the file is {length} bytes, more than one array can hold");
        int filled = 0, read;
        if (length > 0)
        {
            var buffer = new byte[length];
            while (filled < buffer.Length && (read = RandomAccess.Read(handle, buffer.AsSpan(filled), filled)) > 0) filled += read;
            return filled == buffer.Length ? buffer : buffer[..filled];
        }
        using var whole = new MemoryStream();
        Span<byte> chunk = stackalloc byte[4096];
        while ((read = RandomAccess.Read(handle, chunk, whole.Length)) > 0)
        {
            if (whole.Length + read > Array.MaxLength) throw new IOException("the file grew past what one array can hold while it was read");
            whole.Write(chunk[..read]);
        }
        return whole.ToArray();
    }

    // ---- Writes ------------------------------------------------------------------------------

    /// <inheritdoc/>
    protected override void PutCore(string key, ReadOnlyMemory<byte> data, PutOptions options) =>
        Replace(key, (path, isNew, prepare) => AtomicFile.Write(path, data.Span, Options.FlushToDisk, options.LastModified, _linux, isNew, prepare));

    /// <inheritdoc/>
    protected override void PutStreamCore(string key, Stream data, PutOptions options) =>
        Replace(key, (path, isNew, prepare) => AtomicFile.Write(path, data, Options.FlushToDisk, options.LastModified, _linux, isNew, prepare));

    /// <inheritdoc/>
    protected override async ValueTask PutStreamAsyncCore(string key, Stream data, PutOptions options, CancellationToken cancellationToken)
    {
        try
        {
            var located = Locate(key);
            await AtomicFile.WriteAsync(located.Path, data, Options.FlushToDisk, options.LastModified, _linux, IsNew(located), TemporaryFileHook(key, located.Path), cancellationToken).ConfigureAwait(false);
            AfterReplace(key, located.Path);
        }
        catch (Exception error) when (IsMediumError(error))
        {
            throw Translate(key, error);
        }
    }

    private void Replace(string key, Action<string, bool, Action<SafeFileHandle>?> write)
    {
        try
        {
            var located = Locate(key);
            write(located.Path, IsNew(located), TemporaryFileHook(key, located.Path));
            AfterReplace(key, located.Path);
        }
        catch (Exception error) when (IsMediumError(error))
        {
            throw Translate(key, error);
        }
    }

    // Only a new object takes an unnamed temporary file: replacing one that way costs a link and a
    // rename, more than a named file's rename (docs/benchmarks.md, "FilesystemStore atomic put variants").
    private static bool IsNew(Located located) => located.Kind == FileKind.Missing;

    // The hook as a delegate only for the stores that use it, so that a plain put allocates no closure.
    private Action<SafeFileHandle>? TemporaryFileHook(string key, string path) =>
        UsesTemporaryFileHook ? temporary => OnTemporaryFile(key, path, temporary) : null;

    /// <summary>True where <see cref="OnTemporaryFile"/> does something: the put then calls it.</summary>
    private protected virtual bool UsesTemporaryFileHook => false;

    /// <summary>
    /// Runs in every put with the temporary file that will replace the object file at <paramref name="path"/>, open
    /// and holding every byte, before it takes the object's name: what is done to it appears with the object.
    /// </summary>
    private protected virtual void OnTemporaryFile(string key, string path, SafeFileHandle temporary) { }

    /// <summary>Runs after every put has replaced the object file at <paramref name="path"/>, as part of the put.</summary>
    private protected virtual void AfterReplace(string key, string path) { }

    // ---- Exists and Stat ---------------------------------------------------------------------

    /// <inheritdoc/>
    protected override bool ExistsCore(string key) => Locate(key) switch
    {
        { Kind: FileKind.Regular } => true,
        { Kind: FileKind.Unknown } located => File.Exists(located.Path),
        _ => false,
    };

    /// <inheritdoc/>
    protected override ObjectInfo? StatCore(string key) => Locate(key) switch
    {
        { Kind: FileKind.Regular or FileKind.Unknown } located => AtomicFile.Stat(key, located.Path),
        _ => null,
    };

    // ---- The medium's failures ---------------------------------------------------------------

    /// <summary>
    /// True for a failure of the disk: not one of ours, and not one the caller's source stream
    /// threw (that one passes unchanged).
    /// </summary>
    /// <summary>Deletes <paramref name="key"/>'s file, never through a link; its path, or null when there was none.</summary>
    private protected string? DeleteObjectFile(string key)
    {
        var (path, kind) = Locate(key);
        if (kind == FileKind.Missing) return null;
        try
        {
            File.Delete(path);
            return path;
        }
        catch (Exception error) when (IsMediumError(error))
        {
            if (IsAbsent(error, path)) return null;
            throw Translate(key, error);
        }
    }

    private protected static bool IsMediumError(Exception error) =>
        error is IOException or UnauthorizedAccessException && error is not ObjectStoreException && !AtomicFile.IsFromSource(error);

    /// <summary>True when <paramref name="error"/>, met at <paramref name="path"/>, means no object has the key.</summary>
    private protected virtual bool IsAbsent(Exception error, string path) => error is FileNotFoundException or DirectoryNotFoundException;

    /// <summary>The exception a caller sees for a disk failure met on <paramref name="key"/> (a medium's limit is an <see cref="InvalidKeyException"/>).</summary>
    private protected virtual Exception Translate(string key, Exception error) =>
        error is UnauthorizedAccessException
            ? Failure(key, $"permission denied ({error.Message})", error)
            : Failure(key, error.Message, error);

    /// <summary>The exception a caller sees when <paramref name="directory"/> cannot be read during a listing.</summary>
    private protected ObjectStoreException ListingFailure(string? key, string directory, Exception error) =>
        Failure(key, $"cannot list the directory {directory} ({error.Message})", error);
}
