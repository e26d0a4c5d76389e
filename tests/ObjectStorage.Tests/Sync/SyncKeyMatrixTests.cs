using System.Text;
using ObjectStorage.Tests.Support;

namespace ObjectStorage.Tests.Sync;

/// <summary>Every ordered pair of real media syncs every key real data has, converges, and reports what a medium cannot hold.</summary>
public sealed class SyncKeyMatrixTests : IDisposable
{
    private static readonly string[] Media = ["memory", "filesystem", "hashdir", "sqlite", "zip", "s3", "azure", "redis", .. S3TestServer.Rgw.Configured ? ["rgw"] : Array.Empty<string>()];

    private readonly List<IDisposable> _cleanup = [];

    public void Dispose()
    {
        foreach (var item in _cleanup) item.Dispose();
    }

    private ObjectStore New(string medium)
    {
        if (medium != "hashdir") return SyncMedia.Create(medium, _cleanup);
        var scratch = new TempDirectory("hashdir-sync");
        _cleanup.Add(scratch);
        var store = new HashdirStore(Path.Combine(scratch.Path, "h"));
        _cleanup.Insert(0, store);
        return store;
    }

    public static TheoryData<string, string> Pairs()
    {
        var data = new TheoryData<string, string>();
        foreach (var source in Media)
            foreach (var target in Media)
                if (source != target) data.Add(source, target);
        return data;
    }

    // The round-trip corpus, less what a stand-in S3 server cannot hold and what a bucket prefix leaves no room for.
    private static List<string> Corpus(params string[] media) =>
        KeyCases.RoundTrip.Where(key => media.All(medium => ServerOf(medium) is not { } server
            || (server.CannotHold(key) is null && Encoding.UTF8.GetByteCount(key) + 64 <= ObjectKey.MaxBytes))
            && (!media.Contains("azure") || (AzureBlobStore.FindAzureLimit(key, key) is null && Encoding.UTF8.GetByteCount(key) + 64 <= ObjectKey.MaxBytes))).ToList();

    private static S3TestServer? ServerOf(string medium) => medium switch
    {
        "s3" => S3TestServer.S3rver,
        "rgw" => S3TestServer.Rgw,
        _ => null,
    };

    [Theory, MemberData(nameof(Pairs))]
    public void Every_key_real_data_has_syncs_byte_exact_and_a_second_run_copies_nothing(string sourceMedium, string targetMedium)
    {
        var keys = Corpus(sourceMedium, targetMedium);
        var source = New(sourceMedium);
        var target = New(targetMedium);
        for (int i = 0; i < keys.Count; i++) source.Put(keys[i], Encoding.UTF8.GetBytes($"{i}:{keys[i]}"));

        var first = StoreSync.Sync(source, target);

        Assert.Empty(first.Failures);
        Assert.Empty(first.Skipped);
        Assert.Equal(keys.Count, first.Copied);
        Assert.Equal(keys.Order(KeyComparer.Utf8), target.Keys());
        for (int i = 0; i < keys.Count; i++) Assert.Equal($"{i}:{keys[i]}", Encoding.UTF8.GetString(target.Get(keys[i])));

        var second = StoreSync.Sync(source, target);
        Assert.Equal(0, second.Copied + second.Updated);
        Assert.Equal(keys.Count, second.Unchanged);
        Assert.True(second.Succeeded);
    }

    [Fact]
    public void A_key_the_target_medium_cannot_hold_is_reported_by_key_and_the_rest_is_copied()
    {
        var source = New("memory");
        var target = New("filesystem");
        source.Put("x", [1]);
        source.Put("x/y", [2]);
        source.Put("z", [3]);

        // One at a time, so "x" (first in key order) is the file and "x/y" the key refused.
        var serial = new SyncOptions { Parallelism = 1 };
        var report = StoreSync.Sync(source, target, serial);

        var failure = Assert.Single(report.Failures);
        Assert.Equal("x/y", failure.Key);
        Assert.Contains("cannot hold", Assert.IsType<InvalidKeyException>(failure.Error).Message);
        Assert.False(report.Succeeded);
        Assert.Equal(["x", "z"], target.Keys());
        // A rerun tries the refused key again and says so again; nothing else moves.
        var again = StoreSync.Sync(source, target, serial);
        Assert.Equal("x/y", Assert.Single(again.Failures).Key);
        Assert.Equal(2, again.Unchanged);
    }

    [Fact]
    public void An_entry_the_source_listing_passes_over_is_counted_in_the_report()
    {
        var scratch = new TempDirectory("sync-skip");
        _cleanup.Add(scratch);
        var db = scratch.File("foreign.db");
        SqliteFiles.CreateLikePythonOriginal(db, ("fine", [1]), ("", [2]), (new string('k', 1100), [3]));
        using var source = new SqliteStore(db);
        var target = New("memory");

        var report = StoreSync.Sync(source, target);

        Assert.Equal(["fine"], target.Keys());
        Assert.Equal(2, report.Skipped.Count);
        Assert.All(report.Skipped, s => Assert.Equal(source.ToString(), s.Store));
        Assert.Contains(report.Skipped, s => s.Entry == "" && s.Reason.Contains("must not be empty", StringComparison.Ordinal));
        Assert.False(report.Succeeded);
    }
}
