using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace NodeOps.Engine;

/// <summary>
/// Reads several paged listings (e.g. every Voltage Park fleet's nodes) one after another in their
/// order, while the listings after the one being read already fetch their pages. The pages of one
/// listing stay sequential (each needs the token of the one before); separate listings overlap, so a
/// walk over many fleets costs about as many round trips as its largest fleet instead of the sum of all.
/// Memory stays bounded: at most <c>maxListings</c> listings run at once, and each may get ahead of the
/// reader by only the pages it reserved (all reservations together within <c>pageBudget</c>) plus the one
/// page it holds while waiting to hand it over: at most <c>pageBudget + maxListings</c> pages in all.
/// </summary>
internal static class OrderedPrefetch
{
    /// <param name="listings">The listings, in the order their pages are yielded.</param>
    /// <param name="expectedPages">How many pages a listing is expected to have: what it may fetch ahead (at least 1, at most the budget).</param>
    /// <param name="open">Starts one listing: its pages, in order.</param>
    /// <param name="maxListings">Listings running at once (1 = strictly one after another).</param>
    /// <param name="pageBudget">Pages all running listings may hold ahead of the reader together.</param>
    /// <param name="cancellationToken">Stops everything; so does the reader leaving early.</param>
    public static async IAsyncEnumerable<TPage> ConcatAsync<TListing, TPage>(
        IAsyncEnumerable<TListing> listings,
        Func<TListing, int> expectedPages,
        Func<TListing, CancellationToken, IAsyncEnumerable<TPage>> open,
        int maxListings,
        int pageBudget,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxListings, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(pageBudget, 1);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var listingSlots = new SemaphoreSlim(maxListings, maxListings);
        using var pageSlots = new SemaphoreSlim(pageBudget, pageBudget);
        var lanes = Channel.CreateUnbounded<Lane<TPage>>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        // Written by the starter only, and read only after it has finished.
        var pumps = new List<Task>();

        // Only this task reserves slots (the reader only releases them), so reservations cannot deadlock:
        // the reader always drains the oldest listing, which frees its slots for the next one.
        var starter = Task.Run(
            async () =>
            {
                try
                {
                    await foreach (var listing in listings.WithCancellation(stop.Token).ConfigureAwait(false))
                    {
                        var reserved = Math.Clamp(expectedPages(listing), 1, pageBudget);
                        await listingSlots.WaitAsync(stop.Token).ConfigureAwait(false);
                        for (var i = 0; i < reserved; i++)
                        {
                            await pageSlots.WaitAsync(stop.Token).ConfigureAwait(false);
                        }

                        var lane = new Lane<TPage>(reserved);
                        pumps.Add(lane.PumpAsync(open(listing, stop.Token), stop.Token));
                        lanes.Writer.TryWrite(lane);
                    }

                    lanes.Writer.TryComplete();
                }
                catch (Exception ex)
                {
                    lanes.Writer.TryComplete(ex);
                }
            },
            CancellationToken.None);

        try
        {
            // A listing's failure surfaces when the reader reaches it, after every earlier listing's pages,
            // exactly where reading them one after another would have raised it.
            await foreach (var lane in lanes.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                await foreach (var page in lane.Pages.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
                {
                    yield return page;
                }

                pageSlots.Release(lane.Reserved);
                listingSlots.Release();
            }
        }
        finally
        {
            // The reader is done (or left early, or failed): stop the listings still running and wait for them,
            // so no request outlives the enumeration.
            await stop.CancelAsync().ConfigureAwait(false);
            await starter.ConfigureAwait(false);
            await Task.WhenAll(pumps).ConfigureAwait(false);
        }
    }

    private sealed class Lane<TPage>(int reserved)
    {
        public int Reserved { get; } = reserved;

        public Channel<TPage> Pages { get; } = Channel.CreateBounded<TPage>(new BoundedChannelOptions(reserved)
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });

        /// <summary>Copies the listing's pages into the lane; never throws (a failure completes the lane with it).</summary>
        public async Task PumpAsync(IAsyncEnumerable<TPage> pages, CancellationToken ct)
        {
            try
            {
                await foreach (var page in pages.WithCancellation(ct).ConfigureAwait(false))
                {
                    await Pages.Writer.WriteAsync(page, ct).ConfigureAwait(false);
                }

                Pages.Writer.TryComplete();
            }
            catch (Exception ex)
            {
                Pages.Writer.TryComplete(ex);
            }
        }
    }
}
