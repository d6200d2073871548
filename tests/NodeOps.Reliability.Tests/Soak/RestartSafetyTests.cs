using NodeOps.Emulator;

namespace NodeOps.Reliability.Tests.Soak;

/// <summary>
/// Runbooks restart from the top: Azure Automation reruns a job that was evicted or timed out. With the
/// caller's key, the second run must create nothing the first one already created, whether the first was
/// killed mid-flight or finished long ago. Each run uses new clients, as a new process would.
/// </summary>
public sealed class RestartSafetyTests(SoakEmulator emulator) : IClassFixture<SoakEmulator>
{
    [Fact]
    public async Task A_runbook_killed_mid_run_and_restarted_with_its_key_remediates_every_node_exactly_once()
    {
        var fleet = await SoakFleet.CreateAsync(emulator, "killed", voltageParkNodes: 40, fleetSize: 2, togetherNodes: 40, clusterSize: 10);
        var nodes = fleet.All.ToList();
        var key = "nightly-" + Guid.NewGuid();

        // Slow answers and few requests at a time, and the kill lands once ten nodes have their results:
        // some requests done, some in flight (perhaps processed, their answers never read), some never sent.
        await emulator.Admin.UpdateSettingsAsync(new EmulatorSettingsUpdate { LatencyMs = 60 });
        var seen = new List<RemediationResult>();
        try
        {
            using var kill = new CancellationTokenSource();
            var clients = SlowClients();
            var operation = new RemediationOperation(SoakClients.Settings, key);
            foreach (var node in nodes)
            {
                operation.Add(clients[node.Provider], node);
            }

            await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
            {
                await foreach (var result in operation.RunAsync(operation.Plan(), kill.Token))
                {
                    seen.Add(result);
                    if (seen.Count == 10)
                    {
                        await kill.CancelAsync();
                    }
                }
            });
        }
        finally
        {
            await emulator.Admin.UpdateSettingsAsync(new EmulatorSettingsUpdate { LatencyMs = 0 });
        }

        var afterKill = await emulator.Admin.GetCountsAsync();
        var doneBeforeKill = nodes.Count(n => SoakFleet.Count(afterKill, n) == 1);
        Assert.InRange(doneBeforeKill, 1, nodes.Count - 1);
        Assert.True(seen.Count < nodes.Count, "The kill came after the run had finished; nothing was interrupted.");

        var rerun = await SoakClients.RemediateAsync(SoakClients.For(emulator, null), nodes, key);

        Assert.All(rerun, r => Assert.True(r.Succeeded, $"{r.Node}: {r.Error?.Message}"));
        var counts = await emulator.Admin.GetCountsAsync();
        Assert.All(nodes, n => Assert.Equal(1, SoakFleet.Count(counts, n)));

        // What the first run reported before it died is what the rerun reports.
        foreach (var early in seen.Where(r => r.Succeeded))
        {
            var again = rerun.Single(r => r.Node == early.Node).Remediation!;
            Assert.Equal(early.Remediation!.Id, again.Id);
            Assert.Equal(early.Remediation.IdempotencyKey, again.IdempotencyKey);
        }
    }

    [Fact]
    public async Task A_restart_after_the_remediations_finished_replays_them_and_a_new_key_is_a_new_operation()
    {
        var fleet = await SoakFleet.CreateAsync(emulator, "finished", voltageParkNodes: 4, fleetSize: 2, togetherNodes: 4, clusterSize: 2);
        var nodes = fleet.All.ToList();
        var key = "weekly-" + Guid.NewGuid();

        var first = await SoakClients.RemediateAsync(SoakClients.For(emulator, null), nodes, key);
        Assert.All(first, r => Assert.True(r.Succeeded, r.Error?.Message));

        // Let every remediation run to its end: Together's reach SUCCEEDED, Voltage Park's nodes are READY
        // again and could be remediated anew.
        var checker = emulator.Client(CloudProvider.Together);
        foreach (var r in first.Where(r => r.Node.Provider == CloudProvider.Together))
        {
            var done = await checker.WaitForRemediationAsync(new RemediationRef(r.Remediation!.Id, r.Node.Id, r.Node.ClusterId), TimeSpan.FromSeconds(20));
            Assert.Equal(RemediationState.Succeeded, done.State);
        }

        var vp = emulator.Client(CloudProvider.VoltagePark);
        foreach (var node in fleet.VoltagePark)
        {
            await WaitForAsync(async () => (await vp.GetNodeAsync(node.Id, node.ClusterId)).Status == GpuNodeStatus.Ready);
        }

        var second = await SoakClients.RemediateAsync(SoakClients.For(emulator, null), nodes, key);

        Assert.All(second, r => Assert.True(r.Succeeded, r.Error?.Message));
        var counts = await emulator.Admin.GetCountsAsync();
        Assert.All(nodes, n => Assert.Equal(1, SoakFleet.Count(counts, n)));
        foreach (var r in second)
        {
            var before = first.Single(f => f.Node == r.Node).Remediation!;
            Assert.Equal(before.Id, r.Remediation!.Id);
            Assert.Equal(before.IdempotencyKey, r.Remediation.IdempotencyKey);
            if (r.Node.Provider == CloudProvider.Together)
            {
                // The replay is the remediation as it is now, not a new one starting over.
                Assert.Equal(RemediationState.Succeeded, r.Remediation.State);
            }
        }

        // Without the key the same script is a new operation, and the providers act again: the key, not
        // luck, is what kept the restart from remediating twice.
        var fresh = await SoakClients.RemediateAsync(SoakClients.For(emulator, null), nodes, "weekly-" + Guid.NewGuid());
        Assert.All(fresh, r => Assert.True(r.Succeeded, r.Error?.Message));
        counts = await emulator.Admin.GetCountsAsync();
        Assert.All(nodes, n => Assert.Equal(2, SoakFleet.Count(counts, n)));
    }

    private Dictionary<CloudProvider, NodeOpsClient> SlowClients()
    {
        var options = SoakClients.Options(null);
        options.MaxConcurrency = 2;
        return new[] { CloudProvider.VoltagePark, CloudProvider.Together }.ToDictionary(p => p, p => emulator.Client(p, options));
    }


    private static async Task WaitForAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The emulator did not reach the expected state in 20 s.");
            await Task.Delay(50);
        }
    }
}
