using CsCheck;
using ObjectStorage.Tests.Support;

namespace ObjectStorage.Tests.Reliability;

/// <summary>One step of a random sequence, run against a store and against the model.</summary>
public abstract record Step(bool Async);

public sealed record PutStep(string Key, int Size, int Seed, bool AsStream, bool Async) : Step(Async);

public sealed record GetStep(string Key, bool Async) : Step(Async);

public sealed record OpenReadStep(string Key, bool Async) : Step(Async);

public sealed record DeleteStep(string Key, bool Async) : Step(Async);

public sealed record ExistsStep(string Key, bool Async) : Step(Async);

public sealed record StatStep(string Key, bool Async) : Step(Async);

public sealed record KeysStep(string Prefix, bool Async) : Step(Async);

public sealed record ListStep(string Prefix, bool Async) : Step(Async);

/// <summary>
/// The model a store is checked against: a plain dictionary. Runs random step sequences on a real
/// store, compares every answer with the model's, and lets CsCheck shrink a failing sequence to a
/// minimal one, which the failure message prints.
/// </summary>
public static class StoreModel
{
    // Overlapping keys and prefixes, keys nested under keys, the orderings UTF-8 and UTF-16 disagree
    // on, and keys from the whole contract: folder markers, empty, '.' and '..' segments, a leading
    // '/', escape look-alikes, a backslash, a line break and a bidi override.
    private static readonly string[] KeyPool =
    [
        "a", "a/b", "a/b/c", "a.b", "a0", "ab", "b", "b/é", "b/😀", "\uE000", "c d/%2F+",
        "a/", "a//b", "/a", ".", "..", "d/..", "d/./e", "%", "%..", "e\\f", "n\nl", "\u202Er",
    ];
    private static readonly string[] PrefixPool = ["", "a", "a/", "a/b", "b/", "\uE000", "z", "/", "a//", ".", "%", "d/."];

    private static readonly Gen<string> Keys = Gen.OneOf(KeyPool);
    private static readonly Gen<string> Prefixes = Gen.OneOf(PrefixPool);

    // Mostly small objects, some of tens of KiB, a few of 1 MiB.
    private static readonly Gen<int> Sizes = Gen.Frequency((12, Gen.Int[0, 64]), (4, Gen.Int[65, 70_000]), (1, Gen.Const(1 << 20)));

    public static readonly Gen<Step> Steps = Gen.Frequency(
        (6, Gen.Select(Keys, Sizes, Gen.Int[0, 1000], Gen.Bool, Gen.Bool, (k, s, seed, stream, a) => (Step)new PutStep(k, s, seed, stream, a))),
        (3, Gen.Select(Keys, Gen.Bool, (k, a) => (Step)new GetStep(k, a))),
        (1, Gen.Select(Keys, Gen.Bool, (k, a) => (Step)new OpenReadStep(k, a))),
        (3, Gen.Select(Keys, Gen.Bool, (k, a) => (Step)new DeleteStep(k, a))),
        (2, Gen.Select(Keys, Gen.Bool, (k, a) => (Step)new ExistsStep(k, a))),
        (2, Gen.Select(Keys, Gen.Bool, (k, a) => (Step)new StatStep(k, a))),
        (2, Gen.Select(Prefixes, Gen.Bool, (p, a) => (Step)new KeysStep(p, a))),
        (1, Gen.Select(Prefixes, Gen.Bool, (p, a) => (Step)new ListStep(p, a))));

    public static readonly Gen<Step[]> Sequences = Steps.Array[1, 40];

    public static string Print(Step[] steps) =>
        $"{steps.Length} steps:{Environment.NewLine}  " + string.Join(Environment.NewLine + "  ", steps.Select(s => s.ToString()));

