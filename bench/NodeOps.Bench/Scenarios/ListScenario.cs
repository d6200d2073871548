using System.Diagnostics;
using NodeOps.Bench.Hosting;
using NodeOps.Bench.Measure;
using NodeOps.Bench.Results;
using NodeOps.Engine;
using NodeOps.Engine.Providers.VoltagePark;

namespace NodeOps.Bench.Scenarios;

/// <summary>
/// Scenario 1: list every node of the four providers, providers concurrently (as Get-GpuNode does),
/// each listing streamed through <see cref="NodeOpsClient.GetNodesAsync"/>.
/// </summary>
internal sealed class ListScenario(BenchEmulator emulator, BenchOptions options, TextWriter log)
{
    public const double OverheadGoalMicroseconds = 20;
    public const double AllocationGoalBytes = 4096;

    private sealed record Listing(RunCost Cost, ServerShare Server, IReadOnlyDictionary<CloudProvider, (int Nodes, TimeSpan Done)> Providers)
    {
        public int Total => Providers.Values.Sum(p => p.Nodes);
    }

    public async Task<IReadOnlyList<ScenarioResult>> RunAsync(CancellationToken ct)
    {
        var perProvider = options.Nodes / BenchEmulator.Providers.Length;
        await emulator.ResetAsync(perProvider, options.NodesPerCluster).ConfigureAwait(false);
        var clients = BenchEmulator.Providers.ToDictionary(p => p, p => BenchClients.Create(emulator, p));

        // One call at a time, so that wall time is the sum of the requests' times (see Report).
        var sequentialClients = BenchEmulator.Providers.ToDictionary(p => p, p => BenchClients.Create(emulator, p, maxConcurrency: 1));
        var (floor, healthReads) = await LayoutAsync(clients, ct).ConfigureAwait(false);

        await emulator.SetLatencyAsync(0).ConfigureAwait(false);
        await Warmup.RunAsync(
            async () =>
            {
                await ListConcurrentlyAsync(clients, ct).ConfigureAwait(false);
                await ListSequentiallyAsync(sequentialClients, ct).ConfigureAwait(false);
            },
            options.WarmupPasses,
            ct).ConfigureAwait(false);

        var results = new List<ScenarioResult>();
        foreach (var latency in options.LatenciesMs)
        {
            await emulator.SetLatencyAsync(latency).ConfigureAwait(false);

            var concurrent = new List<Listing>();
            var sequential = new List<Listing>();
            for (var run = 0; run < options.ListRuns; run++)
            {
                concurrent.Add(await MeasureAsync(() => ListConcurrentlyAsync(clients, ct)).ConfigureAwait(false));
                sequential.Add(await MeasureAsync(() => ListSequentiallyAsync(sequentialClients, ct)).ConfigureAwait(false));
            }

            results.Add(Report(latency, perProvider, floor, healthReads, concurrent, sequential));
            log.WriteLine($"  list @{latency} ms: {Stats.Median(concurrent.Select(l => l.Cost.Wall.TotalMilliseconds)):0.0} ms");
        }

        return results;
    }

