using CsCheck;
using ObjectStorage.Tests.Support;

namespace ObjectStorage.Tests.Reliability;

/// <summary>
/// Random sequences of put, get, open, delete, exists, stat, keys and list (sync and async
/// interleaved, sizes 0 B..1 MiB, overlapping keys and prefixes) against every store, checked
/// step by step against a dictionary. CI runs a bounded number; set OBJSTORE_SOAK=N to run N
/// times as many.
/// </summary>
public sealed class ModelBasedTests
{
    public const int SequencesPerStore = 120;

    public static int Soak => int.TryParse(Environment.GetEnvironmentVariable("OBJSTORE_SOAK"), out var n) && n > 0 ? n : 1;

    public static TheoryData<string> Stores() => StoreFactories.Names();

    [Theory, MemberData(nameof(Stores))]
    public async Task Random_sequences_agree_with_the_model(string store)
    {
        var factory = StoreFactories.Named(store);
        long steps = 0;
        await StoreModel.Sequences.SampleAsync(async sequence =>
        {
            Interlocked.Add(ref steps, sequence.Length);
            await StoreModel.Run(factory, sequence, TestContext.Current.CancellationToken);
        }, iter: SequencesPerStore * Soak, threads: 1, print: StoreModel.Print);
        TestContext.Current.TestOutputHelper?.WriteLine($"{store}: {SequencesPerStore * Soak} sequences, {steps} operations (shrinking included) agreed with the model");
    }

    [Fact]
    public async Task A_store_that_loses_a_write_is_caught_and_shrunk()
    {
        var broken = new StoreFactories.Factory("forgetful", () => new StoreUnderTest(new ForgetfulStore()));
        var failure = await Assert.ThrowsAnyAsync<Exception>(() => StoreModel.Sequences.SampleAsync(
            sequence => StoreModel.Run(broken, sequence, TestContext.Current.CancellationToken),
            iter: 3000, threads: 1, print: StoreModel.Print));
        Assert.Contains("disagreed with the model", failure.ToString());
        // The shrunk sequence is printed: at least the three puts that lose one, and a read that notices.
        var printed = System.Text.RegularExpressions.Regex.Match(failure.Message, @"(\d+) steps:");
        Assert.True(printed.Success, failure.Message);
        Assert.InRange(int.Parse(printed.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), 4, 40);
    }

    /// <summary>A store with a deliberate bug: every third put is silently dropped.</summary>
    private sealed class ForgetfulStore : DictStore
    {
        private int _puts;

        protected override void PutCore(string key, ReadOnlyMemory<byte> data, PutOptions options)
        {
            if (Interlocked.Increment(ref _puts) % 3 != 0) base.PutCore(key, data, options);
        }
    }
}
