using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace NodeOps.Engine;

/// <summary>Runs work with at most N calls in flight and yields results as they complete.</summary>
internal static class BoundedFanOut
{
    public static async IAsyncEnumerable<TOut> RunAsync<TIn, TOut>(
        IReadOnlyList<TIn> items,
        int maxConcurrency,
        Func<TIn, CancellationToken, Task<TOut>> work,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (items.Count == 0)
        {
            yield break;
        }

        var channel = Channel.CreateUnbounded<TOut>(new UnboundedChannelOptions { SingleReader = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var producer = Task.Run(
            async () =>
            {
                try
                {
                    await Parallel.ForEachAsync(
                        items,
                        new ParallelOptions { MaxDegreeOfParallelism = maxConcurrency, CancellationToken = stop.Token },
                        async (item, ct) => await channel.Writer.WriteAsync(await work(item, ct).ConfigureAwait(false), ct).ConfigureAwait(false))
                        .ConfigureAwait(false);
                    channel.Writer.TryComplete();
                }
                catch (Exception ex)
                {
                    channel.Writer.TryComplete(ex);
                }
            },
            CancellationToken.None);

        try
        {
            await foreach (var result in channel.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                yield return result;
            }
        }
        finally
        {
            // The consumer stopped early (or failed): stop launching work and let running calls end.
            await stop.CancelAsync().ConfigureAwait(false);
            await producer.ConfigureAwait(false);
        }
    }

    /// <summary>Interleaves several streams, yielding each item as soon as its stream produces it.</summary>
    public static async IAsyncEnumerable<T> MergeAsync<T>(
        IReadOnlyList<IAsyncEnumerable<T>> sources,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (sources.Count == 1)
        {
            await foreach (var item in sources[0].WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                yield return item;
            }

            yield break;
        }

        var channel = Channel.CreateUnbounded<T>(new UnboundedChannelOptions { SingleReader = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var pumps = sources.Select(source => Task.Run(
            async () =>
            {
                await foreach (var item in source.WithCancellation(stop.Token).ConfigureAwait(false))
                {
                    await channel.Writer.WriteAsync(item, stop.Token).ConfigureAwait(false);
                }
            },
            CancellationToken.None)).ToArray();
        var all = Task.WhenAll(pumps).ContinueWith(
            t => channel.Writer.TryComplete(t.Exception?.InnerException),
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);

        try
        {
            await foreach (var item in channel.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                yield return item;
            }
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await all.ConfigureAwait(false);
        }
    }
}
