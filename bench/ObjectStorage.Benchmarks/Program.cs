using BenchmarkDotNet.Running;
using ObjectStorage.Benchmarks;

// Everything, as on a new machine: bench/run-all.sh (starts s3rver, runs each part, renders the charts).
// BenchmarkDotNet classes: dotnet run -c Release --project bench/ObjectStorage.Benchmarks -- --filter '*PeerBenchmarks*'
// Harnesses that are not BenchmarkDotNet (first argument): sync (StoreSync vs rclone), list-memory (peak memory of listings),
// raw-copy (the floor for bench/cli-vs-rclone.sh), prepare (creates the listing data sets once, under OBJSTORE_BENCH_DATA or /tmp/objstore-bench-data),
// s3-clean PREFIX... (deletes the S3 benchmarks' objects from the server the environment names: S3Server.cs).
return args.FirstOrDefault() switch
{
    "sync" => await SyncBenchmarks.RunAsync(args[1..]),
    "raw-copy" => await RawCopy.RunAsync(args[1..]),
    "list-memory" => ListingMemory.Run(args[1..]),
    "prepare" => ScalingData.Prepare(),
    "s3-clean" => await CleanS3(args[1..]),
    _ => Run(args),
};

static int Run(string[] args)
{
    BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    return 0;
}

static async Task<int> CleanS3(string[] prefixes)
{
    var deleted = await S3Server.FromEnvironment().DeletePrefixesAsync(prefixes);
    Console.WriteLine($"deleted {deleted} objects under {string.Join(", ", prefixes)}");
    return 0;
}
