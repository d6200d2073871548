using NodeOps.Emulator;
using NodeOps.Emulator.Admin;

namespace NodeOps.Reliability.Tests.Soak;

/// <summary>
/// Several runbooks (threads) at once. Separate operations over overlapping nodes must each be carried
/// out or refused by the provider, never lost; the same operation started several times at once must be
/// carried out once.
/// </summary>
public sealed class ConcurrentOperationsTests(SoakEmulator emulator) : IClassFixture<SoakEmulator>
{
    private const int Threads = 4;
    private const int MaxRounds = 6;


    [Fact]
    public async Task Separate_operations_over_overlapping_nodes_lose_nothing_and_the_server_holds_exactly_what_they_report()
    {
        var fleet = await SoakFleet.CreateAsync(emulator, "overlap", voltageParkNodes: 100, fleetSize: 10, togetherNodes: 100, clusterSize: 25);
        var nodes = fleet.All.ToList();

        // Operation k takes a window of half the nodes, starting a quarter further on: every node is in
        // exactly two operations, and each pair of neighbouring operations shares a quarter.
        var windows = Enumerable.Range(0, Threads)
            .Select(k => fleet.VoltagePark.Concat(fleet.Together).Where((_, i) => Covers(k, i % 100)).ToList())
            .ToList();

        await emulator.InjectEveryFaultAsync(0.10, seed: 7);
        List<Dictionary<NodeRef, RemediationResult>> finals;
        try
        {
            finals = (await Task.WhenAll(windows.Select((w, k) => Task.Run(() => RunToFinalAsync(w, $"overlap-op{k}-{Guid.NewGuid()}"))))).ToList();
        }
        finally
        {
            await emulator.ClearFaultsAsync();
        }

        var counts = await emulator.Admin.GetCountsAsync();
        var checker = emulator.Client(CloudProvider.Together);
        foreach (var node in nodes)
        {
            var answers = finals.Where(f => f.ContainsKey(node)).Select(f => f[node]).ToList();
            Assert.Equal(2, answers.Count);
            var accepted = answers.Where(a => a.Succeeded).ToList();
            var held = SoakFleet.Count(counts, node);
            Assert.True(held == accepted.Count, $"{node}: the server holds {held} remediation(s), the operations reported {accepted.Count}.");

            // Refusals are the provider's answer about this node, not a lost request.
            Assert.All(answers.Where(a => !a.Succeeded), a => Assert.Equal(ErrorKind.InvalidState, a.Error!.Kind));
            if (node.Provider == CloudProvider.Together)
            {
                // Together takes a remediation per operation; each has its own id, and the server has both.
                Assert.Equal(2, accepted.Count);
                Assert.Equal(2, accepted.Select(a => a.Remediation!.Id).Distinct().Count());
                foreach (var a in accepted)
                {
                    var remediation = await checker.GetRemediationAsync(new RemediationRef(a.Remediation!.Id, node.Id, node.ClusterId));
                    Assert.Equal(node.Id, remediation.NodeId);
                }
            }
            else
            {
                // Voltage Park refuses a node whose remediation is still in progress, so the first operation
                // to reach it wins; none is both accepted twice and counted once.
                Assert.InRange(accepted.Count, 1, 2);
            }
        }
    }

    [Fact]
    public async Task The_same_operation_started_on_several_threads_at_once_remediates_each_node_once()
    {
        var fleet = await SoakFleet.CreateAsync(emulator, "same", voltageParkNodes: 60, fleetSize: 20, togetherNodes: 60, clusterSize: 20);
        var nodes = fleet.All.ToList();
        var operationKey = "same-op-" + Guid.NewGuid();

        // Long enough that the copies overlap on the server: Voltage Park answers 409 to a key in progress.
        await emulator.Admin.UpdateSettingsAsync(new EmulatorSettingsUpdate { VpRemediateProcessingMs = 300 });
        List<RemediationResult>[] runs;
        try
        {
            runs = await Task.WhenAll(Enumerable.Range(0, Threads).Select(_ => Task.Run(() => SoakClients.RemediateAsync(SoakClients.For(emulator, null), nodes, operationKey))));
        }
        finally
        {
            await emulator.Admin.UpdateSettingsAsync(new EmulatorSettingsUpdate { VpRemediateProcessingMs = 0 });
        }

        foreach (var run in runs)
        {
            Assert.All(run, r => Assert.True(r.Succeeded, $"{r.Node}: {r.Error?.Message}"));
            Assert.Equal(nodes.ToHashSet(), run.Select(r => r.Node).ToHashSet());
        }

        var counts = await emulator.Admin.GetCountsAsync();
        foreach (var node in nodes)
        {
            Assert.Equal(1, SoakFleet.Count(counts, node));

            // Every copy reports the one remediation the server made.
            var reported = runs.Select(run => run.Single(r => r.Node == node).Remediation!).ToList();
            Assert.Single(reported.Select(r => r.Id ?? r.IdempotencyKey).Distinct());
        }

        // The copies did meet: some Voltage Park request was told its key was in progress and waited.
        var log = await emulator.Admin.GetRequestsAsync("voltagepark");
        Assert.Contains(log, e => e.Status == 409 && e.Path.Contains("same-fleet-", StringComparison.Ordinal));
    }

    private static bool Covers(int operation, int index) => ((index - (operation * 25) + 100) % 100) < 50;

    /// <summary>
    /// Runs one operation as a runbook would: again with the same key, until every node has a final answer
    /// (a remediation or the provider's refusal). Returns each node's final answer.
    /// </summary>
    private async Task<Dictionary<NodeRef, RemediationResult>> RunToFinalAsync(List<NodeRef> nodes, string operationKey)
    {
        var clients = SoakClients.For(emulator, null);
        var final = new Dictionary<NodeRef, RemediationResult>();
        for (var round = 0; round < MaxRounds && final.Count < nodes.Count; round++)
        {
            foreach (var result in await SoakClients.RemediateAsync(clients, nodes, operationKey))
            {
                if (result.Succeeded || !SoakClients.TransientKinds.Contains(result.Error!.Kind))
                {
                    final.TryAdd(result.Node, result);
                }
            }
        }

        Assert.True(final.Count == nodes.Count, $"Operation {operationKey}: {nodes.Count - final.Count} node(s) without a final answer after {MaxRounds} rounds.");
        return final;
    }
}
