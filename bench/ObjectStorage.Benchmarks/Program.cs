using BenchmarkDotNet.Running;
using ObjectStorage.Benchmarks;

// Everything, as on a new machine: bench/run-all.sh (starts s3rver, runs each part, renders the charts).
// BenchmarkDotNet classes: dotnet run -c Release --project bench/ObjectStorage.Benchmarks -- --filter '*PeerBenchmarks*'
// Harnesses that are not BenchmarkDotNet (first argument): sync (StoreSync vs rclone), list-memory (peak memory of listings),
// prepare (creates the listing data sets once, under OBJSTORE_BENCH_DATA or /tmp/objstore-bench-data).
return args.FirstOrDefault() switch
{
    "sync" => await SyncBenchmarks.RunAsync(args[1..]),
    "list-memory" => ListingMemory.Run(args[1..]),
    "prepare" => ScalingData.Prepare(),
    _ => Run(args),
};

static int Run(string[] args)
{
    BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    return 0;
}
