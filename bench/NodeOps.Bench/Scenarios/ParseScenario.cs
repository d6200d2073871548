using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using NodeOps.Bench.Hosting;
using NodeOps.Bench.Measure;
using NodeOps.Bench.Results;
using NodeOps.Engine;
using NodeOps.Engine.Providers.SfCompute;

namespace NodeOps.Bench.Scenarios;

/// <summary>
/// Scenario 4: throughput of each provider's node and remediation payloads through the engine's
/// deserialisation and mapping alone (no HTTP). Payloads are real emulator replies at the listing's sizes.
/// Runs on one thread, so the thread's allocation counter is exact.
/// </summary>
internal sealed class ParseScenario(BenchEmulator emulator, BenchOptions options, TextWriter log)
{
    private static long _sink;

    public async Task<IReadOnlyList<ScenarioResult>> RunAsync(CancellationToken ct)
    {
        var codecs = await PayloadsAsync(ct).ConfigureAwait(false);
        var results = new List<ScenarioResult>();
        foreach (var codec in codecs)
        {
            results.Add(Measure(codec));
            log.WriteLine($"  parse:{codec.Name}: {results[^1]["megabytesPerSecond"]:0} MB/s");
        }

        return results;
    }

    private ScenarioResult Measure(PayloadCodec codec)
    {
        var objects = codec.Read(codec.Payload);
        if (objects != codec.Objects)
        {
            throw new InvalidOperationException($"{codec.Name}: read {objects} objects, expected {codec.Objects}.");
        }

        // Warm-up so the measured loop runs tiered-up code.
        Loop(codec, TimeSpan.FromMilliseconds(Math.Max(options.ParseMs / 2, 10)));
        Warmup.RunAsync(() => Task.Run(() => Loop(codec, TimeSpan.FromMilliseconds(Math.Max(options.ParseMs / 4, 10)))), options.WarmupPasses, CancellationToken.None).GetAwaiter().GetResult();
        GC.Collect();
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        RunMeter.Profiler?.Start();
        var (iterations, elapsed) = Loop(codec, TimeSpan.FromMilliseconds(options.ParseMs));
        RunMeter.Profiler?.Stop();
        allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;

        var seconds = elapsed.TotalSeconds;
        var result = new ScenarioResult { Scenario = "parse", Variant = codec.Name, LatencyMs = 0 };
        result.Add("payloadBytes", codec.Payload.Length, "B")
            .Add("objectsPerPayload", objects, "objects")
            .Add("iterations", iterations, "reads")
            .Add("megabytesPerSecond", Stats.Megabytes((long)codec.Payload.Length * iterations) / seconds, "MB/s")
            .Add("objectsPerSecond", (double)objects * iterations / seconds, "objects/s")
            .Add("microsecondsPerObject", seconds * 1e6 / ((double)objects * iterations), "µs/object")
            .Add("allocatedBytesPerObject", (double)allocated / ((double)objects * iterations), "B/object");
        return result;
    }

    private static (int Iterations, TimeSpan Elapsed) Loop(PayloadCodec codec, TimeSpan duration)
    {
        var started = Stopwatch.GetTimestamp();
        var iterations = 0;
        long sink = 0;
        TimeSpan elapsed;
        do
        {
            sink += codec.Read(codec.Payload);
            iterations++;
            elapsed = Stopwatch.GetElapsedTime(started);
        }
        while (elapsed < duration || iterations < 3);

        Interlocked.Add(ref _sink, sink);
        return (iterations, elapsed);
    }

    /// <summary>Real replies from the emulator, seeded as for the listing.</summary>
    private async Task<List<PayloadCodec>> PayloadsAsync(CancellationToken ct)
    {
        await emulator.ResetAsync(options.Nodes / BenchEmulator.Providers.Length, options.NodesPerCluster).ConfigureAwait(false);
        using var http = new HttpClient { BaseAddress = emulator.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", BenchEmulator.Token);

        var vp = BenchClients.Create(emulator, CloudProvider.VoltagePark);
        var vpNodes = await vp.GetNodesAsync(null, ct).Take(100).ToListAsync(ct).ConfigureAwait(false);
        var fleetId = vpNodes[0].ClusterId!;
        var vpPage = await GetAsync(http, $"voltagepark/v1/fleets/{fleetId}/nodes?limit=100", ct).ConfigureAwait(false);
        var remediate = "[" + string.Join(",", vpNodes.Where(n => n.ClusterId == fleetId).Select(n => $$"""{"nodeId":"{{n.Id}}","message":"bench","cause":"BENCHMARK"}""")) + "]";
        var vpReply = await SendAsync(http, HttpMethod.Post, $"voltagepark/v1/fleets/{fleetId}/nodes/remediate", remediate, ct).ConfigureAwait(false);

        var together = BenchClients.Create(emulator, CloudProvider.Together);
        var clusterId = (await together.GetClustersAsync(ct).FirstAsync(ct).ConfigureAwait(false)).Id;
        var tgCluster = await GetAsync(http, $"together/v1/compute/clusters/{clusterId}", ct).ConfigureAwait(false);
        await emulator.Admin.AddTogetherHistoryAsync(clusterId, 1000, ct).ConfigureAwait(false);
        var tgRemediations = await GetAsync(http, $"together/v1/compute/clusters/{clusterId}/instances/-/remediations?page_size=1000", ct).ConfigureAwait(false);

        var exNodes = await GetAsync(http, "exalsius/v1/nodes", ct).ConfigureAwait(false);
        var sfNodes = await GetAsync(http, "sfcompute/v1/nodes", ct).ConfigureAwait(false);
        var sf = BenchClients.Create(emulator, CloudProvider.SFCompute);
        var running = await sf.GetNodesAsync(null, ct).OfType<SfComputeNode>()
            .FirstAsync(n => n.ProviderStatus == "running" && string.Equals(n.CurrentVm?.Status, "running", StringComparison.OrdinalIgnoreCase), ct).ConfigureAwait(false);
        var sfRedeploy = await SendAsync(http, HttpMethod.Put, $"sfcompute/v1/nodes/{running.Id}/redeploy", "{}", ct).ConfigureAwait(false);

        var codecs = new List<PayloadCodec>
        {
            new("voltagepark.nodes", vpPage, PayloadCodecs.VoltageParkNodes(fleetId)),
            new("voltagepark.remediations", vpReply, PayloadCodecs.VoltageParkRemediations(fleetId)),
            new("exalsius.nodes", exNodes, PayloadCodecs.ExalsiusNodes),
            new("together.nodes", tgCluster, PayloadCodecs.TogetherNodes),
            new("together.remediations", tgRemediations, PayloadCodecs.TogetherRemediations(clusterId)),
            new("sfcompute.nodes", sfNodes, PayloadCodecs.SfComputeNodes),
            new("sfcompute.remediations", sfRedeploy, PayloadCodecs.SfComputeRedeploy),
        };
        return codecs.Select(c => c with { Objects = c.Read(c.Payload) }).ToList();
    }

    private static async Task<byte[]> GetAsync(HttpClient http, string path, CancellationToken ct)
    {
        using var response = await http.GetAsync(new Uri(path, UriKind.Relative), ct).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsByteArrayAsync(ct).ConfigureAwait(false);
    }

    private static async Task<byte[]> SendAsync(HttpClient http, HttpMethod method, string path, string json, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative)) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        using var response = await http.SendAsync(request, ct).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsByteArrayAsync(ct).ConfigureAwait(false);
    }
}
