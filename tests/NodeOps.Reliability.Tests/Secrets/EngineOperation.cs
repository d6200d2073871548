using NodeOps.Engine.Providers.Exalsius;
using NodeOps.Engine.Providers.SfCompute;
using NodeOps.Engine.Providers.Together;
using NodeOps.Engine.Providers.VoltagePark;

namespace NodeOps.Reliability.Tests.Secrets;

/// <summary>One engine call, run for what it shows: its result or its exception.</summary>
public sealed record EngineOperation(CloudProvider Provider, string Name, Func<NodeOpsClient, CancellationToken, Task<object?>> Run)
{
    public override string ToString() => $"{Provider} {Name}";

    /// <summary>
    /// Every operation the engine offers, per provider: the facade the cmdlets use and each provider
    /// client's own endpoints. Ids come from the listing where one is needed, so against a working server
    /// the calls succeed, and against a broken one they fail on the first request.
    /// </summary>
    public static IReadOnlyList<EngineOperation> All { get; } =
    [
        .. Common(CloudProvider.VoltagePark),
        .. Common(CloudProvider.Exalsius),
        .. Common(CloudProvider.Together),
        .. Common(CloudProvider.SFCompute),

        new(CloudProvider.VoltagePark, "list fleets", async (c, ct) => await c.ProviderClient<VoltageParkClient>().ListFleetsAsync(2, ct).ToListAsync(ct)),
        new(CloudProvider.VoltagePark, "get fleet", async (c, ct) => await c.ProviderClient<VoltageParkClient>().GetFleetAsync(await FirstClusterAsync(c, ct), ct)),
        new(CloudProvider.VoltagePark, "fleet health", async (c, ct) => await c.ProviderClient<VoltageParkClient>().GetFleetHealthAsync(await FirstClusterAsync(c, ct), ct)),
        new(CloudProvider.VoltagePark, "nodes with health", async (c, ct) => await c.ProviderClient<VoltageParkClient>().ListNodesAsync(await FirstClusterAsync(c, ct), 5, includeHealth: true, ct).ToListAsync(ct)),
        new(CloudProvider.VoltagePark, "remediate", (c, ct) => RemediateFirstAsync(c, new RemediationSettings { Reason = "leak check", Cause = "LEAK_CHECK" }, ct)),

        new(CloudProvider.Exalsius, "cluster nodes", async (c, ct) => await c.ProviderClient<ExalsiusClient>().GetClusterNodesAsync(await FirstClusterAsync(c, ct), ct)),
        new(CloudProvider.Exalsius, "describe", async (c, ct) => await c.ProviderClient<ExalsiusClient>().DescribeNodeAsync((await FirstNodeAsync(c, ct)).Id, ct)),
        new(CloudProvider.Exalsius, "patch", async (c, ct) => await c.UpdateNodeAsync(Patch((await FirstNodeAsync(c, ct)).Id), ct)),
        new(CloudProvider.Exalsius, "heartbeat", async (c, ct) => await c.SendHeartbeatAsync((await FirstNodeAsync(c, ct)).Id, ct)),
        new(CloudProvider.Exalsius, "import via SSH", async (c, ct) => await c.ImportNodeViaSshAsync(
            new ImportViaSshRequest { Hostname = "leak-" + Guid.NewGuid().ToString("N")[..8], Endpoint = $"10.9.{Random.Shared.Next(255)}.{Random.Shared.Next(255)}:22", Username = "ubuntu", SshKeyId = Guid.NewGuid().ToString() }, ct)),
        new(CloudProvider.Exalsius, "import from offer", async (c, ct) => await c.ImportNodeFromOfferAsync(new ImportFromOfferRequest { OfferId = Guid.NewGuid().ToString(), Hostname = "leak-offer", Amount = 1 }, ct)),
        new(CloudProvider.Exalsius, "remove", async (c, ct) =>
        {
            var node = await c.GetNodesAsync(new NodeQuery { Status = [GpuNodeStatus.Ready] }, ct).FirstAsync(ct);
            await c.RemoveNodeAsync(node.Id, ct);
            return node;
        }),

        new(CloudProvider.Together, "create remediation", (c, ct) => RemediateFirstAsync(c, new RemediationSettings { Reason = "leak check", Mode = "VmOnly" }, ct)),
        new(CloudProvider.Together, "list remediations", async (c, ct) => await c.GetRemediationsAsync(new RemediationQuery { ClusterId = await FirstClusterAsync(c, ct), PageSize = 2 }, ct).Take(5).ToListAsync(ct)),
        new(CloudProvider.Together, "get remediation", async (c, ct) => await c.GetRemediationAsync(Ref(await PendingApprovalAsync(c, ct)), ct)),
        new(CloudProvider.Together, "approve", async (c, ct) => await c.ApproveRemediationAsync(Ref(await PendingApprovalAsync(c, ct)), "approved in a leak check", null, ct)),
        new(CloudProvider.Together, "reject", async (c, ct) => await c.DenyRemediationAsync(Ref(await PendingApprovalAsync(c, ct)), "denied in a leak check", ct)),
        new(CloudProvider.Together, "cancel", async (c, ct) => await c.StopRemediationAsync(Ref(await PendingApprovalAsync(c, ct)), ct)),
        new(CloudProvider.Together, "wait", async (c, ct) =>
        {
            var created = (RemediationOutcome)(await RemediateFirstAsync(c, new RemediationSettings { Reason = "leak check wait" }, ct))!;
            return await c.WaitForRemediationAsync(Ref(created.Remediation ?? throw created.Error!), TimeSpan.FromSeconds(10), null, ct);
        }),
        new(CloudProvider.Together, "list clusters by project", async (c, ct) => await c.ProviderClient<TogetherClient>().ListClustersAsync("project-1", ct).ToListAsync(ct)),

        new(CloudProvider.SFCompute, "redeploy", async (c, ct) => await c.RedeployNodeAsync(new RedeployRequest { NodeId = (await RunningSfNodeAsync(c, ct)).Id, ImageId = "vmi_leakcheck" }, ct)),
        new(CloudProvider.SFCompute, "remediate", (c, ct) => RemediateFirstAsync(c, new RemediationSettings(), ct)),
        new(CloudProvider.SFCompute, "get redeploy", async (c, ct) =>
        {
            var node = (SfComputeNode)await RunningSfNodeAsync(c, ct);
            return await c.ProviderClient<SfComputeClient>().GetRedeployAsync(node.Id, node.CurrentVm?.Id ?? "vm_none", ct);
        }),
        new(CloudProvider.SFCompute, "filter by name", async (c, ct) => await c.ProviderClient<SfComputeClient>().ListNodesAsync(names: [(await FirstNodeAsync(c, ct)).Name ?? "none"], cancellationToken: ct).ToListAsync(ct)),
        new(CloudProvider.SFCompute, "release", async (c, ct) => await c.ReleaseNodeAsync((await FirstNodeAsync(c, ct)).Id, ct)),
        new(CloudProvider.SFCompute, "delete", async (c, ct) =>
        {
            var node = await c.GetNodesAsync(new NodeQuery(), ct).LastAsync(ct);
            await c.RemoveNodeAsync(node.Id, ct);
            return node;
        }),
    ];

