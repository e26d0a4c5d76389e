using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ObjectStorage.Server;
using ObjectStorage.Server.Browse;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Adds an S3-compatible endpoint over <see cref="ObjectStorage.ObjectStore"/>s to an ASP.NET Core app.</summary>
public static class S3EndpointRouteBuilderExtensions
{
    /// <summary>
    /// Serves the buckets of <paramref name="options"/> over the S3 protocol (path-style and virtual-host), and the browse page at its <see cref="S3ServerOptions.BrowsePath"/>, under
    /// <paramref name="pathPrefix"/> ("" for the root, or for example "/s3"); throws
    /// <see cref="ArgumentException"/> when the options name no bucket or admit no caller.
    /// </summary>
    public static IEndpointConventionBuilder MapObjectStorageS3(this IEndpointRouteBuilder endpoints, S3ServerOptions options, string pathPrefix = "")
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var prefix = (pathPrefix ?? "").TrimEnd('/');
        if (prefix.Length > 0 && !prefix.StartsWith('/')) throw new ArgumentException($"The path prefix '{pathPrefix}' must start with '/'.", nameof(pathPrefix));
        var endpoint = new S3Endpoint(options, prefix);
        endpoints.ServiceProvider.GetService<IHostApplicationLifetime>()?.ApplicationStopped.Register(endpoint.Uploads.RemoveIfPrivate);
        if (options.BrowsePath is { } browsePath)
        {
            // A literal first segment outranks the S3 route's catch-all, and no bucket name holds '_'.
            var browse = new BrowseEndpoint(options, endpoint.Buckets, prefix + browsePath);
            endpoints.Map(browse.BasePath + "/{**browsepath}", browse.HandleAsync).WithDisplayName("ObjectStorage browse page");
        }
        return endpoints.Map(prefix + "/{**s3path}", endpoint.HandleAsync).WithDisplayName("ObjectStorage S3 endpoint");
    }
}
