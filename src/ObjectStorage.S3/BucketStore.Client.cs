using Amazon;
using Amazon.Runtime;
using Amazon.S3;

namespace ObjectStorage;

// Client setup: the SDK client a store builds for itself from its options. An endpoint of its own
// marks an S3-compatible service, which gets the settings such services need unless the options say
// otherwise: the same defaults the s3:// store URL gives, so the library and the CLI agree.
public sealed partial class BucketStore
{
    // The client the store talks through, for tests that check how it was set up.
    internal IAmazonS3 Client => _client;

    private static AmazonS3Client CreateClient(BucketStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        bool compatible = options.ServiceUrl is not null;
        var config = new AmazonS3Config { ForcePathStyle = options.ForcePathStyle ?? compatible };
        if (options.ServiceUrl is not null)
        {
            config.ServiceURL = options.ServiceUrl;
            config.AuthenticationRegion = options.Region ?? "us-east-1";
        }
        else if (options.Region is not null)
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(options.Region);
        }
        if (options.ChecksumOnlyWhenRequired ?? compatible)
        {
            config.RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED;
            config.ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED;
        }
        if (options.MaxErrorRetry is { } retries) config.MaxErrorRetry = retries;
        if (options.RetryMode is { } mode) config.RetryMode = mode;
        if (options.Timeout is { } timeout) config.Timeout = timeout;
        return options.Credentials is null ? new AmazonS3Client(config) : new AmazonS3Client(options.Credentials, config);
    }
}
