using NodeOps.Bench.Hosting;
using NodeOps.Bench.Measure;
using NodeOps.Bench.Results;
using NodeOps.Engine;

namespace NodeOps.Bench.Scenarios;

/// <summary>
/// Scenario 3: remediate many nodes at once. Together takes one request per instance, sent with bounded
/// concurrency C, so the ideal is N / C round trips; Voltage Park takes a fleet's nodes as one JSON array
/// and documents no limit on its length, so the fewest requests for one fleet is one.
/// </summary>
internal sealed class FanOutScenario(BenchEmulator emulator, BenchOptions options, TextWriter log)
{
    public const double RatioGoal = 1.25;

    /// <summary>
    /// The largest batch Voltage Park's remediate endpoint accepts: none is documented (providers-api.md §1),
    /// so one request per fleet is the minimum.
    /// </summary>
    public static int? VoltageParkMaxBatch => null;

    public static int MinimumVoltageParkRequests(int nodes, int fleets) =>
        VoltageParkMaxBatch is { } max ? (nodes + max - 1) / max : fleets;

    public async Task<IReadOnlyList<ScenarioResult>> RunAsync(CancellationToken ct)
    {
        var results = new List<ScenarioResult>();
        foreach (var latency in options.LatenciesMs)
        {
            results.Add(await TogetherAsync(latency, ct).ConfigureAwait(false));
            log.WriteLine($"  fanout:together @{latency} ms: {results[^1]["wallMs"]:0} ms");
        }

        foreach (var latency in options.LatenciesMs)
        {
            results.Add(await VoltageParkAsync(latency, ct).ConfigureAwait(false));
            log.WriteLine($"  fanout:voltagepark @{latency} ms: {results[^1]["wallMs"]:0} ms");
        }

        return results;
    }

    private async Task<ScenarioResult> TogetherAsync(int latency, CancellationToken ct)
    {
        var n = options.FanOut;
        var c = options.Concurrency;

        // Clusters of 100 workers; a few extra nodes cover the ones seeded as deleted.
        await emulator.ResetAsync(n + Math.Max(10, n / 10), 100).ConfigureAwait(false);
        var client = BenchClients.Create(emulator, CloudProvider.Together, c);
        var targets = await client.GetNodesAsync(null, ct)
            .Select(node => new RemediationTarget(node.Id, node.ClusterId))
            .Take(n)
            .ToListAsync(ct).ConfigureAwait(false);
        if (targets.Count < n)
        {
            throw new InvalidOperationException($"The emulator seeded {targets.Count} Together instances, fewer than {n}.");
        }

        var settings = new RemediationSettings { Mode = "VmOnly", Reason = "NodeOps benchmark fan-out" };
        await Warmup.RunAsync(() => client.RemediateAsync(targets, settings, cancellationToken: ct).CountAsync(ct).AsTask(), options.WarmupPasses, ct).ConfigureAwait(false);
        await emulator.SetLatencyAsync(latency).ConfigureAwait(false);

        var (cost, server, succeeded, outcomes) = await MeasureAsync(client, targets, settings, ct).ConfigureAwait(false);
        var wallMs = cost.Wall.TotalMilliseconds;
        var result = new ScenarioResult { Scenario = "fanout", Variant = "together", LatencyMs = latency };
        result.Add("instances", n, "nodes")
            .Add("concurrency", c, "requests")
            .Add("outcomes", outcomes, "nodes")
            .Add("succeeded", succeeded, "nodes")
            .Add("requests", server.Requests[CloudProvider.Together], "requests")
            .Add("wallMs", wallMs, "ms")
            .Add("requestsPerSecond", server.Requests[CloudProvider.Together] / cost.Wall.TotalSeconds, "requests/s");
        if (latency > 0)
        {
            var ideal = (double)n / c * latency;
            result.Add("idealMs", ideal, "ms")
                .AddGoal("ratioToIdeal", wallMs / ideal, "x", $"<= {RatioGoal}x", wallMs / ideal <= RatioGoal);
        }

        result.Add("emulatorMsPerRequest", server.TotalServerMs / Math.Max(1, server.TotalRequests), "ms")
            .Add("jitMs", cost.JitTime.TotalMilliseconds, "ms")
            .Add("allocatedBytesPerRequest", (double)cost.AllocatedBytes / Math.Max(1, server.TotalRequests), "B/request")
            .Add("clientCpuUsPerRequest", cost.Cpu.TotalMilliseconds * 1000 / Math.Max(1, server.TotalRequests), "µs/request");
        result.Notes.Add($"ideal = {n} / C x latency with C = {c}");
        return result;
    }