    private ScenarioResult Report(int latency, int perProvider, ListFloor floor, int healthReads, List<Listing> concurrent, List<Listing> sequential)
    {
        var median = Stats.MedianBy(concurrent, l => l.Cost.Wall.TotalMilliseconds);
        var nodes = median.Total;
        var wallMs = median.Cost.Wall.TotalMilliseconds;
        var result = new ScenarioResult { Scenario = "list", LatencyMs = latency };
        result.Add("nodes", nodes, "nodes")
            .Add("seededNodes", perProvider * BenchEmulator.Providers.Length, "nodes");
        foreach (var provider in BenchEmulator.Providers)
        {
            result.Add($"nodes.{BenchEmulator.Prefix(provider)}", median.Providers[provider].Nodes, "nodes");
        }

        foreach (var provider in BenchEmulator.Providers)
        {
            result.Add($"requests.{BenchEmulator.Prefix(provider)}", median.Server.Requests[provider], "requests");
        }

        foreach (var provider in BenchEmulator.Providers)
        {
            result.Add($"wallMs.{BenchEmulator.Prefix(provider)}", median.Providers[provider].Done.TotalMilliseconds, "ms");
        }

        result.Add("wallMs", wallMs, "ms")
            .Add("wallMinMs", concurrent.Min(l => l.Cost.Wall.TotalMilliseconds), "ms")
            .Add("nodesPerSecond", nodes / median.Cost.Wall.TotalSeconds, "nodes/s")
            .Add("floorRoundTrips", floor.Slowest, "round trips")
            .Add("floorRoundTrips.voltagepark", floor.RoundTrips[CloudProvider.VoltagePark], "round trips");
        if (latency > 0)
        {
            var floorMs = floor.Slowest * latency;
            result.Add("floorMs", floorMs, "ms").Add("ratioToFloor", wallMs / floorMs, "x");
        }

        // Client overhead from the sequential listings, where every request waits for the one before (except the
        // health reads, see OnPath): there the wall time is exactly the sum of (added latency + emulator time +
        // everything else) per request. The added latency is taken as it really elapsed in the emulator, not as
        // requests x latency.
        var overheads = sequential.Select(l =>
        {
            var (serverMs, delayMs) = OnPath(l.Server, healthReads);
            return (l.Cost.Wall.TotalMilliseconds - serverMs - delayMs) * 1000 / l.Total;
        }).ToList();
        var overhead = Stats.Median(overheads);
        var sequentialMedian = Stats.MedianBy(sequential, l => l.Cost.Wall.TotalMilliseconds);
        var onPath = OnPath(sequentialMedian.Server, healthReads);
        result.Add("sequentialWallMs", sequentialMedian.Cost.Wall.TotalMilliseconds, "ms")
            .Add("healthReadsBesidePages", healthReads, "requests")
            .Add("emulatorMs", onPath.ServerMs, "ms")
            .Add("addedLatencyMs", onPath.DelayMs, "ms")
            .AddGoal("clientOverheadUsPerNode", overhead, "µs/node", $"< {OverheadGoalMicroseconds} µs", overhead < OverheadGoalMicroseconds)
            .Add("clientCpuUsPerNode", median.Cost.Cpu.TotalMilliseconds * 1000 / nodes, "µs/node");

        var allocPerNode = (double)median.Cost.AllocatedBytes / nodes;
        result.AddGoal("allocatedBytesPerNode", allocPerNode, "B/node", $"< {AllocationGoalBytes} B", allocPerNode < AllocationGoalBytes)
            .Add("peakHeapMB", Stats.Megabytes(concurrent.Max(l => l.Cost.PeakHeapBytes)), "MB")
            .Add("baselineHeapMB", Stats.Megabytes(median.Cost.BaselineHeapBytes), "MB")
            .Add("jitMs", median.Cost.JitTime.TotalMilliseconds, "ms")
            .Add("gen0Collections", median.Cost.Gen0, "GCs")
            .Add("gen2Collections", median.Cost.Gen2, "GCs");

        result.Notes.Add($"median of {concurrent.Count} listings; providers concurrently; {options.NodesPerCluster} nodes per fleet/cluster");
        result.Notes.Add($"floor: {floor.SlowestProvider} needs {floor.Slowest} sequential round trips (fleet pages + the largest fleet's node pages)");
        result.Notes.Add("client overhead = (wall - emulator Server-Timing - added latency as it elapsed) / nodes, on listings with one request at a time (MaxConcurrency 1, providers one after another; a VP fleet's health read runs beside its first page and is not subtracted); includes loopback TCP and Kestrel's own request/response handling");
        if (!emulator.SeparateProcess)
        {
            result.Notes.Add("emulator in this process: allocation, CPU and heap figures include the emulator's");
        }

        return result;
    }

    /// <summary>
    /// The emulator time and added latency a sequential listing waited for: all of it but the health reads'
    /// share, which elapsed beside their fleets' first pages (Voltage Park's average per request, times their number).
    /// </summary>
    private static (double ServerMs, double DelayMs) OnPath(ServerShare server, int healthReads)
    {
        var vp = CloudProvider.VoltagePark;
        var beside = server.Requests[vp] == 0 ? 0 : (double)healthReads / server.Requests[vp];
        return (server.TotalServerMs - (server.ServerMs[vp] * beside), server.TotalDelayMs - (server.DelayMs[vp] * beside));
    }

