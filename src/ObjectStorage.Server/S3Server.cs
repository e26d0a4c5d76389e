using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ObjectStorage.Server;

/// <summary>
/// A stand-alone S3 server: a Kestrel app with nothing but <see cref="S3EndpointRouteBuilderExtensions.MapObjectStorageS3"/>,
/// as <c>objstore serve</c> runs it. Disposing it stops the server; the stores stay the caller's.
/// </summary>
public sealed class S3Server : IAsyncDisposable
{
    private readonly WebApplication _app;

    private S3Server(WebApplication app, Uri endpoint)
    {
        _app = app;
        Endpoint = endpoint;
    }

    /// <summary>The base URL clients use as their S3 endpoint ("http://127.0.0.1:PORT").</summary>
    public Uri Endpoint { get; }

    /// <summary>
    /// Starts serving <paramref name="options"/> on <paramref name="listen"/> (port 0 picks a free
    /// one); logs go to <paramref name="logging"/> or nowhere. Throws when the options are invalid
    /// or the address is taken.
    /// </summary>
    public static async Task<S3Server> StartAsync(S3ServerOptions options, IPEndPoint listen, Action<ILoggingBuilder>? logging = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(listen);
        // The content root would default to the current directory, and its appsettings files are watched for
        // changes: from /tmp or a home directory that is an inotify watch on every folder below it, taken at
        // start (minutes, and the user's watch limit). The server reads no files of its own: the tool's folder, unwatched.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ContentRootPath = AppContext.BaseDirectory,
            Args = ["--hostBuilder:reloadConfigOnChange=false"],
        });
        builder.Logging.ClearProviders();
        logging?.Invoke(builder.Logging);
        builder.WebHost.UseKestrel(kestrel =>
        {
            kestrel.Listen(listen);
            kestrel.AddServerHeader = false;
        });
        var app = builder.Build();
        app.MapObjectStorageS3(options);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
            ?? throw new InvalidOperationException("Kestrel started without reporting its address.");
        return new S3Server(app, new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal)));
    }

    /// <summary>Completes when the server stops (Ctrl+C, SIGTERM, or <paramref name="cancellationToken"/>).</summary>
    public Task WaitForShutdownAsync(CancellationToken cancellationToken = default) => _app.WaitForShutdownAsync(cancellationToken);

    /// <summary>Stops the server, letting requests in flight finish for up to five seconds.</summary>
    public async ValueTask DisposeAsync()
    {
        using (var grace = new CancellationTokenSource(TimeSpan.FromSeconds(5)))
            await _app.StopAsync(grace.Token).ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