    private async Task<ScenarioResult> VoltageParkAsync(int latency, CancellationToken ct)
    {
        var n = options.FanOut;

        // One fleet holding every node (a single fleet is ACTIVE); warmed up on it, then seeded afresh so
        // the measured request meets nodes nobody remediated yet.
        var client = BenchClients.Create(emulator, CloudProvider.VoltagePark);
        var settings = new RemediationSettings { Reason = "NodeOps benchmark fan-out", Cause = "BENCHMARK" };
        await emulator.ResetAsync(n, n).ConfigureAwait(false);
        var targets = await ListTargetsAsync(client, ct).ConfigureAwait(false);
        await Warmup.RunAsync(() => client.RemediateAsync(targets, settings, cancellationToken: ct).CountAsync(ct).AsTask(), options.WarmupPasses, ct).ConfigureAwait(false);
        await emulator.ResetAsync(n, n).ConfigureAwait(false);
        targets = await ListTargetsAsync(client, ct).ConfigureAwait(false);
        var fleets = targets.Select(t => t.ClusterId).Distinct().Count();
        await emulator.SetLatencyAsync(latency).ConfigureAwait(false);

        var (cost, server, accepted, outcomes) = await MeasureAsync(client, targets, settings, ct).ConfigureAwait(false);
        var requests = server.Requests[CloudProvider.VoltagePark];
        var minimum = MinimumVoltageParkRequests(targets.Count, fleets);
        var result = new ScenarioResult { Scenario = "fanout", Variant = "voltagepark", LatencyMs = latency };
        result.Add("nodes", targets.Count, "nodes")
            .Add("fleets", fleets, "fleets")
            .Add("outcomes", outcomes, "nodes")
            .Add("accepted", accepted, "nodes")
            .AddGoal("requests", requests, "requests", $"= {minimum} (the API's minimum)", requests == minimum)
            .Add("minimumRequests", minimum, "requests")
            .Add("wallMs", cost.Wall.TotalMilliseconds, "ms")
            .Add("emulatorMs", server.TotalServerMs, "ms")
            .Add("allocatedBytesPerNode", (double)cost.AllocatedBytes / targets.Count, "B/node")
            .Add("jitMs", cost.JitTime.TotalMilliseconds, "ms");
        result.Notes.Add("Voltage Park documents no maximum batch size, so the minimum is one request per fleet; accepted < nodes because only ACTIVE, READY and UNHEALTHY nodes can be remediated");
        return result;
    }

    private static Task<List<RemediationTarget>> ListTargetsAsync(NodeOpsClient client, CancellationToken ct) =>
        client.GetNodesAsync(null, ct).Select(node => new RemediationTarget(node.Id, node.ClusterId)).ToListAsync(ct).AsTask();

    private async Task<(RunCost Cost, ServerShare Server, int Succeeded, int Outcomes)> MeasureAsync(
        NodeOpsClient client, List<RemediationTarget> targets, RemediationSettings settings, CancellationToken ct)
    {
        var before = await emulator.CountsAsync().ConfigureAwait(false);
        var succeeded = 0;
        var outcomes = 0;
        RunCost cost;
        using (var meter = RunMeter.Start())
        {
            await foreach (var outcome in client.RemediateAsync(targets, settings, cancellationToken: ct).ConfigureAwait(false))
            {
                outcomes++;
                succeeded += outcome.Succeeded ? 1 : 0;
            }

            cost = meter.Stop();
        }

        var server = ServerShare.Between(before, await emulator.CountsAsync().ConfigureAwait(false));
        return (cost, server, succeeded, outcomes);
    }
}
