using NodeOps.Engine;
using NodeOps.Engine.Providers.VoltagePark;

namespace NodeOps.Bench.Scenarios;

/// <summary>
/// The fewest round trips one after another that listing everything needs, per provider, whatever the
/// client does: a page's token comes from the page before it, so the pages of one listing are sequential,
/// while separate listings (providers, fleets) and requests that depend on nothing (a fleet's health)
/// can overlap. Times the added latency, that is the floor the network allows.
/// </summary>
internal sealed record ListFloor(IReadOnlyDictionary<CloudProvider, int> RoundTrips)
{
    public int Slowest => RoundTrips.Values.Max();

    public CloudProvider SlowestProvider => RoundTrips.MaxBy(p => p.Value).Key;

    /// <param name="fleets">Voltage Park fleets.</param>
    /// <param name="nodesPerFleet">Voltage Park nodes in each fleet.</param>
    /// <param name="togetherListCarriesWorkers">Whether Together's cluster list includes the worker nodes (else each cluster is read too).</param>
    public static ListFloor Of(int fleets, IEnumerable<int> nodesPerFleet, bool togetherListCarriesWorkers)
    {
        // Voltage Park: the fleet pages, then the longest fleet's node pages (an empty fleet still takes one).
        var fleetPages = Math.Max(1, Pages(fleets, VoltageParkClient.MaxPageSize));
        var nodePages = nodesPerFleet.Select(n => Math.Max(1, Pages(n, VoltageParkClient.MaxPageSize))).DefaultIfEmpty(0).Max();
        return new ListFloor(new Dictionary<CloudProvider, int>
        {
            [CloudProvider.VoltagePark] = fleetPages + nodePages,

            // Together: the cluster list, plus one overlapping round of cluster reads when the list lacks workers.
            [CloudProvider.Together] = togetherListCarriesWorkers ? 1 : 2,

            // Exalsius and SF Compute do not page: one request each.
            [CloudProvider.Exalsius] = 1,
            [CloudProvider.SFCompute] = 1,
        });
    }

    private static int Pages(int items, int pageSize) => (items + pageSize - 1) / pageSize;
}
