using System.Diagnostics;

namespace ObjectStorage.Tests.Support;

/// <summary>
/// The AWS CLI (v1 or v2) as the interop tests run it: configured by the environment alone
/// (path-style addressing, checksums only where required, no pager, no CA bundle, no profile).
/// </summary>
public static class AwsCli
{
    /// <summary>The aws executable, or a visible skip.</summary>
    public static string Require()
    {
        var aws = ExternalTool.FindOnPath("aws");
        Assert.SkipWhen(aws is null, "the AWS CLI is not installed (apt-get install -y awscli; .ci/run installs it)");
        return aws!;
    }

    /// <summary>Runs <c>aws --endpoint-url ENDPOINT --output json args...</c>; its config lives in <paramref name="scratch"/>.</summary>
    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(string aws, string endpoint, string accessKey, string secretKey, TempDirectory scratch, params string[] args)
    {
        var ct = TestContext.Current.CancellationToken;
        var config = scratch.File("aws-config");
        if (!File.Exists(config)) await File.WriteAllTextAsync(config, "[default]\ns3 =\n    addressing_style = path\n", ct);
        var info = new ProcessStartInfo(aws);
        foreach (var arg in (string[])["--endpoint-url", endpoint, "--output", "json", .. args]) info.ArgumentList.Add(arg);
        info.Environment.Remove("AWS_CA_BUNDLE");
        info.Environment.Remove("AWS_PROFILE");
        info.Environment["AWS_CONFIG_FILE"] = config;
        info.Environment["AWS_SHARED_CREDENTIALS_FILE"] = scratch.File("no-credentials");
        info.Environment["AWS_ACCESS_KEY_ID"] = accessKey;
        info.Environment["AWS_SECRET_ACCESS_KEY"] = secretKey;
        info.Environment["AWS_DEFAULT_REGION"] = "us-east-1";
        info.Environment["AWS_REQUEST_CHECKSUM_CALCULATION"] = "when_required";
        info.Environment["AWS_RESPONSE_CHECKSUM_VALIDATION"] = "when_required";
        info.Environment["AWS_PAGER"] = "";
        return await ExternalTool.RunAsync(info);
    }

    /// <summary>As <see cref="RunAsync"/>, failing the test with the CLI's output when it exits non-zero.</summary>
    public static async Task<string> RunOkAsync(string aws, string endpoint, string accessKey, string secretKey, TempDirectory scratch, params string[] args)
    {
        var (exitCode, output, error) = await RunAsync(aws, endpoint, accessKey, secretKey, scratch, args);
        Assert.True(exitCode == 0, $"aws {string.Join(' ', args)} exited {exitCode}: {error}{output}");
        return output;
    }
}
