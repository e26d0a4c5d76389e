using BenchmarkDotNet.Running;

// Run all: dotnet run -c Release --project bench/ObjectStorage.Benchmarks -- --filter '*'
// One class: ... -- --filter '*FilesystemBenchmarks*'
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
