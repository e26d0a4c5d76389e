using System.Diagnostics;
using System.Globalization;
using Amazon.S3.Model;

namespace ObjectStorage.Benchmarks;

/// <summary>
/// StoreSync against <c>rclone sync</c>: 10,000 small files (100 B to 4 KiB) from a folder (a
/// FilesystemStore) into an empty prefix of a bucket on s3rver or Ceph RGW, then again with nothing changed, with
/// the same number of parallel transfers on both sides. A harness of its own, not BenchmarkDotNet:
/// one sync of 10,000 objects takes seconds and needs a fresh empty prefix each time, so each
/// repetition times the four runs once (wall clock, rclone as a child process), alternating which
/// tool goes first, and the table gives the median and the range.
/// </summary>
/// <remarks>
/// <c>dotnet run -c Release --project bench/ObjectStorage.Benchmarks -- sync [--files 10000] [--parallel 8] [--reps 3] [--csv PATH]</c>,
/// with the server named by the environment as for <see cref="S3Benchmarks"/> (<see cref="S3Server"/>; bench/run-all.sh
/// starts s3rver for the sync part and points the rgw part at Ceph RGW). The run's prefixes are deleted at the end.
/// rclone runs twice on the unchanged tree: with its defaults (size and modification time, which on S3
/// it reads from each object's metadata with one HEAD request per object), and with
/// <c>--update --use-server-modtime</c>, which is the comparison StoreSync's default makes between a
/// folder and a bucket (size, then the source's time against the upload time in the listing).
/// </remarks>
public static class SyncBenchmarks
{
    public static async Task<int> RunAsync(string[] args)
    {
        int files = IntOption(args, "--files", 10_000);
        int parallel = IntOption(args, "--parallel", 8);
        int reps = IntOption(args, "--reps", 3);
        var csv = StringOption(args, "--csv", Path.Combine("BenchmarkDotNet.Artifacts", "results", "sync.csv"));
        var server = S3Server.FromEnvironment();
        var bucket = server.Bucket;
        var rclone = FindRclone() ?? throw new InvalidOperationException("rclone is not installed (apt-get install rclone).");

        var source = Path.Combine(BenchData.Root, $"sync-source-{files}");
        CreateSourceTree(source, files);
        var run = DateTime.UtcNow.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);
        Console.WriteLine($"# StoreSync vs rclone: {files} files from {source} to {server.Endpoint}/{bucket}, {parallel} parallel transfers, {reps} repetitions, load average {BenchData.LoadAverage()}");

        var times = new Dictionary<string, List<double>>();
        void Record(string name, TimeSpan elapsed)
        {
            if (!times.TryGetValue(name, out var list)) times[name] = list = [];
            list.Add(elapsed.TotalSeconds);
            Console.WriteLine($"  {name,-48} {elapsed.TotalSeconds,8:F2} s");
        }

        using var client = server.CreateClient(maxConnectionsPerServer: Math.Max(parallel * 2, 16));
        using var from = new FilesystemStore(source);
        var options = new SyncOptions { Parallelism = parallel };

