using PuppeteerSharp;
using ObjectStorage.Tests.Support;

namespace ObjectStorage.Tests.Server;

/// <summary>
/// The browse page of <c>objstore serve</c> in a real headless browser (Debian's chromium, driven by
/// PuppeteerSharp): login, folders, details, download, upload and delete, with keys that try to
/// break out of HTML and URLs.
/// </summary>
public sealed class BrowsePageTests : IAsyncLifetime
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly string[] HostileKeys =
        ["<script>alert(1)</script>.txt", "a&b=c.txt", "a//b/deep.txt", "../up.txt", "ctl\u0001\u001b[31m.txt", "dir/<img src=x onerror=alert(2)>", "dir/100% + more?.txt"];

    private readonly List<string> _dialogs = [];
    private readonly TempDirectory _scratch = new("browse");
    private ServedStores _served = null!;
    private IBrowser _browser = null!;

    private static string Bucket => ServedStores.BucketOf("dict");

    private ObjectStore Store => _served.Buckets[Bucket];

    public async ValueTask InitializeAsync()
    {
        var chromium = new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser" }.FirstOrDefault(File.Exists);
        if (chromium is null)
        {
            // CI installs chromium and sets the variable, so that a missing browser fails there instead of skipping.
            Assert.True(Environment.GetEnvironmentVariable("OBJSTORE_REQUIRE_BROWSER") != "1", "chromium is missing but OBJSTORE_REQUIRE_BROWSER=1");
            Assert.Skip("chromium is not installed (apt-get install -y chromium; .ci/run installs it)");
        }
        _served = await ServedStores.StartAsync(["dict"]);
        foreach (var key in HostileKeys) await Store.PutAsync(key, System.Text.Encoding.UTF8.GetBytes("body of " + key), Ct);
        _browser = await Puppeteer.LaunchAsync(new LaunchOptions
        {
            Headless = true, ExecutablePath = chromium, Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
        });
    }

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null) await _browser.DisposeAsync();
        if (_served is not null) await _served.DisposeAsync();
        _scratch.Dispose();
    }

    [Fact]
    public async Task Without_a_login_the_page_asks_for_one_and_a_wrong_secret_is_refused()
    {
        await using var page = await NewPageAsync();

        await page.GoToAsync(_served.Endpoint + "/_browse/b/" + Bucket);
        var redirectedTo = page.Url;
        await page.TypeAsync("#access_key", ServedStores.Credentials.AccessKeyId);
        await page.TypeAsync("#secret_key", "not the secret");
        await Task.WhenAll(page.WaitForNavigationAsync(), page.ClickAsync("#login"));

        Assert.EndsWith("/_browse/login", redirectedTo);
        Assert.Contains("do not match", await Text(page, "#login-error"));
        Assert.Null(await page.QuerySelectorAsync("#listing"));
    }

    [Fact]
    public async Task Hostile_keys_show_as_text_in_folders_and_details_and_download_byte_exact()
    {
        await using var page = await LoggedInPageAsync();
        await Task.WhenAll(page.WaitForNavigationAsync(), page.ClickAsync("a.bucket"));
        var root = await Text(page, "#listing");
        var scripts = await page.EvaluateExpressionAsync<int>("document.scripts.length");

        // The '/' in "</script>" makes "<script>alert(1)</" a folder, shown as text.
        Assert.Contains("<script>alert(1)</", root);
        Assert.Contains("a&b=c.txt", root);
        Assert.Contains("\"ctl\\u0001\\e[31m.txt\"", root);
        Assert.Contains("../", root);
        Assert.Equal(1, scripts);

        // a//b/deep.txt: the folders "a/", "/" and "b/" one after the other.
        foreach (var folder in new[] { "a/", "/", "b/" }) await ClickLinkAsync(page, folder);
        await ClickLinkAsync(page, "deep.txt");
        Assert.Equal("a//b/deep.txt", await Text(page, "#key"));

        foreach (var key in HostileKeys)
        {
            // From the bucket's root through each '/'-ended folder of the key to its own link.
            await page.GoToAsync(_served.Endpoint + "/_browse/b/" + Bucket);
            var start = 0;
            for (var at = key.IndexOf('/'); at >= 0; at = key.IndexOf('/', at + 1))
            {
                await ClickLinkAsync(page, key[start..(at + 1)]);
                start = at + 1;
            }
            await ClickLinkAsync(page, ObjectKey.Quote(key[start..]));
            Assert.Equal(ObjectKey.Quote(key), await Text(page, "#key"));
            var downloaded = await page.EvaluateFunctionAsync<string>(
                "async () => { const r = await fetch(document.getElementById('download').href); return Array.from(new Uint8Array(await r.arrayBuffer()), b => b.toString(16).padStart(2, '0')).join(''); }");
            Assert.Equal(Convert.ToHexStringLower(await Store.GetAsync(key, Ct)), downloaded);
        }
        Assert.Empty(_dialogs);
    }

    [Fact]
    public async Task Upload_puts_the_file_under_the_folder_and_delete_removes_the_object()
    {
        await using var page = await LoggedInPageAsync();
        var file = _scratch.File("local.bin");
        var data = TestData.Bytes(300_000, seed: 5);
        await File.WriteAllBytesAsync(file, data, Ct);

        await page.GoToAsync(_served.Endpoint + "/_browse/b/" + Bucket + "?prefix=dir%2F");
        var input = await page.QuerySelectorAsync("#file");
        await input.UploadFileAsync(file);
        await page.TypeAsync("#name", "up & <load>.bin");
        await Task.WhenAll(page.WaitForNavigationAsync(), page.ClickAsync("#upload button"));
        var listed = await Text(page, "#listing");
        await ClickLinkAsync(page, "up & <load>.bin");
        await Task.WhenAll(page.WaitForNavigationAsync(), page.ClickAsync("#delete button"));

        Assert.Contains("up & <load>.bin", listed);
        Assert.False(await Store.ExistsAsync("dir/up & <load>.bin", Ct));
        Assert.EndsWith("prefix=dir%2F", page.Url);
        Assert.Empty(_dialogs);
    }

    [Fact]
    public async Task A_change_without_the_session_token_is_refused()
    {
        await using var page = await LoggedInPageAsync();
        await page.GoToAsync(_served.Endpoint + "/_browse/");

        var status = await page.EvaluateFunctionAsync<int>(
            "async u => (await fetch(u, { method: 'POST', body: 'forged' })).status", $"{_served.Endpoint}/_browse/put/{Bucket}?key=forged");

        Assert.Equal(403, status);
        Assert.False(await Store.ExistsAsync("forged", Ct));
    }

    private async Task<IPage> NewPageAsync()
    {
        var page = await _browser.NewPageAsync();
        page.Dialog += async (_, e) =>
        {
            lock (_dialogs) _dialogs.Add(e.Dialog.Message);
            await e.Dialog.Dismiss();
        };
        return page;
    }

    private async Task<IPage> LoggedInPageAsync()
    {
        var page = await NewPageAsync();
        await page.GoToAsync(_served.Endpoint + "/_browse/login");
        await page.TypeAsync("#access_key", ServedStores.Credentials.AccessKeyId);
        await page.TypeAsync("#secret_key", ServedStores.Credentials.SecretAccessKey);
        await Task.WhenAll(page.WaitForNavigationAsync(), page.ClickAsync("#login"));
        Assert.NotNull(await page.QuerySelectorAsync("#buckets"));
        return page;
    }

    private static async Task ClickLinkAsync(IPage page, string text)
    {
        var index = await page.EvaluateFunctionAsync<int>(
            "t => Array.from(document.querySelectorAll('#listing a')).findIndex(a => a.textContent === t)", text);
        Assert.True(index >= 0, $"no link reads {text} on {page.Url}: {await Text(page, "#listing")}");
        var links = await page.QuerySelectorAllAsync("#listing a");
        await Task.WhenAll(page.WaitForNavigationAsync(), links[index].ClickAsync());
    }

    private static Task<string> Text(IPage page, string selector) =>
        page.EvaluateFunctionAsync<string>("s => document.querySelector(s)?.textContent ?? ''", selector);
}