    /// <summary>Runs <paramref name="steps"/> on a fresh store from <paramref name="factory"/>, failing at the first answer the model disagrees with.</summary>
    public static async Task Run(StoreFactories.Factory factory, Step[] steps, CancellationToken cancellationToken)
    {
        using var subject = factory.Create();
        var store = subject.Store;
        var model = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        for (int i = 0; i < steps.Length; i++)
        {
            try
            {
                // A key a stand-in server cannot hold is not sent to it at all (see StoreFactories).
                if (KeyOf(steps[i]) is { } key && factory.CannotHold?.Invoke(key) is not null) continue;
                await Apply(store, model, steps[i], factory.KeysMayNestUnderKeys, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                throw new ModelMismatchException($"{factory.Name}: step {i + 1} ({steps[i]}) disagreed with the model: {ex.Message}", ex);
            }
        }
    }

    private static string? KeyOf(Step step) => step switch
    {
        PutStep s => s.Key,
        GetStep s => s.Key,
        OpenReadStep s => s.Key,
        DeleteStep s => s.Key,
        ExistsStep s => s.Key,
        StatStep s => s.Key,
        _ => null,
    };

    private static async Task Apply(ObjectStore store, Dictionary<string, byte[]> model, Step step, bool nestable, CancellationToken ct)
    {
        switch (step)
        {
            case PutStep put:
            {
                var data = TestData.Bytes(put.Size, put.Seed);
                var conflict = !nestable && model.Keys.Any(k => k.StartsWith(put.Key + "/", StringComparison.Ordinal) || put.Key.StartsWith(k + "/", StringComparison.Ordinal));
                var write = (put.AsStream, put.Async) switch
                {
                    (false, false) => Sync(() => store.Put(put.Key, data)),
                    (true, false) => Sync(() => store.Put(put.Key, new MemoryStream(data))),
                    (false, true) => store.PutAsync(put.Key, data, ct).AsTask(),
                    (true, true) => store.PutAsync(put.Key, new MemoryStream(data), ct).AsTask(),
                };
                if (conflict)
                {
                    await Assert.ThrowsAsync<InvalidKeyException>(() => write);
                    return;
                }
                await write;
                model[put.Key] = data;
                return;
            }
            case GetStep get:
                if (model.TryGetValue(get.Key, out var expected))
                    Assert.Equal(expected, get.Async ? await store.GetAsync(get.Key, ct) : store.Get(get.Key));
                else
                    await Assert.ThrowsAnyAsync<KeyNotFoundException>(async () => _ = get.Async ? await store.GetAsync(get.Key, ct) : store.Get(get.Key));
                return;
            case OpenReadStep open:
                if (model.TryGetValue(open.Key, out var content))
                {
                    await using var stream = open.Async ? await store.OpenReadAsync(open.Key, ct) : store.OpenRead(open.Key);
                    using var copy = new MemoryStream();
                    await stream.CopyToAsync(copy, ct);
                    Assert.Equal(content, copy.ToArray());
                }
                else
                    await Assert.ThrowsAnyAsync<KeyNotFoundException>(async () => _ = open.Async ? await store.OpenReadAsync(open.Key, ct) : store.OpenRead(open.Key));
                return;
            case DeleteStep delete:
                if (delete.Async) await store.DeleteAsync(delete.Key, ct);
                else store.Delete(delete.Key);
                model.Remove(delete.Key);
                return;
            case ExistsStep exists:
                Assert.Equal(model.ContainsKey(exists.Key), exists.Async ? await store.ExistsAsync(exists.Key, ct) : store.Exists(exists.Key));
                return;
            case StatStep stat:
            {
                var info = stat.Async ? await store.StatAsync(stat.Key, ct) : store.Stat(stat.Key);
                Assert.Equal(model.TryGetValue(stat.Key, out var data) ? data.Length : (long?)null, info?.Size);
                return;
            }
            case KeysStep keys:
            {
                var actual = new List<string>();
                if (keys.Async) await foreach (var key in store.KeysAsync(keys.Prefix, ct)) actual.Add(key);
                else actual.AddRange(store.Keys(keys.Prefix));
                Assert.Equal(Expected(model, keys.Prefix).Select(e => e.Key), actual);
                return;
            }
            case ListStep list:
            {
                var actual = new List<(string, long)>();
                if (list.Async) await foreach (var info in store.ListAsync(list.Prefix, ct)) actual.Add((info.Key, info.Size));
                else actual.AddRange(store.List(list.Prefix).Select(info => (info.Key, info.Size)));
                Assert.Equal(Expected(model, list.Prefix).Select(e => (e.Key, (long)e.Value.Length)), actual);
                return;
            }
            default:
                throw new InvalidOperationException($"unknown step {step}");
        }
    }

    private static IEnumerable<KeyValuePair<string, byte[]>> Expected(Dictionary<string, byte[]> model, string prefix) =>
        model.Where(e => e.Key.StartsWith(prefix, StringComparison.Ordinal)).OrderBy(e => e.Key, KeyComparer.Utf8);

    private static Task Sync(Action action)
    {
        try
        {
            action();
            return Task.CompletedTask;
        }
        catch (Exception ex)
        {
            return Task.FromException(ex);
        }
    }
}

public sealed class ModelMismatchException(string message, Exception inner) : Exception(message, inner);
