using ObjectStorage.Tests.Support;

namespace ObjectStorage.Tests.Urls;

/// <summary>Each scheme, the core's and the referenced packages' (found with no registration call), opens the store it names, with its options, and refuses to create one when only reading.</summary>
public sealed class StoreUrlStoreTests : IDisposable
{
    private readonly TempDirectory _dir = new("store-urls");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void A_plain_path_and_a_file_url_open_the_same_FilesystemStore()
    {
        var root = _dir.File("fs");
        using (var plain = StoreUrl.Open(root)) plain.Put("a/b", [1, 2]);
        using var url = StoreUrl.Open("file://" + root + "?fsync=true");

        var store = Assert.IsType<FilesystemStore>(url);
        Assert.True(store.Options.FlushToDisk);
        Assert.Equal([1, 2], url.Get("a/b"));
    }

    [Theory]
    [InlineData("create")]
    [InlineData("update")]
    public void A_zip_url_opened_to_read_is_read_only_whatever_its_mode_and_leaves_the_archive_whole(string mode)
    {
        var path = _dir.File("kept.zip");
        using (var writer = new ZipStore(path)) writer.Put("k", [1, 2, 3]);
        var before = File.ReadAllBytes(path);

        using (var read = StoreUrl.Open($"zip://{path}?mode={mode}", StoreAccess.Read))
        {
            Assert.False(read.CanWrite);
            Assert.Equal([1, 2, 3], read.Get("k"));
        }

        Assert.Equal(before, File.ReadAllBytes(path));
    }

    [Fact]
    public void A_sqlite_url_opened_to_read_is_read_only_and_changes_no_byte_of_the_file()
    {
        var path = _dir.File("py.db");
        SqliteFiles.CreateLikePythonOriginal(path, ("k", [4, 5]));
        var before = File.ReadAllBytes(path);

        using (var read = StoreUrl.Open($"sqlite://{path}?readonly=false", StoreAccess.Read))
        {
            Assert.False(read.CanWrite);
            Assert.Equal([4, 5], read.Get("k"));
        }

        Assert.Equal(before, File.ReadAllBytes(path));
    }

    [Fact]
    public void Hashdir_url_takes_width_and_depth()
    {
        using var store = StoreUrl.Open($"hashdir://{_dir.File("h")}?width=3&depth=2");

        var hashdir = Assert.IsType<HashdirStore>(store);
        Assert.Equal((3, 2), (hashdir.Width, hashdir.Depth));
    }

    [Theory]
    [InlineData("", HashdirKeyRecords.Auto)]
    [InlineData("?keyrecord=auto", HashdirKeyRecords.Auto)]
    [InlineData("?keyrecord=xattr", HashdirKeyRecords.ExtendedAttribute)]
    [InlineData("?keyrecord=file", HashdirKeyRecords.File)]
    public void Hashdir_url_says_where_puts_record_keys(string query, HashdirKeyRecords expected)
    {
        using var store = StoreUrl.Open($"hashdir://{_dir.File("h")}{query}");

        Assert.Equal(expected, Assert.IsType<HashdirStore>(store).KeyRecords);
    }

    [Fact]
    public void Zip_url_reads_an_existing_archive_when_only_reading_and_updates_otherwise()
    {
        var path = _dir.File("a.zip");
        using (var created = StoreUrl.Open("zip://" + path)) created.Put("k", [7]);

        using var read = StoreUrl.Open("zip://" + path, StoreAccess.Read);
        using var forced = StoreUrl.Open($"zip://{path}?mode=read");

        Assert.Equal(ZipStoreMode.Read, Assert.IsType<ZipStore>(read).Mode);
        Assert.False(forced.CanWrite);
        Assert.Equal([7], read.Get("k"));
    }

    [Fact]
    public void Sqlite_url_is_relative_with_two_slashes_and_absolute_with_three()
    {
        var absolute = _dir.File("abs.db");
        using (var store = StoreUrl.Open("sqlite://" + absolute)) store.Put("k", [1]);
        var relative = Path.GetRelativePath(Environment.CurrentDirectory, absolute);

        using var viaRelative = StoreUrl.Open("sqlite://" + relative, StoreAccess.Read);

        Assert.StartsWith("/", absolute);
        Assert.IsType<SqliteStore>(viaRelative);
        Assert.Equal([1], viaRelative.Get("k"));
    }

    [Fact]
    public void Sqlite_url_page_size_sets_the_page_size_of_a_new_file()
    {
        var path = _dir.File("pages.db");
        using (var store = StoreUrl.Open($"sqlite://{path}?page_size=65536")) store.Put("k", [1]);

        Assert.Equal(65536L, SqliteFiles.Scalar(path, "PRAGMA page_size"));
        Assert.Equal([1], SqliteFiles.Get(path, "k"));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("zip")]
    [InlineData("hashdir")]
    [InlineData("file")]
    public void Opening_a_missing_store_to_read_throws_not_found_and_creates_nothing(string scheme)
    {
        var path = _dir.File("missing-" + scheme);

        var error = Record.Exception(() => StoreUrl.Open($"{scheme}://{path}", StoreAccess.Read));

        Assert.True(error is FileNotFoundException or DirectoryNotFoundException, error?.ToString());
        Assert.False(File.Exists(path) || Directory.Exists(path));
    }

    [Theory]
    [InlineData("zip:///x.zip?mode=append", "mode")]
    [InlineData("hashdir:///x?width=0", "width")]
    [InlineData("hashdir:///x?keyrecord=inode", "keyrecord")]
    [InlineData("sqlite://", "a path is missing")]
    [InlineData("sqlite:///x.db?journal=off", "unknown option \"journal\"")]
    [InlineData("sqlite:///x.db?page_size=1000", "power of two")]
    [InlineData("sqlite:///x.db?page_size=131072", "from 512 to 65536")]
    [InlineData("s3://", "bucket name is missing")]
    [InlineData("s3://b/p?endpoint=not-a-url", "not an absolute URL")]
    [InlineData("s3://b/a%00b", "not a valid key")]
    public void Bad_options_fail_with_the_accepted_forms(string url, string reason)
    {
        var error = Assert.Throws<StoreUrlException>(() => StoreUrl.Open(url));

        Assert.Contains(reason, error.Message);
        Assert.Contains("sqlite:///path/to.db", error.Message);
    }

    [Fact]
    public async Task S3_url_opens_a_BucketStore_on_the_bucket_and_prefix()
    {
        await using var store = StoreUrl.Open("s3://my-bucket/some/prefix/?endpoint=http://127.0.0.1:9&region=us-east-1");

        var bucket = Assert.IsType<BucketStore>(store);
        Assert.Equal("my-bucket", bucket.BucketName);
        Assert.Equal("some/prefix/", bucket.Prefix);
    }
}
