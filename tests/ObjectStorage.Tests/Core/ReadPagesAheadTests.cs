using System.Collections.Concurrent;

namespace ObjectStorage.Tests.Core;

/// <summary>
/// <c>ObjectStore.ReadPagesAhead</c>, the helper paged listings (S3, Azure) use, on pages made in the test: the order, the
/// page asked for ahead, and what an early stop, a failing page and the caller's cancellation do.
/// </summary>
public sealed class ReadPagesAheadTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    // ObjectStore has no abstract members; this one only opens the protected helper to the tests.
    private sealed class Paged : ObjectStore
    {
        public static IAsyncEnumerable<TPage> Read<TPage>(Func<string?, CancellationToken, Task<(TPage Page, string? Next)>> fetch, CancellationToken cancellationToken) =>
            ReadPagesAhead(fetch, cancellationToken);
    }

    // Pages "0" to "last", each naming the next; every fetch is recorded with the token it was given.
    private sealed class Source(int last)
    {
        public ConcurrentQueue<string?> Asked { get; } = new();

        public Func<string?, CancellationToken, Task<(string Page, string? Next)>>? Override { get; init; }

        public Task<(string Page, string? Next)> Fetch(string? token, CancellationToken cancellationToken)
        {
            Asked.Enqueue(token);
            if (Override is not null && token is not null) return Override(token, cancellationToken);
            int page = token is null ? 0 : int.Parse(token, System.Globalization.CultureInfo.InvariantCulture);
            return Task.FromResult((page.ToString(System.Globalization.CultureInfo.InvariantCulture), page < last ? (page + 1).ToString(System.Globalization.CultureInfo.InvariantCulture) : null));
        }
    }

    [Fact]
    public async Task Every_page_comes_once_in_order_and_the_next_is_asked_for_before_this_one_is_handed_out()
    {
        var source = new Source(last: 3);
        var seen = new List<(string Page, string?[] AskedSoFar)>();

        await foreach (var page in Paged.Read<string>(source.Fetch, Ct)) seen.Add((page, [.. source.Asked]));

        Assert.Equal(["0", "1", "2", "3"], seen.Select(static s => s.Page));
        Assert.Equal([null, "1"], seen[0].AskedSoFar);
        Assert.Equal([null, "1", "2", "3"], seen[3].AskedSoFar); // none past the last
    }

    [Fact(Timeout = 30_000)]
    public async Task Stopping_early_cancels_the_page_in_flight_and_does_not_throw_its_failure()
    {
        // Were the page in flight never cancelled, the test would wait for it: the timeout cancels the token it waits on.
        TestContext.Current.CancellationToken.ThrowIfCancellationRequested();
        var cancelled = new TaskCompletionSource();
        var source = new Source(last: 5)
        {
            Override = async (_, ct) =>
            {
                await using (ct.Register(() => cancelled.TrySetResult()))
                    await Task.Delay(Timeout.Infinite, ct);
                throw new InvalidOperationException("unreachable");
            },
        };

        await foreach (var page in Paged.Read<string>(source.Fetch, Ct))
        {
            Assert.Equal("0", page);
            break;
        }

        Assert.True(cancelled.Task.IsCompleted, "the page asked for ahead was not cancelled");
    }

    [Fact]
    public async Task A_page_that_fails_throws_to_the_caller_that_reaches_it()
    {
        var source = new Source(last: 5) { Override = static (_, _) => Task.FromException<(string, string?)>(new IOException("page 1 is lost")) };
        var pages = new List<string>();

        var error = await Assert.ThrowsAsync<IOException>(async () =>
        {
            await foreach (var page in Paged.Read<string>(source.Fetch, Ct)) pages.Add(page);
        });

        Assert.Equal(["0"], pages);
        Assert.Equal("page 1 is lost", error.Message);
    }

    [Fact(Timeout = 30_000)]
    public async Task The_callers_cancellation_reaches_the_page_in_flight()
    {
        // Were the page in flight never cancelled, the test would wait for it: the timeout cancels the token it waits on.
        TestContext.Current.CancellationToken.ThrowIfCancellationRequested();
        using var caller = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var source = new Source(last: 5)
        {
            Override = static async (_, ct) =>
            {
                await Task.Delay(Timeout.Infinite, ct);
                return ("never", null);
            },
        };
        var pages = Paged.Read<string>(source.Fetch, caller.Token).GetAsyncEnumerator(Ct);
        Assert.True(await pages.MoveNextAsync());

        var waiting = pages.MoveNextAsync().AsTask();
        await caller.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        await pages.DisposeAsync();
    }
}
