namespace NodeOps.Demo;

/// <summary>net8.0 has no LINQ over IAsyncEnumerable; the demo needs two operators.</summary>
internal static class AsyncSequence
{
    public static async Task<T> FirstAsync<T>(this IAsyncEnumerable<T> source, CancellationToken cancellationToken)
    {
        await foreach (var item in source.WithCancellation(cancellationToken))
        {
            return item;
        }

        throw new InvalidOperationException("The emulator returned nothing to demonstrate with.");
    }

    public static async Task<List<T>> ToListAsync<T>(this IAsyncEnumerable<T> source, CancellationToken cancellationToken)
    {
        var list = new List<T>();
        await foreach (var item in source.WithCancellation(cancellationToken))
        {
            list.Add(item);
        }

        return list;
    }
}
