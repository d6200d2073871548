using NodeOps.Bench.Hosting;
using NodeOps.Bench.Measure;
using NodeOps.Bench.Results;
using NodeOps.Engine;

namespace NodeOps.Bench.Scenarios;

/// <summary>
/// Scenario 2: stream one Together cluster's whole remediation history page by page. The heap must not grow
/// with the count: the peak in the last tenth of the stream is compared with the peak in the first tenth,
/// and the live heap (after a full collection) at 10 % with the one at 90 %.
/// </summary>
internal sealed class StreamingScenario(BenchEmulator emulator, BenchOptions options, TextWriter log)
{
    /// <summary>Peak of the last tenth over the peak of the first tenth: a heap that held on to items would grow tenfold.</summary>
    public const double PeakGrowthGoal = 1.25;

    public async Task<IReadOnlyList<ScenarioResult>> RunAsync(CancellationToken ct)
    {
        await emulator.ResetAsync(nodesPerProvider: 20, nodesPerCluster: 20).ConfigureAwait(false);
        var client = BenchClients.Create(emulator, CloudProvider.Together);
        var cluster = await client.GetClustersAsync(ct).FirstAsync(ct).ConfigureAwait(false);
        var seeded = await client.GetRemediationsAsync(new RemediationQuery { ClusterId = cluster.Id, PageSize = options.RemediationPageSize }, ct).CountAsync(ct).ConfigureAwait(false);
        var total = options.Remediations;
        if (total > seeded)
        {
            total = await emulator.Admin.AddTogetherHistoryAsync(cluster.Id, total - seeded, ct).ConfigureAwait(false);
        }

        await emulator.SetLatencyAsync(0).ConfigureAwait(false);
        await Warmup.RunAsync(
            () => client.GetRemediationsAsync(Query(cluster.Id), ct).Take(Math.Min(total, 20 * options.RemediationPageSize)).CountAsync(ct).AsTask(),
            options.WarmupPasses,
            ct).ConfigureAwait(false);

        var results = new List<ScenarioResult>();
        foreach (var latency in options.LatenciesMs)
        {
            await emulator.SetLatencyAsync(latency).ConfigureAwait(false);
            results.Add(await MeasureAsync(client, cluster.Id, total, latency, ct).ConfigureAwait(false));
            log.WriteLine($"  streaming @{latency} ms: {results[^1]["wallMs"]:0} ms");
        }

        return results;
    }

    private RemediationQuery Query(string clusterId) => new() { ClusterId = clusterId, PageSize = options.RemediationPageSize };

    private async Task<ScenarioResult> MeasureAsync(NodeOpsClient client, string clusterId, int expected, int latency, CancellationToken ct)
    {
        var tenth = Math.Max(1, expected / 10);
        var before = await emulator.CountsAsync().ConfigureAwait(false);
        var count = 0;
        long firstTenthPeak = 0;
        long lastTenthPeak = 0;
        long liveAtTenPercent = 0;
        long liveAtNinetyPercent = 0;
        TimeSpan paused = TimeSpan.Zero;
        RunCost cost;
        using (var meter = RunMeter.Start())
        {
            await foreach (var remediation in client.GetRemediationsAsync(Query(clusterId), ct).ConfigureAwait(false))
            {
                count += remediation.Id is null ? 0 : 1;
                if (count == tenth)
                {
                    firstTenthPeak = meter.Heap.Sample();
                    liveAtTenPercent = LiveHeap(ref paused);
                }
                else if (count == expected - tenth)
                {
                    liveAtNinetyPercent = LiveHeap(ref paused);
                    meter.Heap.ResetPeak();
                }
            }

            lastTenthPeak = meter.Heap.Sample();
            cost = meter.Stop();
        }

        var server = ServerShare.Between(before, await emulator.CountsAsync().ConfigureAwait(false));
        var wall = cost.Wall - paused;
        var peakGrowth = (double)lastTenthPeak / firstTenthPeak;
        var liveGrowth = Stats.Megabytes(liveAtNinetyPercent - liveAtTenPercent);
        var result = new ScenarioResult { Scenario = "streaming", LatencyMs = latency };
        result.Add("remediations", count, "items")
            .Add("expected", expected, "items")
            .Add("pageSize", options.RemediationPageSize, "items")
            .Add("requests", server.Requests[CloudProvider.Together], "requests")
            .Add("wallMs", wall.TotalMilliseconds, "ms")
            .Add("emulatorMs", server.TotalServerMs, "ms")
            .Add("addedLatencyMs", server.TotalDelayMs, "ms")
            .Add("itemsPerSecond", count / wall.TotalSeconds, "items/s")
            .Add("allocatedBytesPerItem", (double)cost.AllocatedBytes / count, "B/item")
            .Add("peakHeapMB", Stats.Megabytes(cost.PeakHeapBytes), "MB")
            .Add("peakHeapFirstTenthMB", Stats.Megabytes(firstTenthPeak), "MB")
            .Add("peakHeapLastTenthMB", Stats.Megabytes(lastTenthPeak), "MB")
            .AddGoal("peakHeapGrowth", peakGrowth, "x", $"<= {PeakGrowthGoal}x (flat)", peakGrowth <= PeakGrowthGoal)
            .Add("liveHeapGrowthMB", liveGrowth, "MB")
            .Add("baselineHeapMB", Stats.Megabytes(cost.BaselineHeapBytes), "MB")
            .Add("jitMs", cost.JitTime.TotalMilliseconds, "ms");
        result.Notes.Add("peak heap sampled every ms without collecting (garbage included); live heap after a full collection at 10 % and 90 % of the stream (those pauses are not in wallMs)");
        if (!emulator.SeparateProcess)
        {
            result.Notes.Add("emulator in this process: heap and allocation figures include the emulator's");
        }

        return result;
    }

    private static long LiveHeap(ref TimeSpan paused)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var live = GC.GetTotalMemory(forceFullCollection: true);
        paused += System.Diagnostics.Stopwatch.GetElapsedTime(started);
        return live;
    }
}