        for (int rep = 1; rep <= reps; rep++)
        {
            Console.WriteLine($"rep {rep} (load average {BenchData.LoadAverage()})");
            async Task Ours()
            {
                using var target = new BucketStore(client, new BucketStoreOptions { BucketName = bucket, Prefix = $"sync-{run}-ours-{rep}/" });
                var watch = Stopwatch.StartNew();
                var first = await StoreSync.SyncAsync(from, target, options);
                Record("StoreSync, first (empty target)", watch.Elapsed);
                Expect(first.Copied == files && first.Failures.Count == 0, $"first StoreSync copied {first.Copied} with {first.Failures.Count} failures");
                watch.Restart();
                var again = await StoreSync.SyncAsync(from, target, options);
                Record("StoreSync, unchanged", watch.Elapsed);
                Expect(again.Unchanged == files && again.Copied + again.Updated == 0, $"unchanged StoreSync copied {again.Copied}, updated {again.Updated}");
            }
            async Task Theirs()
            {
                var remote = $"osbench:{bucket}/sync-{run}-rclone-{rep}";
                string[] common = ["sync", source, remote, "--transfers", $"{parallel}", "--checkers", $"{parallel}", "--fast-list"];
                Record("rclone sync, first (empty target)", await RunRclone(rclone, server, common));
                Record("rclone sync, unchanged (defaults: HEAD per object)", await RunRclone(rclone, server, common));
                Record("rclone sync, unchanged (--update --use-server-modtime)", await RunRclone(rclone, server, [.. common, "--update", "--use-server-modtime"]));
            }
            // The raw SDK doing the same work with the same parallelism: what the server allows any client.
            async Task Floors()
            {
                var prefix = $"sync-{run}-raw-{rep}/";
                var watch = Stopwatch.StartNew();
                await Parallel.ForEachAsync(from.List(), new ParallelOptions { MaxDegreeOfParallelism = parallel }, async (info, ct) =>
                {
                    using var body = File.OpenRead(Path.Combine(source, info.Key));
                    await client.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = prefix + info.Key, InputStream = body, UseChunkEncoding = false }, ct);
                });
                Record("raw SDK: PutObject of every file", watch.Elapsed);
                watch.Restart();
                int listed = 0;
                string? token = null;
                do
                {
                    var page = await client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, Prefix = prefix, ContinuationToken = token });
                    listed += page.S3Objects?.Count ?? 0;
                    token = page.IsTruncated == true ? page.NextContinuationToken : null;
                }
                while (token is not null);
                Record("raw SDK: ListObjectsV2 of the target", watch.Elapsed);
                Expect(listed == files, $"raw listing found {listed} objects");
            }
            if (rep % 2 == 1)
            {
                await Ours();
                await Theirs();
                await Floors();
            }
            else
            {
                await Floors();
                await Theirs();
                await Ours();
            }
        }

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(csv))!);
        using (var writer = new StreamWriter(csv))
        {
            writer.WriteLine("Method,Median_s,Min_s,Max_s,Runs");
            foreach (var (name, list) in times)
                writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"\"{name}\",{Median(list):F3},{list.Min():F3},{list.Max():F3},{list.Count}"));
        }
        Console.WriteLine();
        Console.WriteLine("| Method | Median | Min | Max | Runs |");
        Console.WriteLine("|---|---:|---:|---:|---:|");
        foreach (var (name, list) in times)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | {Median(list):F2} s | {list.Min():F2} s | {list.Max():F2} s | {list.Count} |"));
        double Ratio(string theirs, string ours) => Median(times[theirs]) / Median(times[ours]);
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"first sync: StoreSync {Ratio("rclone sync, first (empty target)", "StoreSync, first (empty target)"):F2}x faster than rclone (aim 2x); " +
            $"unchanged: {Ratio("rclone sync, unchanged (defaults: HEAD per object)", "StoreSync, unchanged"):F2}x against rclone's defaults, " +
            $"{Ratio("rclone sync, unchanged (--update --use-server-modtime)", "StoreSync, unchanged"):F2}x against --update --use-server-modtime (aim 5x)"));
        Console.WriteLine($"load average at the end: {BenchData.LoadAverage()}; CSV: {csv}");
        // A shared server (Ceph RGW's in-memory OSD) must not keep 30,000 objects per repetition.
        long deleted = await server.DeletePrefixesAsync(Enumerable.Range(1, reps).SelectMany(rep => new[] { $"sync-{run}-ours-{rep}/", $"sync-{run}-rclone-{rep}/", $"sync-{run}-raw-{rep}/" }));
        Console.WriteLine($"deleted the run's {deleted} objects");
        return 0;
    }

    // The same files every time (seeded), 100 B to 4 KiB, 20 folders of 500.
    private static void CreateSourceTree(string root, int files)
    {
        var done = Path.Combine(BenchData.Root, $"sync-source-{files}.done");
        if (File.Exists(done)) return;
        if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
        var random = new Random(42);
        var buffer = new byte[4096];
        for (int i = 0; i < files; i++)
        {
            var path = Path.Combine(root, $"d{i / 500:D2}", $"f{i:D5}.bin");
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            int size = random.Next(100, 4097);
            random.NextBytes(buffer.AsSpan(0, size));
            File.WriteAllBytes(path, buffer.AsSpan(0, size));
        }
        // Back-date the tree so that uploads are always newer than their sources.
        foreach (var file in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories))
            File.SetLastWriteTimeUtc(file, new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        File.WriteAllText(done, "");
    }

    private static async Task<TimeSpan> RunRclone(string rclone, S3Server server, string[] args)
    {
        var start = new ProcessStartInfo(rclone) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        start.Environment.Remove("AWS_CA_BUNDLE");
        start.Environment["RCLONE_CONFIG_OSBENCH_TYPE"] = "s3";
        start.Environment["RCLONE_CONFIG_OSBENCH_PROVIDER"] = "Other";
        start.Environment["RCLONE_CONFIG_OSBENCH_ENV_AUTH"] = "false";
        start.Environment["RCLONE_CONFIG_OSBENCH_ACCESS_KEY_ID"] = server.AccessKey;
        start.Environment["RCLONE_CONFIG_OSBENCH_SECRET_ACCESS_KEY"] = server.SecretKey;
        start.Environment["RCLONE_CONFIG_OSBENCH_ENDPOINT"] = server.Endpoint;
        start.Environment["RCLONE_CONFIG_OSBENCH_FORCE_PATH_STYLE"] = "true";
        start.Environment["RCLONE_CONFIG_OSBENCH_LIST_URL_ENCODE"] = "false";
        var watch = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var elapsed = watch.Elapsed;
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"rclone {string.Join(' ', args)} exited with {process.ExitCode}: {await stderr}{await stdout}");
        return elapsed;
    }

    private static string? FindRclone() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Select(d => Path.Combine(d, "rclone")).FirstOrDefault(File.Exists);

    private static void Expect(bool condition, string what)
    {
        if (!condition) throw new InvalidOperationException($"sync benchmark: {what}");
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    internal static int IntOption(string[] args, string name, int fallback)
    {
        int at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], CultureInfo.InvariantCulture) : fallback;
    }

    internal static string StringOption(string[] args, string name, string fallback)
    {
        int at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? args[at + 1] : fallback;
    }
}