    private async Task<Listing> MeasureAsync(Func<Task<Dictionary<CloudProvider, (int, TimeSpan)>>> list)
    {
        var before = await emulator.CountsAsync().ConfigureAwait(false);
        Dictionary<CloudProvider, (int, TimeSpan)> nodes;
        RunCost cost;
        using (var meter = RunMeter.Start())
        {
            nodes = await list().ConfigureAwait(false);
            cost = meter.Stop();
        }

        var after = await emulator.CountsAsync().ConfigureAwait(false);
        return new Listing(cost, ServerShare.Between(before, after), nodes);
    }

    /// <returns>Per provider: nodes listed, and when its listing ended (from the start of all).</returns>
    private static async Task<Dictionary<CloudProvider, (int, TimeSpan)>> ListConcurrentlyAsync(Dictionary<CloudProvider, NodeOpsClient> clients, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        var tasks = clients.ToDictionary(c => c.Key, c => Task.Run(
            async () =>
            {
                var count = await CountAsync(c.Value, ct).ConfigureAwait(false);
                return (count, Stopwatch.GetElapsedTime(started));
            },
            ct));
        await Task.WhenAll(tasks.Values).ConfigureAwait(false);
        return tasks.ToDictionary(t => t.Key, t => t.Value.Result);
    }

    private static async Task<Dictionary<CloudProvider, (int, TimeSpan)>> ListSequentiallyAsync(Dictionary<CloudProvider, NodeOpsClient> clients, CancellationToken ct)
    {
        var counts = new Dictionary<CloudProvider, (int, TimeSpan)>();
        foreach (var (provider, client) in clients)
        {
            var started = Stopwatch.GetTimestamp();
            counts[provider] = (await CountAsync(client, ct).ConfigureAwait(false), Stopwatch.GetElapsedTime(started));
        }

        return counts;
    }

    private static async Task<int> CountAsync(NodeOpsClient client, CancellationToken ct)
    {
        var count = 0;
        await foreach (var node in client.GetNodesAsync(null, ct).ConfigureAwait(false))
        {
            count += node.Id.Length > 0 ? 1 : 0;
        }

        return count;
    }

    /// <summary>
    /// The floor, which needs the layout (fleets and their sizes, and whether Together's list carries its workers),
    /// and the Voltage Park health reads of one listing: one per ACTIVE fleet (the others cannot report health),
    /// each beside the fleet's first page.
    /// </summary>
    private async Task<(ListFloor Floor, int HealthReads)> LayoutAsync(Dictionary<CloudProvider, NodeOpsClient> clients, CancellationToken ct)
    {
        var vp = clients[CloudProvider.VoltagePark];
        var fleets = 0;
        var active = 0;
        await foreach (var fleet in vp.ProviderClient<VoltageParkClient>().ListFleetsAsync(null, ct).ConfigureAwait(false))
        {
            fleets += fleet.Id.Length > 0 ? 1 : 0;
            active += VoltageParkClient.ReportsHealth(fleet.ProviderStatus) ? 1 : 0;
        }

        var perFleet = new Dictionary<string, int>(StringComparer.Ordinal);
        await foreach (var node in vp.GetNodesAsync(null, ct).ConfigureAwait(false))
        {
            perFleet[node.ClusterId!] = perFleet.GetValueOrDefault(node.ClusterId!) + 1;
        }

        var before = await emulator.CountsAsync().ConfigureAwait(false);
        await CountAsync(clients[CloudProvider.Together], ct).ConfigureAwait(false);
        var after = await emulator.CountsAsync().ConfigureAwait(false);
        var togetherRequests = ServerShare.Between(before, after).Requests[CloudProvider.Together];
        Debug.Assert(togetherRequests >= 1, "listing Together sends at least one request");
        return (ListFloor.Of(fleets, perFleet.Values, togetherListCarriesWorkers: togetherRequests == 1), active);
    }
}
