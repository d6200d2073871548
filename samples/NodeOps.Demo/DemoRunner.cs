using System.Globalization;
using NodeOps.Emulator;
using NodeOps.Engine;

namespace NodeOps.Demo;

/// <summary>The demo scenario, callable from a test so it cannot rot.</summary>
public static class DemoRunner
{
    private const string Token = "demo-token";

    public static async Task RunAsync(TextWriter output, CancellationToken cancellationToken)
    {
        await using var emulator = await EmulatorServer.StartAsync(
            new EmulatorOptions { Urls = "http://127.0.0.1:0", TogetherStepMs = 300, SfVmBootMs = 300, VpRemediationStepMs = 300 },
            cancellationToken);
        output.WriteLine($"Emulator at {emulator.BaseAddress}");

        var options = new NodeOpsClientOptions { PollInterval = TimeSpan.FromMilliseconds(200) };
        var clients = new Dictionary<CloudProvider, NodeOpsClient>
        {
            [CloudProvider.VoltagePark] = Client(emulator, CloudProvider.VoltagePark, "voltagepark", options),
            [CloudProvider.Exalsius] = Client(emulator, CloudProvider.Exalsius, "exalsius", options),
            [CloudProvider.Together] = Client(emulator, CloudProvider.Together, "together", options),
            [CloudProvider.SFCompute] = Client(emulator, CloudProvider.SFCompute, "sfcompute", options),
        };

        // Get-GpuNode (every provider)
        output.WriteLine();
        output.WriteLine("PS> Get-GpuNode | Group-Object Provider, Status");
        var degraded = new List<GpuNode>();
        foreach (var (provider, client) in clients)
        {
            var byStatus = new SortedDictionary<GpuNodeStatus, int>();
            await foreach (var node in client.GetNodesAsync(cancellationToken: cancellationToken))
            {
                byStatus[node.Status] = byStatus.GetValueOrDefault(node.Status) + 1;
                if (node.Status == GpuNodeStatus.Degraded)
                {
                    degraded.Add(node);
                }
            }

            output.WriteLine($"  {provider,-12} {string.Join(", ", byStatus.Select(kv => $"{kv.Key} {kv.Value}"))}");
        }

        // Get-GpuNode | Where-Object Status -eq Degraded | Invoke-NodeRemediation -WhatIf
        output.WriteLine();
        output.WriteLine("PS> Get-GpuNode | Where-Object Status -eq Degraded | Invoke-NodeRemediation -Reason 'Xid 79' -WhatIf");
        foreach (var group in degraded.GroupBy(n => n.Provider))
        {
            var client = clients[group.Key];
            if (!client.Supports(NodeOperation.Remediate))
            {
                output.WriteLine($"  {group.Key}: {group.Count()} node(s) skipped: {group.Key} has no remediation API");
                continue;
            }

            var plan = client.PlanRemediation(group.Select(n => new RemediationTarget(n.Id, n.ClusterId, n.Name)), new RemediationSettings { Reason = "Xid 79" });
            foreach (var batch in plan.Batches)
            {
                output.WriteLine($"  What if: {group.Key} would remediate {string.Join(", ", batch.Targets.Select(t => t.NodeId))} in one request (key {batch.IdempotencyKey})");
            }
        }

        // A real Together remediation, waited to completion.
        var together = clients[CloudProvider.Together];
        var cluster = await together.GetClustersAsync(cancellationToken).FirstAsync(cancellationToken);
        var healthy = await together.GetNodesAsync(new NodeQuery { ClusterId = cluster.Id, Status = [GpuNodeStatus.Ready] }, cancellationToken).FirstAsync(cancellationToken);
        output.WriteLine();
        output.WriteLine($"PS> Get-GpuNode -Provider Together -Id {healthy.Id} -ClusterId {cluster.Id} | Invoke-NodeRemediation -Mode HostAware -Reason 'ECC errors' | Wait-Remediation");
        await foreach (var outcome in together.RemediateAsync([new RemediationTarget(healthy.Id, cluster.Id)], new RemediationSettings { Mode = "HostAware", Reason = "ECC errors" }, cancellationToken: cancellationToken))
        {
            if (outcome.Remediation is not { } created)
            {
                output.WriteLine($"  error: {outcome.Error?.Message}");
                continue;
            }

            Write(output, created);
            var done = await together.WaitForRemediationAsync(new RemediationRef(created.Id, created.NodeId, created.ClusterId), TimeSpan.FromSeconds(30), r => output.WriteLine($"    ... {r.State}"), cancellationToken);
            Write(output, done);
        }

        // Get-Remediation -State PendingApproval | Approve-Remediation
        output.WriteLine();
        output.WriteLine($"PS> Get-Remediation -Provider Together -ClusterId {cluster.Id} -State PendingApproval | Approve-Remediation -Comment 'ok'");
        var pending = await together.GetRemediationsAsync(new RemediationQuery { ClusterId = cluster.Id, State = [RemediationState.PendingApproval] }, cancellationToken).ToListAsync(cancellationToken);
        foreach (var r in pending)
        {
            Write(output, await together.ApproveRemediationAsync(new RemediationRef(r.Id, r.NodeId, r.ClusterId), "ok", cancellationToken: cancellationToken));
        }

        // Exalsius has no remediation: a clear error, not a guess.
        output.WriteLine();
        output.WriteLine("PS> Get-GpuNode -Provider Exalsius | Select-Object -First 1 | Invoke-NodeRemediation");
        try
        {
            var node = await clients[CloudProvider.Exalsius].GetNodesAsync(cancellationToken: cancellationToken).FirstAsync(cancellationToken);
            clients[CloudProvider.Exalsius].PlanRemediation([new RemediationTarget(node.Id)], new RemediationSettings());
        }
        catch (NodeOpsException ex)
        {
            output.WriteLine($"  {ex.ErrorId} ({ex.Category}): {ex.Message}");
            output.WriteLine($"  {ex.RecommendedAction}");
        }
    }

    private static NodeOpsClient Client(EmulatorServer emulator, CloudProvider provider, string prefix, NodeOpsClientOptions options) =>
        new(ProviderConnection.Create(provider, ApiCredential.FromToken(Token, "the demo"), emulator.ProviderBaseUrl(prefix)), options);

    private static void Write(TextWriter output, Remediation r) =>
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {r.State,-15} {r.Provider,-10} {r.NodeId,-14} {r.Action,-28} {r.Reason} {r.Id}"));
}
