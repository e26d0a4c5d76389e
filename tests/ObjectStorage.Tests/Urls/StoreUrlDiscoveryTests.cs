using ObjectStorage.Tests.Support;

namespace ObjectStorage.Tests.Urls;

/// <summary>StoreUrl finds the schemes of the packages an application references, with no registration call.</summary>
public sealed class StoreUrlDiscoveryTests : IDisposable
{
    private readonly TempDirectory _dir = new("url-discovery");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_fresh_process_opens_sqlite_and_s3_urls_with_no_registration_call()
    {
        var database = _dir.File("fresh.db");

        var (code, output, error) = await ChildProcess.RunAsync("url-discovery", [database], TestContext.Current.CancellationToken);

        Assert.True(code == 0, $"exit {code}: {error}\n{output}");
        var lines = output.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        // Neither package was loaded when the URL was opened, so discovery read it from the application's files.
        Assert.Contains("sqlite loaded before: False", lines);
        Assert.Contains("s3 loaded before: False", lines);
        Assert.Contains("sqlite store: SqliteStore", lines);
        Assert.Contains("sqlite read back: yes", lines);
        Assert.Contains("s3 registered: True", lines);
        Assert.Contains(lines, line => line.StartsWith("s3 factory: unknown option \"no_such_option\" (s3:// takes endpoint", StringComparison.Ordinal));
        using var reopened = new SqliteStore(database);
        Assert.Equal("yes"u8.ToArray(), reopened.Get("discovered"));
    }

    [Fact]
    public async Task Opening_a_core_scheme_reads_no_other_package_and_later_schemes_are_still_found()
    {
        var (code, output, error) = await ChildProcess.RunAsync(
            "url-core-only", [_dir.File("tree"), _dir.File("later.db")], TestContext.Current.CancellationToken);

        Assert.True(code == 0, $"exit {code}: {error}\n{output}");
        var lines = output.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        // A short command on mem:// or a path must not pay for loading the S3 SDK or SQLite at start-up.
        Assert.Contains("sqlite loaded by core urls: False", lines);
        Assert.Contains("s3 loaded by core urls: False", lines);
        Assert.Contains("sqlite store: SqliteStore", lines);
    }

    [Fact]
    public void Register_of_a_discovered_scheme_can_be_called_again_and_changes_nothing()
    {
        var before = StoreUrl.AcceptedForms;

        SqliteStoreUrl.Register();
        SqliteStoreUrl.Register();
        BucketStoreUrl.Register();

        Assert.Equal(before, StoreUrl.AcceptedForms);
        using var store = StoreUrl.Open("sqlite://" + _dir.File("again.db"));
        Assert.IsType<SqliteStore>(store);
    }

    [Fact]
    public void The_accepted_forms_list_every_referenced_package_s_schemes()
    {
        var forms = StoreUrl.AcceptedForms;

        Assert.Contains("mem://", forms);
        Assert.Contains(forms, form => form.StartsWith("sqlite:///", StringComparison.Ordinal));
        Assert.Contains(forms, form => form.StartsWith("s3://bucket", StringComparison.Ordinal));
    }

    [Fact]
    public void An_unknown_scheme_says_no_referenced_package_declares_it_and_lists_the_accepted_forms()
    {
        var error = Assert.Throws<StoreUrlException>(() => StoreUrl.Open("ftp://host/dir"));

        Assert.Contains("unknown scheme \"ftp\" (no referenced package declares it)", error.Reason);
        Assert.Contains("sqlite:///path/to.db", error.Message);
        Assert.Contains("s3://bucket", error.Message);
    }
}
