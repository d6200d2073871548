namespace NodeOps.Bench.Measure;

internal static class Stats
{
    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        if (sorted.Count == 0)
        {
            return double.NaN;
        }

        var mid = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    /// <summary>The element whose key is the median (the lower one for an even count), so its other figures stay consistent.</summary>
    public static T MedianBy<T>(IReadOnlyList<T> items, Func<T, double> key) => items.OrderBy(key).ElementAt((items.Count - 1) / 2);

    public static double Megabytes(long bytes) => bytes / (1024.0 * 1024.0);
}
