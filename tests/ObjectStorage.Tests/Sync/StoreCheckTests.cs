using ObjectStorage.Tests.Conformance;
using ObjectStorage.Tests.Support;

namespace ObjectStorage.Tests.Sync;

/// <summary><see cref="StoreCheck"/> between real media: what it finds, in which mode, and that it changes nothing.</summary>
public sealed class StoreCheckTests : IDisposable
{
    private readonly List<IDisposable> _cleanup = [];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        foreach (var item in _cleanup) item.Dispose();
    }

    private ObjectStore New(string medium) => SyncMedia.Create(medium, _cleanup);

    private static Task<CheckReport> Run(Api api, ObjectStore source, ObjectStore target, CheckOptions? options = null) =>
        api == Api.Sync ? Task.FromResult(StoreCheck.Check(source, target, options)) : StoreCheck.CheckAsync(source, target, options, Ct);

    public static TheoryData<string, string, Api> Pairs() => new()
    {
        { "filesystem", "sqlite", Api.Sync },
        { "filesystem", "sqlite", Api.Async },
        { "zip", "memory", Api.Async },
        { "memory", "s3", Api.Async },
    };

    // Source and target that agree on "same" and "empty" and disagree on every other key, each one way.
    private (ObjectStore Source, ObjectStore Target) Differing(string sourceMedium, string targetMedium)
    {
        var source = New(sourceMedium);
        var target = New(targetMedium);
        foreach (var store in new[] { source, target })
        {
            store.Put("same", TestData.Bytes(300, 1));
            store.Put("empty", []);
        }
        source.Put("only-source", [1]);
        target.Put("only-target", [2]);
        source.Put("resized", new byte[10]);
        target.Put("resized", new byte[11]);
        source.Put("edited", TestData.Bytes(100, 5));
        target.Put("edited", TestData.Bytes(100, 6));
        return (source, target);
    }

    [Theory, MemberData(nameof(Pairs))]
    public async Task Check_reports_missing_keys_on_each_side_and_differing_sizes(string sourceMedium, string targetMedium, Api api)
    {
        var (source, target) = Differing(sourceMedium, targetMedium);

        var report = await Run(api, source, target);

        Assert.False(report.Same);
        Assert.Equal(
            [new("only-source", CheckDifferenceKind.MissingInTarget), new("only-target", CheckDifferenceKind.MissingInSource), new("resized", CheckDifferenceKind.Differs)],
            report.Differences);
        // No common hash between these media: the same-size edit passes by size, and the report says how.
        Assert.Equal(3, report.Matching);
        Assert.Equal(3, report.SizeOnly);
    }

    [Theory, MemberData(nameof(Pairs))]
    public async Task Byte_comparison_finds_a_same_size_edit(string sourceMedium, string targetMedium, Api api)
    {
        var (source, target) = Differing(sourceMedium, targetMedium);

        var report = await Run(api, source, target, new CheckOptions { Compare = CheckCompare.Content, OneWay = true });

        Assert.Equal(
            [new("edited", CheckDifferenceKind.Differs), new("only-source", CheckDifferenceKind.MissingInTarget), new("resized", CheckDifferenceKind.Differs)],
            report.Differences);
        Assert.Equal(2, report.Matching);
        Assert.Equal(0, report.SizeOnly);
    }

    [Fact]
    public async Task Size_only_comparison_between_media_without_a_common_hash_says_so()
    {
        var (source, target) = Differing("filesystem", "sqlite");

        var report = await StoreCheck.CheckAsync(source, target, cancellationToken: Ct);

        Assert.Equal(3, report.Matching);
        Assert.Equal(3, report.SizeOnly);
        Assert.DoesNotContain(report.Differences, d => d.Key == "edited");
    }

    [Fact]
    public async Task Hash_comparison_between_two_buckets_finds_a_same_size_edit_without_reading_bodies()
    {
        var (source, target) = Differing("s3", "s3");

        var report = await StoreCheck.CheckAsync(source, target, cancellationToken: Ct);

        Assert.Contains(new CheckDifference("edited", CheckDifferenceKind.Differs), report.Differences);
        Assert.Equal(2, report.Matching);
        Assert.Equal(0, report.SizeOnly);
    }

    [Fact]
    public async Task Identical_stores_are_the_same_and_a_filter_limits_what_is_checked()
    {
        var source = New("filesystem");
        var target = New("memory");
        for (int i = 0; i < 50; i++) source.Put($"k/{i:D2}", TestData.Bytes(i, i));
        StoreSync.Sync(source, target);
        source.Put("scratch.tmp", [1]);

        var all = await StoreCheck.CheckAsync(source, target, cancellationToken: Ct);
        var filtered = await StoreCheck.CheckAsync(source, target, new CheckOptions { Filter = new ObjectFilter { Keys = KeyFilter.Excluding("*.tmp") } }, Ct);

        Assert.Equal([new CheckDifference("scratch.tmp", CheckDifferenceKind.MissingInTarget)], all.Differences);
        Assert.True(filtered.Same);
        Assert.Equal(50, filtered.Matching);
    }
}
