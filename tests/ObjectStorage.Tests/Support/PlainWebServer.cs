using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ObjectStorage.Tests.Support;

/// <summary>
/// A plain Kestrel web server on a free loopback port that serves files from a dictionary by path,
/// the way a static web server does, and can be told to behave like a poorer one: no HEAD (405),
/// no ranges (always the whole body), a path that fails with 500.
/// </summary>
public sealed class PlainWebServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private PlainWebServer(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    /// <summary>The server's root, ending with '/'.</summary>
    public Uri Address { get; }

    /// <summary>The files served, by their decoded path without the leading '/'.</summary>
    public Dictionary<string, byte[]> Files { get; } = new(StringComparer.Ordinal);

    public bool HeadAllowed { get; set; } = true;

    public bool RangesHonoured { get; set; } = true;

    /// <summary>Requests seen, as "METHOD /raw/path".</summary>
    public List<string> Requests { get; } = [];

    public static async Task<PlainWebServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        // Its request log would bury a failing test's message in the test run's output.
        builder.Logging.ClearProviders();
        var app = builder.Build();
        PlainWebServer? server = null;
        app.Run(context => server!.Serve(context));
        await app.StartAsync();
        var address = app.Urls.Single();
        server = new PlainWebServer(app, new Uri(address.EndsWith('/') ? address : address + "/"));
        return server;
    }

    private async Task Serve(HttpContext context)
    {
        var request = context.Request;
        lock (Requests) Requests.Add($"{request.Method} {request.HttpContext.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestFeature>()!.RawTarget}");
        var path = Uri.UnescapeDataString(request.Path.Value!.TrimStart('/'));
        if (path == "fails") { context.Response.StatusCode = 500; return; }
        if (HttpMethods.IsHead(request.Method) && !HeadAllowed) { context.Response.StatusCode = 405; return; }
        if (!Files.TryGetValue(path, out var data)) { context.Response.StatusCode = 404; return; }
        context.Response.Headers.ETag = "\"v1\"";
        context.Response.Headers.LastModified = "Tue, 01 Dec 2026 10:00:00 GMT";
        var body = data.AsMemory();
        var range = request.Headers.Range.ToString();
        if (RangesHonoured && range.StartsWith("bytes=", StringComparison.Ordinal))
        {
            var bounds = range["bytes=".Length..].Split('-');
            long from = long.Parse(bounds[0]);
            long to = bounds[1].Length > 0 ? Math.Min(long.Parse(bounds[1]), data.Length - 1) : data.Length - 1;
            if (from >= data.Length) { context.Response.StatusCode = 416; return; }
            context.Response.StatusCode = 206;
            context.Response.Headers.ContentRange = $"bytes {from}-{to}/{data.Length}";
            body = body[(int)from..(int)(to + 1)];
        }
        context.Response.ContentLength = body.Length;
        if (!HttpMethods.IsHead(request.Method)) await context.Response.Body.WriteAsync(body);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
