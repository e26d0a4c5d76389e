using System.Diagnostics;
using Amazon.S3.Model;

namespace ObjectStorage.Benchmarks;

/// <summary>
/// The floor for a first sync, as a process of its own so that it pays the same start-up as
/// <c>objstore</c> and rclone: every file of a folder copied with the raw API and nothing else
/// (<see cref="File.Copy(string, string)"/> into a folder, or the SDK's PutObject into a bucket
/// prefix), with the given parallelism. Prints the seconds it took, start-up excluded, on stderr.
/// </summary>
/// <remarks>
/// <c>raw-copy SRC_DIR (DST_DIR | s3:PREFIX) [--parallel 8]</c>; the bucket and server come from the
/// environment as for <see cref="S3Server"/>. bench/cli-vs-rclone.sh times it from outside.
/// </remarks>
public static class RawCopy
{
    public static async Task<int> RunAsync(string[] args)
    {
        var source = Path.GetFullPath(args[0]);
        var target = args[1];
        int parallel = args.Length > 3 && args[2] == "--parallel" ? int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture) : 8;
        var files = Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(source, f));
        var watch = Stopwatch.StartNew();
        if (target.StartsWith("s3:", StringComparison.Ordinal))
        {
            var server = S3Server.FromEnvironment();
            var prefix = target[3..];
            using var client = server.CreateClient(maxConnectionsPerServer: Math.Max(parallel * 2, 16));
            await Parallel.ForEachAsync(files, new ParallelOptions { MaxDegreeOfParallelism = parallel }, async (file, ct) =>
            {
                await using var body = File.OpenRead(Path.Combine(source, file));
                await client.PutObjectAsync(new PutObjectRequest { BucketName = server.Bucket, Key = prefix + file, InputStream = body, UseChunkEncoding = false }, ct);
            });
        }
        else
        {
            var root = Path.GetFullPath(target);
            Parallel.ForEach(files, new ParallelOptions { MaxDegreeOfParallelism = parallel }, file =>
            {
                var to = Path.Combine(root, file);
                Directory.CreateDirectory(Path.GetDirectoryName(to)!);
                File.Copy(Path.Combine(source, file), to);
            });
        }
        Console.Error.WriteLine($"raw-copy: {watch.Elapsed.TotalSeconds:F2} s");
        return 0;
    }
}
