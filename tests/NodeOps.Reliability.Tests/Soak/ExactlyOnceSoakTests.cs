using System.Diagnostics;
using NodeOps.Emulator.Admin;
using Xunit.Abstractions;

namespace NodeOps.Reliability.Tests.Soak;

/// <summary>
/// A thousand nodes remediated through a network that fails one way or another on about a third of all
/// requests: each fault kind the emulator has (500/502/503, 429 with Retry-After, latency spikes, a
/// connection dropped after the server acted, a 200 with a corrupt body) on 10% of requests. The
/// operation is then rerun with the same key, as a runbook restarted from the top would, until every node
/// has a result. The server's own counts must show each node remediated exactly once.
/// </summary>
public sealed class ExactlyOnceSoakTests(SoakEmulator emulator, ITestOutputHelper output) : IClassFixture<SoakEmulator>
{
    private const int VoltageParkNodes = 500;
    private const int FleetSize = 5;
    private const int TogetherNodes = 500;
    private const int ClusterSize = 50;
    private const double FaultRate = 0.10;
    private const int MaxRounds = 6;


    [Fact]
    public async Task A_thousand_nodes_under_every_fault_are_each_remediated_exactly_once_and_each_gets_a_result_or_a_named_error()
    {
        var fleet = await SoakFleet.CreateAsync(emulator, "soak", VoltageParkNodes, FleetSize, TogetherNodes, ClusterSize);
        var nodes = fleet.All.ToList();
        Assert.Equal(1000, nodes.Count);

        var tracer = new CountingTracer();
        var clients = SoakClients.For(emulator, tracer);
        var operationKey = "soak-" + Guid.NewGuid();
        var reportedIds = new Dictionary<NodeRef, string>();
        var errorsPerRound = new List<int>();
        var errorKinds = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var pending = nodes.ToHashSet();
        var clock = Stopwatch.StartNew();

        await emulator.InjectEveryFaultAsync(FaultRate, seed: 20261202);
        try
        {
            for (var round = 1; round <= MaxRounds && pending.Count > 0; round++)
            {
                // A restart runs the whole script again: every node, same key, same batches, so nodes
                // that already succeeded are replayed, not remediated again.
                var results = await SoakClients.RemediateAsync(clients, nodes, operationKey);
                var counts = await emulator.Admin.GetCountsAsync();
                CheckRound(nodes, results, counts, reportedIds);
                pending.ExceptWith(results.Where(r => r.Succeeded).Select(r => r.Node));
                errorsPerRound.Add(results.Count(r => !r.Succeeded));
                foreach (var failed in results.Where(r => !r.Succeeded))
                {
                    var kind = failed.Error!.Kind.ToString();
                    errorKinds[kind] = errorKinds.GetValueOrDefault(kind) + 1;
                }
            }
        }
        finally
        {
            await emulator.ClearFaultsAsync();
        }

        clock.Stop();
        Assert.True(pending.Count == 0, $"{pending.Count} node(s) never succeeded in {MaxRounds} rounds: {string.Join(", ", pending.Take(10))}");

        var final = await emulator.Admin.GetCountsAsync();
        var duplicates = nodes.Where(n => SoakFleet.Count(final, n) > 1).ToList();
        var lost = nodes.Where(n => SoakFleet.Count(final, n) == 0).ToList();
        Assert.Empty(duplicates);
        Assert.Empty(lost);

        // Every remediation id a Together result reported is one the server holds, for that node (asked
        // by a client of its own, so the figures below count only the soak's requests).
        var checker = emulator.Client(CloudProvider.Together);
        foreach (var node in fleet.Together)
        {
            var held = await checker.GetRemediationAsync(new RemediationRef(reportedIds[node], node.Id, node.ClusterId));
            Assert.Equal(node.Id, held.NodeId);
            Assert.Equal(node.ClusterId, held.ClusterId);
        }

        output.WriteLine(Figures(final, tracer, errorsPerRound, errorKinds, clock.Elapsed, duplicates.Count, lost.Count));
    }

    /// <summary>
    /// After one round: one result per node; a success is backed by exactly one remediation on the server
    /// (and the same one every round); a failure names its node and says what went wrong.
    /// </summary>
    private static void CheckRound(List<NodeRef> nodes, List<RemediationResult> results, EmulatorCounts counts, Dictionary<NodeRef, string> reportedIds)
    {
        Assert.Equal(nodes.Count, results.Count);
        Assert.Equal(nodes.ToHashSet(), results.Select(r => r.Node).ToHashSet());
        foreach (var result in results)
        {
            var node = result.Node;
            var count = SoakFleet.Count(counts, node);
            Assert.True(count <= 1, $"{node} was remediated {count} times.");
            if (result.Succeeded)
            {
                Assert.True(count == 1, $"{node} was reported remediated, but the server holds no remediation of it.");
                var remediation = result.Remediation!;
                Assert.Equal(node.Id, remediation.NodeId);
                if (node.Provider == CloudProvider.VoltagePark)
                {
                    Assert.Equal(RemediationState.Accepted, remediation.State);
                }
                else
                {
                    Assert.NotNull(remediation.Id);
                    if (reportedIds.TryGetValue(node, out var earlier))
                    {
                        Assert.Equal(earlier, remediation.Id);
                    }

                    reportedIds[node] = remediation.Id!;
                }
            }
            else
            {
                var error = Assert.IsAssignableFrom<NodeOpsException>(result.Error);
                Assert.Contains(error.Kind, SoakClients.TransientKinds);
                var report = ErrorReport.From(error, node);
                Assert.Same(node, report.Target);
                Assert.False(string.IsNullOrWhiteSpace(report.Message));
            }
        }
    }


    private static string Figures(EmulatorCounts counts, CountingTracer tracer, List<int> errorsPerRound, SortedDictionary<string, int> errorKinds, TimeSpan elapsed, int duplicates, int lost)
    {
        var kinds = new[] { "status", "ratelimit", "latency", "drop-after", "malformed" };
        var faults = kinds.Select(k => $"{k}={counts.FaultCount("voltagepark", k) + counts.FaultCount("together", k)}");
        var requests = counts.RequestCount("voltagepark") + counts.RequestCount("together");
        return $"soak: nodes=1000 (VP {VoltageParkNodes} in {VoltageParkNodes / FleetSize} fleets, Together {TogetherNodes}) " +
            $"rounds={errorsPerRound.Count} errors-per-round=[{string.Join(",", errorsPerRound)}] " +
            $"errors-by-kind=[{string.Join(",", errorKinds.Select(e => $"{e.Key}={e.Value}"))}] " +
            $"requests={requests} client-attempts={tracer.Sent} retries={tracer.Retries} no-answer={tracer.NoAnswer} " +
            $"faults: {string.Join(" ", faults)} duplicates={duplicates} lost={lost} elapsed={elapsed.TotalSeconds:0.0}s";
    }
}
