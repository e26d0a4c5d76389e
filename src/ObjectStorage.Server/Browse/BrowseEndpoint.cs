using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using ObjectStorage.Server.Operations;
using ObjectStorage.Server.Protocol;

namespace ObjectStorage.Server.Browse;

/// <summary>
/// The browse page: buckets, a folder-like view of each by '/', object details, download, upload and
/// delete, as plain HTML with one small script, beside the S3 endpoint and over the same buckets.
/// Keys travel only in query strings (percent-encoded) and are shown HTML-encoded, quoted where they
/// hold control characters, under a Content-Security-Policy that runs no inline script.
/// </summary>
internal sealed class BrowseEndpoint(S3ServerOptions options, ServedBuckets buckets, string basePath)
{
    private const int PageSize = 100;
    private const string TokenHeader = "x-browse-token";

    private static readonly HtmlEncoder Html = HtmlEncoder.Default;

    private readonly BrowseSession _session = new(options);

    /// <summary>The path prefix of the pages, for example "/_browse".</summary>
    public string BasePath { get; } = basePath;

    public async Task HandleAsync(HttpContext http)
    {
        var path = http.Request.Path.Value ?? "";
        if (path.Length == BasePath.Length)
        {
            // Relative links need the folder's slash.
            http.Response.Redirect(BasePath + "/");
            return;
        }
        var rest = path.Length > BasePath.Length ? path[(BasePath.Length + 1)..] : "";
        var slash = rest.IndexOf('/');
        var (action, bucket) = slash < 0 ? (rest, null) : (rest[..slash], rest[(slash + 1)..]);
        try
        {
            if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit) limit.MaxRequestBodySize = null;
            if (http.Features.Get<IHttpBodyControlFeature>() is { } bodyControl) bodyControl.AllowSynchronousIO = true;
            switch (action, http.Request.Method)
            {
                case ("browse.js", "GET"):
                    await WriteResourceAsync(http, "browse.js", "text/javascript").ConfigureAwait(false);
                    return;
                case ("browse.css", "GET"):
                    await WriteResourceAsync(http, "browse.css", "text/css").ConfigureAwait(false);
                    return;
                case ("login", "GET"):
                    await LoginPageAsync(http, null).ConfigureAwait(false);
                    return;
                case ("login", "POST"):
                    await LogInAsync(http).ConfigureAwait(false);
                    return;
                case ("logout", "POST"):
                    http.Response.Cookies.Delete(BrowseSession.CookieName, CookieOptions());
                    http.Response.Redirect(BasePath + "/login");
                    return;
            }
            var user = Caller(http);
            if (user is null)
            {
                http.Response.Redirect(BasePath + "/login");
                return;
            }
            switch (action, http.Request.Method)
            {
                case ("", "GET"):
                    await BucketsPageAsync(http, user).ConfigureAwait(false);
                    return;
                case ("b", "GET"):
                    await FolderPageAsync(http, user, StoreOf(bucket), bucket!).ConfigureAwait(false);
                    return;
                case ("o", "GET"):
                    await ObjectPageAsync(http, user, StoreOf(bucket), bucket!, KeyOf(http)).ConfigureAwait(false);
                    return;
                case ("get", "GET"):
                    await DownloadAsync(http, StoreOf(bucket), KeyOf(http)).ConfigureAwait(false);
                    return;
                case ("put", "POST"):
                    await UploadAsync(http, user, StoreOf(bucket), KeyOf(http)).ConfigureAwait(false);
                    return;
                case ("delete", "POST"):
                    await DeleteAsync(http, user, StoreOf(bucket), bucket!).ConfigureAwait(false);
                    return;
            }
            throw new S3Error(404, "NotFound", "There is no such page.");
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
        }
        catch (Exception exception) when (!http.Response.HasStarted)
        {
            var (status, message) = exception switch
            {
                S3Error e => (e.Status, e.Message),
                KeyNotFoundException => (404, "No object has that key."),
                InvalidKeyException e => (400, e.Message),
                NotSupportedException e => (501, e.Message),
                _ => (500, "The server failed to serve the page."),
            };
            http.Response.Clear();
            await WritePageAsync(http, status, "Error", Html.Encode(message)).ConfigureAwait(false);
        }
    }

    /// <summary>Who is looking: the access key of a valid session cookie, "" for an anonymous reader where allowed, or null (log in first).</summary>
    private User? Caller(HttpContext http)
    {
        var cookie = http.Request.Cookies[BrowseSession.CookieName];
        if (_session.AccessKeyOf(cookie) is { } accessKey) return new User(accessKey, cookie!);
        return options.AnonymousRead ? new User(null, null) : null;
    }

    private ObjectStore StoreOf(string? bucket) =>
        bucket is not null && buckets.TryGet(bucket, out var store) ? store : throw S3Error.NoSuchBucket(bucket ?? "");

    private static string KeyOf(HttpContext http) =>
        S3Call.ValidKey(http.Request.Query["key"].ToString() is { Length: > 0 } key ? key : throw S3Error.InvalidArgument("The page needs a key."));

    // ---- Pages -------------------------------------------------------------------------------

    private Task LoginPageAsync(HttpContext http, string? error)
    {
        var body = new StringBuilder();
        if (error is not null) body.Append("<p class=\"error\" id=\"login-error\">").Append(Html.Encode(error)).Append("</p>");
        body.Append("<form method=\"post\" action=\"").Append(Html.Encode(BasePath + "/login")).Append("\" class=\"login\">")
            .Append("<label>Access key <input name=\"access_key\" id=\"access_key\" autocomplete=\"username\" required></label>")
            .Append("<label>Secret key <input name=\"secret_key\" id=\"secret_key\" type=\"password\" autocomplete=\"current-password\" required></label>")
            .Append("<button type=\"submit\" id=\"login\">Log in</button></form>");
        if (options.AnonymousRead) body.Append("<p><a href=\"").Append(Html.Encode(BasePath + "/")).Append("\">Browse without logging in</a> (read only)</p>");
        return WritePageAsync(http, error is null ? 200 : 403, "Log in", body.ToString());
    }

    private async Task LogInAsync(HttpContext http)
    {
        var form = await http.Request.ReadFormAsync(http.RequestAborted).ConfigureAwait(false);
        var cookie = _session.LogIn(form["access_key"].ToString(), form["secret_key"].ToString());
        if (cookie is null)
        {
            await LoginPageAsync(http, "The access key and secret do not match a key this server accepts.").ConfigureAwait(false);
            return;
        }
        http.Response.Cookies.Append(BrowseSession.CookieName, cookie, CookieOptions());
        http.Response.Redirect(BasePath + "/");
    }

    private Task BucketsPageAsync(HttpContext http, User user)
    {
        var body = new StringBuilder("<table id=\"buckets\"><thead><tr><th>Bucket</th><th>Store</th></tr></thead><tbody>");
        foreach (var name in buckets.Names)
        {
            buckets.TryGet(name, out var store);
            body.Append("<tr><td><a class=\"bucket\" href=\"").Append(Html.Encode(Url("b/" + name))).Append("\">").Append(Html.Encode(name)).Append("</a></td><td>")
                .Append(Html.Encode(store.ToString() ?? "")).Append("</td></tr>");
        }
        body.Append("</tbody></table>");
        return WritePageAsync(http, 200, "Buckets", body.ToString(), user);
    }

    private async Task FolderPageAsync(HttpContext http, User user, ObjectStore store, string bucket)
    {
        if (!store.CanList) throw S3Error.NotImplemented($"Listing the bucket '{bucket}' (its store, {store}, cannot list)");
        var prefix = http.Request.Query["prefix"].ToString();
        if (prefix.Length > 0 && ObjectKey.FindBrokenRule(prefix, isPrefix: true) is { } rule)
            throw S3Error.InvalidArgument($"The prefix {ObjectKey.Describe(prefix)} is not a key prefix: {rule}.");
        var after = http.Request.Query["after"].ToString() is { Length: > 0 } a ? a : null;
        var page = await ListOperations.ReadPageAsync(store, prefix, "/", after, PageSize, http.RequestAborted).ConfigureAwait(false);

        var body = new StringBuilder();
        Breadcrumbs(body, bucket, prefix);
        body.Append("<table id=\"listing\"><thead><tr><th>Name</th><th>Size</th><th>Modified</th></tr></thead><tbody>");
        foreach (var folder in page.CommonPrefixes)
            body.Append("<tr class=\"folder\"><td><a href=\"").Append(Html.Encode(Url("b/" + bucket, ("prefix", folder)))).Append("\">")
                .Append(Shown(folder[prefix.Length..])).Append("</a></td><td></td><td></td></tr>");
        foreach (var info in page.Objects)
            body.Append("<tr class=\"object\"><td><a href=\"").Append(Html.Encode(Url("o/" + bucket, ("key", info.Key)))).Append("\">")
                .Append(Shown(info.Key[prefix.Length..])).Append("</a></td><td>").Append(info.Size.ToString(CultureInfo.InvariantCulture))
                .Append("</td><td>").Append(Html.Encode(info.LastModified?.UtcDateTime.ToString("u", CultureInfo.InvariantCulture) ?? "")).Append("</td></tr>");
        body.Append("</tbody></table>");
        if (page.Objects.Count + page.CommonPrefixes.Count == 0) body.Append("<p id=\"empty\">Nothing here.</p>");
        if (page.IsTruncated)
            body.Append("<p><a id=\"next\" href=\"").Append(Html.Encode(Url("b/" + bucket, ("prefix", prefix), ("after", page.Last)))).Append("\">Next page</a></p>");
        if (user.CanWrite && store.CanWrite)
            body.Append("<form id=\"upload\" data-bucket=\"").Append(Html.Encode(bucket)).Append("\" data-prefix=\"").Append(Html.Encode(prefix))
                .Append("\"><input type=\"file\" id=\"file\" required> <input id=\"name\" placeholder=\"name (default: the file's)\"> ")
                .Append("<button type=\"submit\">Upload</button> <span id=\"status\"></span></form>");
        await WritePageAsync(http, 200, bucket, body.ToString(), user).ConfigureAwait(false);
    }

    private async Task ObjectPageAsync(HttpContext http, User user, ObjectStore store, string bucket, string key)
    {
        var info = await store.StatAsync(key, http.RequestAborted).ConfigureAwait(false) ?? throw S3Error.NoSuchKey(key);
        var body = new StringBuilder();
        var slash = key.LastIndexOf('/');
        Breadcrumbs(body, bucket, slash < 0 ? "" : key[..(slash + 1)]);
        body.Append("<dl id=\"details\"><dt>Key</dt><dd id=\"key\">").Append(Shown(key)).Append("</dd>")
            .Append("<dt>Size</dt><dd id=\"size\">").Append(info.Size.ToString(CultureInfo.InvariantCulture)).Append(" bytes</dd>")
            .Append("<dt>Modified</dt><dd>").Append(Html.Encode(ObjectVersion.LastModified(info).ToString("R", CultureInfo.InvariantCulture))).Append("</dd>")
            .Append("<dt>ETag</dt><dd id=\"etag\">").Append(Html.Encode(ObjectVersion.ETag(info))).Append("</dd></dl>")
            .Append("<p><a id=\"download\" href=\"").Append(Html.Encode(Url("get/" + bucket, ("key", key)))).Append("\">Download</a></p>");
        if (user.CanWrite && store.CanDelete)
            body.Append("<form method=\"post\" id=\"delete\" action=\"").Append(Html.Encode(Url("delete/" + bucket, ("key", key)))).Append("\">")
                .Append("<input type=\"hidden\" name=\"token\" value=\"").Append(Html.Encode(_session.TokenFor(user.Cookie!))).Append("\">")
                .Append("<button type=\"submit\">Delete</button></form>");
        await WritePageAsync(http, 200, key, body.ToString(), user).ConfigureAwait(false);
    }

    private static async Task DownloadAsync(HttpContext http, ObjectStore store, string key)
    {
        var body = await ObjectOperations.OpenReadAsync(store, key, http.RequestAborted).ConfigureAwait(false);
        await using (body.ConfigureAwait(false))
        {
            var name = key[(key.LastIndexOf('/') + 1)..] is { Length: > 0 } last ? last : "object";
            http.Response.ContentType = "application/octet-stream";
            http.Response.Headers.ContentDisposition = "attachment; filename*=UTF-8''" + Uri.EscapeDataString(name);
            http.Response.Headers.XContentTypeOptions = "nosniff";
            if (body.CanSeek) http.Response.ContentLength = body.Length;
            await body.CopyToAsync(http.Response.Body, http.RequestAborted).ConfigureAwait(false);
        }
    }

    private async Task UploadAsync(HttpContext http, User user, ObjectStore store, string key)
    {
        RequireChange(user, http.Request.Headers[TokenHeader].ToString());
        if (!store.CanWrite) throw S3Error.AccessDenied($"The store {store} cannot write.");
        await store.PutAsync(key, http.Request.Body, http.RequestAborted).ConfigureAwait(false);
        http.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    private async Task DeleteAsync(HttpContext http, User user, ObjectStore store, string bucket)
    {
        var key = KeyOf(http);
        var form = await http.Request.ReadFormAsync(http.RequestAborted).ConfigureAwait(false);
        RequireChange(user, form["token"].ToString());
        if (!store.CanDelete) throw S3Error.AccessDenied($"The store {store} cannot delete.");
        await store.DeleteAsync(key, http.RequestAborted).ConfigureAwait(false);
        var slash = key.LastIndexOf('/');
        http.Response.Redirect(Url("b/" + bucket, ("prefix", slash < 0 ? "" : key[..(slash + 1)])));
    }

    private void RequireChange(User user, string? token)
    {
        if (!user.CanWrite) throw S3Error.AccessDenied("Log in to change objects: anonymous visitors may only read.");
        if (!_session.IsToken(user.Cookie!, token)) throw S3Error.AccessDenied("The change did not carry this session's token (a request from another site?).");
    }

    // ---- Page parts --------------------------------------------------------------------------

    private void Breadcrumbs(StringBuilder body, string bucket, string prefix)
    {
        body.Append("<nav id=\"crumbs\"><a href=\"").Append(Html.Encode(Url(""))).Append("\">buckets</a> / <a href=\"")
            .Append(Html.Encode(Url("b/" + bucket))).Append("\">").Append(Html.Encode(bucket)).Append("</a>");
        // One crumb per '/'-ended piece of the prefix, so "a//b/" is "a/", "/", "b/": every folder reachable, none merged.
        var start = 0;
        for (var at = prefix.IndexOf('/'); at >= 0; at = prefix.IndexOf('/', at + 1))
        {
            body.Append(" <a class=\"crumb\" href=\"").Append(Html.Encode(Url("b/" + bucket, ("prefix", prefix[..(at + 1)])))).Append("\">")
                .Append(Shown(prefix[start..(at + 1)])).Append("</a>");
            start = at + 1;
        }
        body.Append("</nav>");
    }

    private string Url(string page, params (string Name, string? Value)[] query)
    {
        var url = new StringBuilder(BasePath).Append('/').Append(page);
        var separator = '?';
        foreach (var (name, value) in query)
        {
            if (value is null) continue;
            url.Append(separator).Append(name).Append('=').Append(Uri.EscapeDataString(value));
            separator = '&';
        }
        return url.ToString();
    }

    // A key as a person should see it: quoted with escapes where it holds control or invisible characters, then HTML-encoded.
    private static string Shown(string key) => Html.Encode(key.Length == 0 ? "\"\"" : ObjectKey.Quote(key));

    private Task WritePageAsync(HttpContext http, int status, string title, string body, User? user = null)
    {
        var page = new StringBuilder("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
            .Append(Html.Encode(title)).Append(" · objstore</title><link rel=\"stylesheet\" href=\"").Append(Html.Encode(BasePath + "/browse.css")).Append("\">");
        if (user?.Cookie is { } cookie) page.Append("<meta name=\"browse-token\" content=\"").Append(Html.Encode(_session.TokenFor(cookie))).Append("\">");
        page.Append("<meta name=\"browse-base\" content=\"").Append(Html.Encode(BasePath)).Append("\">")
            .Append("<script src=\"").Append(Html.Encode(BasePath + "/browse.js")).Append("\" defer></script></head><body><header><h1>")
            .Append(Html.Encode(title)).Append("</h1>");
        if (user is not null)
            page.Append(user.CanWrite
                ? $"<form method=\"post\" action=\"{Html.Encode(BasePath + "/logout")}\" class=\"who\">{Html.Encode(user.AccessKey!)} <button id=\"logout\">Log out</button></form>"
                : $"<p class=\"who\">anonymous, read only · <a href=\"{Html.Encode(BasePath + "/login")}\">log in</a></p>");
        page.Append("</header><main>").Append(body).Append("</main></body></html>");
        var bytes = Encoding.UTF8.GetBytes(page.ToString());
        http.Response.StatusCode = status;
        http.Response.ContentType = "text/html; charset=utf-8";
        // No inline script runs, so a key that slipped past encoding could still not run one.
        http.Response.Headers.ContentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";
        http.Response.Headers.XContentTypeOptions = "nosniff";
        http.Response.Headers.CacheControl = "no-store";
        http.Response.ContentLength = bytes.Length;
        return http.Response.Body.WriteAsync(bytes, http.RequestAborted).AsTask();
    }

    private CookieOptions CookieOptions() => new() { HttpOnly = true, SameSite = SameSiteMode.Strict, Path = BasePath, IsEssential = true };

    private static async Task WriteResourceAsync(HttpContext http, string name, string contentType)
    {
        var stream = typeof(BrowseEndpoint).Assembly.GetManifestResourceStream("ObjectStorage.Server.Browse." + name)
            ?? throw new InvalidOperationException($"The resource {name} is missing from the assembly.");
        await using (stream.ConfigureAwait(false))
        {
            http.Response.ContentType = contentType + "; charset=utf-8";
            http.Response.Headers.CacheControl = "no-cache";
            http.Response.ContentLength = stream.Length;
            await stream.CopyToAsync(http.Response.Body, http.RequestAborted).ConfigureAwait(false);
        }
    }

    /// <summary>A logged-in access key with its cookie, or an anonymous reader (both null).</summary>
    private sealed record User(string? AccessKey, string? Cookie)
    {
        public bool CanWrite => AccessKey is not null;
    }
}
