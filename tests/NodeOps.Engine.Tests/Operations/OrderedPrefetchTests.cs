using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace NodeOps.Engine.Tests.Operations;

/// <summary>
/// The read-ahead behind listing every Voltage Park fleet: pages come out in listing order, later listings
/// fetch while an earlier one is read, within the listing and page limits, and nothing outlives the reader.
/// </summary>
public sealed class OrderedPrefetchTests
{
    /// <summary>Synthetic listings: each page takes <c>delay</c> to "arrive"; counts what ran at once.</summary>
    private sealed class Source(int listings, int pagesEach, Func<int, TimeSpan> delay)
    {
        public Source(int listings, int pagesEach, TimeSpan delay)
            : this(listings, pagesEach, _ => delay)
        {
        }

        private int _running;
        private int _fetched;

        public int MaxRunning { get; private set; }

        public int Fetched => Volatile.Read(ref _fetched);

        public int Opened { get; private set; }

        public int Cancelled { get; private set; }

        public int Running => Volatile.Read(ref _running);

        public Func<int, int>? FailAt { get; init; }

        public async IAsyncEnumerable<int> ListingsAsync([EnumeratorCancellation] CancellationToken ct = default)
        {
            for (var i = 0; i < listings; i++)
            {
                await Task.Yield();
                ct.ThrowIfCancellationRequested();
                yield return i;
            }
        }

        public async IAsyncEnumerable<string> PagesAsync(int listing, [EnumeratorCancellation] CancellationToken ct)
        {
            lock (this)
            {
                Opened++;
                MaxRunning = Math.Max(MaxRunning, ++_running);
            }

            try
            {
                for (var page = 0; page < pagesEach; page++)
                {
                    try
                    {
                        await Task.Delay(delay(listing), ct);
                    }
                    catch (OperationCanceledException)
                    {
                        lock (this)
                        {
                            Cancelled++;
                        }

                        throw;
                    }

                    if (FailAt?.Invoke(listing) == page)
                    {
                        throw new NodeOpsException(ErrorKind.NotFound, $"listing {listing} page {page} failed");
                    }

                    Interlocked.Increment(ref _fetched);
                    yield return $"{listing}.{page}";
                }
            }
            finally
            {
                lock (this)
                {
                    _running--;
                }
            }
        }

        public IAsyncEnumerable<string> Concat(int maxListings, int pageBudget, CancellationToken ct = default) =>
            OrderedPrefetch.ConcatAsync(ListingsAsync(), _ => pagesEach, PagesAsync, maxListings, pageBudget, ct);
    }

    private static List<string> Expected(int listings, int pages) =>
        [.. Enumerable.Range(0, listings).SelectMany(l => Enumerable.Range(0, pages).Select(p => $"{l}.{p}"))];

    [Fact]
    public async Task Yields_every_page_in_listing_order_while_later_listings_run_alongside()
    {
        var source = new Source(listings: 6, pagesEach: 3, delay: TimeSpan.FromMilliseconds(40));

        var pages = await source.Concat(maxListings: 6, pageBudget: 32).ToListAsync();

        Assert.Equal(Expected(6, 3), pages);
        Assert.Equal(6, source.MaxRunning);
    }

    /// <summary>Waits (at most 10 s) until <paramref name="done"/> holds: thread-pool timing is not the subject here.</summary>
    private static async Task Eventually(Func<bool> done)
    {
        for (var waited = 0; !done() && waited < 10_000; waited += 20)
        {
            await Task.Delay(20);
        }
    }

    [Fact]
    public async Task One_listing_at_a_time_is_strictly_sequential()
    {
        var source = new Source(listings: 4, pagesEach: 2, delay: TimeSpan.FromMilliseconds(5));

        var pages = await source.Concat(maxListings: 1, pageBudget: 32).ToListAsync();

        Assert.Equal(Expected(4, 2), pages);
        Assert.Equal(1, source.MaxRunning);
    }

    [Fact]
    public async Task Runs_at_most_maxListings_at_once()
    {
        var source = new Source(listings: 20, pagesEach: 1, delay: TimeSpan.FromMilliseconds(20));

        var pages = await source.Concat(maxListings: 4, pageBudget: 32).ToListAsync();

        Assert.Equal(Expected(20, 1), pages);
        Assert.InRange(source.MaxRunning, 2, 4);
    }

    [Fact]
    public async Task A_reader_that_pauses_holds_back_the_listings_ahead_within_the_page_budget()
    {
        // Listings of 4 pages reserve 4 pages each: a budget of 8 lets two run, however many are allowed.
        var source = new Source(listings: 10, pagesEach: 4, delay: TimeSpan.FromMilliseconds(1));
        await using var reader = source.Concat(maxListings: 8, pageBudget: 8).GetAsyncEnumerator();
        Assert.True(await reader.MoveNextAsync());
        Assert.Equal("0.0", reader.Current);

        await Eventually(() => source.Opened >= 2 && source.Fetched >= 2);
        await Task.Delay(300);

        // Each running listing may hold its reserved pages plus the one it is handing over.
        Assert.Equal(2, source.Opened);
        Assert.InRange(source.Fetched, 2, 2 * (4 + 1));
    }

    [Fact]
    public async Task A_failing_listing_fails_the_enumeration_after_every_earlier_page()
    {
        var source = new Source(listings: 4, pagesEach: 2, delay: TimeSpan.FromMilliseconds(10)) { FailAt = l => l == 2 ? 1 : -1 };
        var seen = new List<string>();

        var ex = await Assert.ThrowsAsync<NodeOpsException>(async () =>
        {
            await foreach (var page in source.Concat(maxListings: 4, pageBudget: 32))
            {
                seen.Add(page);
            }
        });

        Assert.Equal("listing 2 page 1 failed", ex.Message);
        Assert.Equal(["0.0", "0.1", "1.0", "1.1", "2.0"], seen);
    }

    [Fact]
    public async Task A_reader_that_stops_early_cancels_the_listings_ahead_and_waits_for_them()
    {
        var source = new Source(listings: 5, pagesEach: 3, delay: l => l == 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(30));
        var watch = Stopwatch.StartNew();

        await using (var reader = source.Concat(maxListings: 4, pageBudget: 32).GetAsyncEnumerator())
        {
            Assert.True(await reader.MoveNextAsync());
            Assert.Equal("0.0", reader.Current);
            await Eventually(() => source.Opened == 4 && source.Running == 3);
            Assert.Equal(4, source.Opened);
        }

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"took {watch.Elapsed.TotalMilliseconds:0} ms");
        Assert.Equal(3, source.Cancelled);
        Assert.Equal(0, source.Running);
        Assert.Equal(3, source.Fetched);
    }
}
