using Amazon;
using Amazon.Runtime;
using Amazon.S3;

namespace ObjectStorage;

// Client setup: the SDK client a store builds for itself from its options.
public sealed partial class BucketStore
{
    private static AmazonS3Client CreateClient(BucketStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var config = new AmazonS3Config { ForcePathStyle = options.ForcePathStyle };
        if (options.ServiceUrl is not null)
        {
            config.ServiceURL = options.ServiceUrl;
            config.AuthenticationRegion = options.Region ?? "us-east-1";
        }
        else if (options.Region is not null)
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(options.Region);
        }
        if (options.ChecksumOnlyWhenRequired)
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