    private static IEnumerable<EngineOperation> Common(CloudProvider provider)
    {
        yield return new(provider, "list nodes", async (c, ct) => await c.GetNodesAsync(null, ct).ToListAsync(ct));
        yield return new(provider, "get node", async (c, ct) =>
        {
            var node = await FirstNodeAsync(c, ct);
            return await c.GetNodeAsync(node.Id, node.ClusterId, ct);
        });
        if (provider != CloudProvider.SFCompute)
        {
            yield return new(provider, "list clusters", async (c, ct) => await c.GetClustersAsync(ct).ToListAsync(ct));
            yield return new(provider, "get cluster", async (c, ct) => await c.GetClusterAsync(await FirstClusterAsync(c, ct), ct));
        }
    }

    private static Task<GpuNode> FirstNodeAsync(NodeOpsClient client, CancellationToken ct) =>
        client.GetNodesAsync(null, ct).FirstAsync(ct).AsTask();

    private static async Task<string> FirstClusterAsync(NodeOpsClient client, CancellationToken ct) =>
        (await client.GetClustersAsync(ct).FirstAsync(ct)).Id;

    private static async Task<object?> RemediateFirstAsync(NodeOpsClient client, RemediationSettings settings, CancellationToken ct)
    {
        var node = client.Provider == CloudProvider.SFCompute ? await RunningSfNodeAsync(client, ct) : await FirstNodeAsync(client, ct);
        return await client.RemediateAsync([new RemediationTarget(node.Id, node.ClusterId)], settings, null, ct).SingleAsync(ct);
    }

    private static Task<GpuNode> RunningSfNodeAsync(NodeOpsClient client, CancellationToken ct) =>
        client.GetNodesAsync(new NodeQuery { Status = [GpuNodeStatus.Ready] }, ct).FirstAsync(ct).AsTask();

    private static async Task<Remediation> PendingApprovalAsync(NodeOpsClient client, CancellationToken ct) =>
        await client.GetRemediationsAsync(new RemediationQuery { ClusterId = await FirstClusterAsync(client, ct), State = [RemediationState.PendingApproval] }, ct).FirstAsync(ct);

    private static RemediationRef Ref(Remediation remediation) => new(remediation.Id, remediation.NodeId, remediation.ClusterId);

    private static NodeUpdate Patch(string nodeId) => new()
    {
        NodeId = nodeId,
        Description = "leak check",
        Hardware = new NodeHardware { GpuCount = 8, GpuType = "H100" },
        Software = new NodeSoftware { Docker = "27.0", Nvidia = "550.54" },
        System = new NodeSystem { Os = "Ubuntu 24.04", Kernel = "6.8" },
    };
}
