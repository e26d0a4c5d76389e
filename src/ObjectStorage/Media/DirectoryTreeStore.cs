using System.IO.Enumeration;

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
    }

    /// <summary>The full path of the root directory.</summary>
    public string Root { get; }

    /// <summary>How the store writes.</summary>
    public FilesystemStoreOptions Options { get; }

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
    }

    /// <summary>The path of the file that holds the object of <paramref name="key"/>, whether or not it exists.</summary>
    private protected abstract string ObjectFile(string key);

    // ---- Reads -------------------------------------------------------------------------------

    /// <inheritdoc/>
    protected override byte[]? GetCore(string key)
    {
        var path = ObjectFile(key);
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception error) when (IsMediumError(error))
        {
            return IsAbsent(error, path) ? null : throw Translate(key, error);
        }
    }

    /// <summary>A <see cref="FileStream"/>; an overwrite while it is open does not disturb it (the old file stays readable).</summary>
    protected override Stream? OpenReadCore(string key)
    {
        var path = ObjectFile(key);
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 4096, FileOptions.SequentialScan);
        }
        catch (Exception error) when (IsMediumError(error))
        {
            return IsAbsent(error, path) ? null : throw Translate(key, error);
        }
    }

    // ---- Writes ------------------------------------------------------------------------------

    /// <inheritdoc/>
    protected override void PutCore(string key, ReadOnlyMemory<byte> data) =>
        Replace(key, path => AtomicFile.Write(path, data.Span, Options.FlushToDisk));

    /// <inheritdoc/>
    protected override void PutStreamCore(string key, Stream data) =>
        Replace(key, path => AtomicFile.Write(path, data, Options.FlushToDisk));

    /// <inheritdoc/>
    protected override async ValueTask PutStreamAsyncCore(string key, Stream data, CancellationToken cancellationToken)
    {
        var path = ObjectFile(key);
        try
        {
            BeforeReplace(key, path);
            await AtomicFile.WriteAsync(path, data, Options.FlushToDisk, cancellationToken).ConfigureAwait(false);
            AfterReplace(key, path);
        }
        catch (Exception error) when (IsMediumError(error))
        {
            throw Translate(key, error);
        }
    }

    private void Replace(string key, Action<string> write)
    {
        var path = ObjectFile(key);
        try
        {
            BeforeReplace(key, path);
            write(path);
            AfterReplace(key, path);
        }
        catch (Exception error) when (IsMediumError(error))
        {
            throw Translate(key, error);
        }
    }

    /// <summary>Runs before every put replaces the object file at <paramref name="path"/>, as part of the put.</summary>
    private protected virtual void BeforeReplace(string key, string path) { }

    /// <summary>Runs after every put has replaced the object file at <paramref name="path"/>, as part of the put.</summary>
    private protected virtual void AfterReplace(string key, string path) { }

    // ---- Exists and Stat ---------------------------------------------------------------------

    /// <inheritdoc/>
    protected override bool ExistsCore(string key) => File.Exists(ObjectFile(key));

    /// <inheritdoc/>
    protected override ObjectInfo? StatCore(string key) => AtomicFile.Stat(key, ObjectFile(key));

    // ---- The medium's failures ---------------------------------------------------------------

    /// <summary>
    /// True for a failure of the disk: not one of ours, and not one the caller's source stream
    /// threw (that one passes unchanged).
    /// </summary>
    private protected static bool IsMediumError(Exception error) =>
        error is IOException or UnauthorizedAccessException && error is not ObjectStoreException && !AtomicFile.IsFromSource(error);

    /// <summary>True when <paramref name="error"/>, met at <paramref name="path"/>, means no object has the key.</summary>
    private protected virtual bool IsAbsent(Exception error, string path) => error is FileNotFoundException or DirectoryNotFoundException;

    /// <summary>The exception a caller sees for a disk failure met on <paramref name="key"/>.</summary>
    private protected virtual ObjectStoreException Translate(string key, Exception error) =>
        error is UnauthorizedAccessException
            ? Failure(key, $"permission denied ({error.Message})", error)
            : Failure(key, error.Message, error);

    /// <summary>The exception a caller sees when <paramref name="directory"/> cannot be read during a listing.</summary>
    private protected ObjectStoreException ListingFailure(string? key, string directory, Exception error) =>
        Failure(key, $"cannot list the directory {directory} ({error.Message})", error);
}
