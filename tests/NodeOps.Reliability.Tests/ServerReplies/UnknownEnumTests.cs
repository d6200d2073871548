using NodeOps.Engine;
using NodeOps.Engine.Providers.Exalsius;
using NodeOps.Engine.Providers.SfCompute;
using NodeOps.Engine.Providers.Together;
using NodeOps.Engine.Providers.VoltagePark;
using NodeOps.Engine.Tests.Support;

namespace NodeOps.Reliability.Tests.ServerReplies;

/// <summary>
/// Replies in which every enum a provider could extend carries a value no document lists: the call
/// succeeds, each normalised value is Unknown (or left as it was, for refinements such as health), and
/// the raw string is kept. An enum sent as another JSON type (a number) is not an unknown value but a
/// broken reply: InvalidResponse.
/// </summary>
public sealed class UnknownEnumTests
{
    private static async Task<T> ReadAsync<T>(CloudProvider provider, Func<CannedRequest, string> reply, Func<NodeOpsClient, Task<T>> call)
    {
        await using var server = new CannedHttpServer((r, _) => CannedResponse.Json(reply(r)));
        return await call(TestClients.Create(provider, server.BaseUrl));
    }

    [Fact]
    public async Task VoltagePark_fleet_node_health_and_remediate_status()
    {
        var nodes = await ReadAsync(
            CloudProvider.VoltagePark,
            r => r.Target.Contains("/health", StringComparison.Ordinal)
                ? """{"fleetId":"f1","status":"wobbly","nodeHealth":[{"nodeId":"g1","status":"flaky","lastUpdatedAt":1735689600000}]}"""
                : """{"nodes":[{"nodeName":"g1","state":"HIBERNATING","publicIp":"147.1.0.2"},{"nodeName":"g2","state":"READY"}],"nextToken":null}""",
            c => c.GetNodesAsync(new NodeQuery { ClusterId = "f1" }).ToListAsync().AsTask());
        var fleet = await ReadAsync(CloudProvider.VoltagePark, _ => """{"fleetId":"f1","status":"MIGRATING","infrastructure":{"network":"quantum"}}""",
            c => c.ProviderClient<VoltageParkClient>().GetFleetAsync("f1"));
        var outcome = (await ReadAsync(CloudProvider.VoltagePark, _ => """[{"nodeId":"g1","remediateStatus":"queued_for_review","rejectionCause":null}]""",
            c => c.ProviderClient<VoltageParkClient>().RemediateNodesAsync("f1", ["g1"], "m", "c", "key-1")))[0];

        var g1 = Assert.IsType<VoltageParkNode>(nodes[0]);
        Assert.Equal(GpuNodeStatus.Unknown, g1.Status);
        Assert.Equal("HIBERNATING", g1.ProviderStatus);
        Assert.Equal("flaky", g1.Health);
        Assert.Equal(GpuNodeStatus.Ready, nodes[1].Status);
        Assert.Equal(ClusterStatus.Unknown, fleet.Status);
        Assert.Equal("MIGRATING", fleet.ProviderStatus);
        Assert.Equal("quantum", fleet.Network);
        Assert.Null(outcome.Error);
        Assert.Equal(RemediationState.Unknown, outcome.Remediation!.State);
        Assert.Equal("queued_for_review", outcome.Remediation.ProviderState);
    }

    [Fact]
    public async Task Exalsius_node_type_node_status_and_cluster_status()
    {
        var nodes = await ReadAsync(CloudProvider.Exalsius, _ => """{"nodes":[{"id":"n1","node_type":"EDGE","node_status":"QUARANTINED","price_per_hour":1.0}],"clusters":[{"id":"c1","cluster_status":"HIBERNATING"}]}""",
            c => c.ProviderClient<ExalsiusClient>().ListNodesAsync().ToListAsync().AsTask());
        var clusters = await ReadAsync(CloudProvider.Exalsius, _ => """{"clusters":[{"id":"c1","cluster_status":"HIBERNATING"}]}""",
            c => c.ProviderClient<ExalsiusClient>().ListClustersAsync().ToListAsync().AsTask());

        var node = Assert.Single(nodes);
        Assert.Equal(GpuNodeStatus.Unknown, node.Status);
        Assert.Equal("QUARANTINED", node.ProviderStatus);
        Assert.Equal("EDGE", node.NodeType);
        var cluster = Assert.Single(clusters);
        Assert.Equal(ClusterStatus.Unknown, cluster.Status);
        Assert.Equal("HIBERNATING", cluster.ProviderStatus);
    }

    [Fact]
    public async Task Together_cluster_status_worker_phase_remediation_state_mode_and_trigger()
    {
        const string Cluster = """{"cluster_id":"c1","status":"Hibernating","gpu_type":"GB300_NVL72","gpu_worker_nodes":[{"instance_id":"i-1","status":"Cordoned","phase_transitions":[{"phase":"NODE_PHASE_MIGRATING","transition_time":"2026-01-01T00:00:00Z"}],"latest_remediation":{"id":"r1","instance_id":"i-1","mode":"REMEDIATION_MODE_TELEPORT","trigger":"REMEDIATION_TRIGGER_PSYCHIC","state":"ESCALATED"}}]}""";
        var cluster = await ReadAsync(CloudProvider.Together, _ => Cluster, c => c.ProviderClient<TogetherClient>().GetClusterAsync("c1"));
        var node = Assert.Single(await ReadAsync(CloudProvider.Together, _ => Cluster, c => c.ProviderClient<TogetherClient>().ListNodesAsync("c1").ToListAsync().AsTask()));

        Assert.Equal(ClusterStatus.Unknown, cluster.Status);
        Assert.Equal("Hibernating", cluster.ProviderStatus);
        Assert.Equal("GB300_NVL72", cluster.GpuType);
        Assert.Equal(GpuNodeStatus.Unknown, node.Status);
        Assert.Equal("NODE_PHASE_MIGRATING", node.ProviderStatus);
        Assert.Equal("Cordoned", node.WorkerStatus);
        var remediation = node.LatestRemediation!;
        Assert.Equal(RemediationState.Unknown, remediation.State);
        Assert.Equal("ESCALATED", remediation.ProviderState);
        Assert.Equal("REMEDIATION_MODE_TELEPORT", remediation.Action);
        Assert.Equal("REMEDIATION_TRIGGER_PSYCHIC", remediation.Trigger);
    }

    [Fact]
    public async Task SfCompute_node_status_node_type_and_vm_status()
    {
        var node = await ReadAsync(CloudProvider.SFCompute,
            _ => """{"object":"node","id":"n1","status":"hibernating","node_type":"spot","gpu_type":"B300","current_vm":{"object":"vm","id":"vm_1","status":"Migrating"},"vms":{"object":"list","data":[{"object":"vm","id":"vm_1","status":"Migrating"}]}}""",
            c => c.ProviderClient<SfComputeClient>().GetNodeAsync("n1"));
        var redeploy = await ReadAsync(CloudProvider.SFCompute,
            _ => """{"object":"node","id":"n1","status":"running","current_vm":{"object":"vm","id":"vm_2","status":"Migrating"}}""",
            c => c.ProviderClient<SfComputeClient>().RedeployAsync("n1"));

        Assert.Equal(GpuNodeStatus.Unknown, node.Status);
        Assert.Equal("hibernating", node.ProviderStatus);
        Assert.Equal("spot", node.NodeType);
        Assert.Equal("B300", node.GpuType);
        Assert.Equal(RemediationState.Unknown, redeploy.State);
        Assert.Equal("Migrating", redeploy.ProviderState);
        Assert.Equal("vm_2", redeploy.Id);
    }

    [Theory]
    [InlineData(CloudProvider.VoltagePark, """{"nodeName":"g1","state":7}""")]
    [InlineData(CloudProvider.Exalsius, """{"id":"n1","node_status":3}""")]
    [InlineData(CloudProvider.Together, """{"cluster_id":"c1","status":2}""")]
    [InlineData(CloudProvider.SFCompute, """{"object":"node","id":"n1","status":1}""")]
    public async Task An_enum_sent_as_a_number_is_InvalidResponse(CloudProvider provider, string json)
    {
        Func<NodeOpsClient, Task> call = provider switch
        {
            CloudProvider.VoltagePark => c => c.ProviderClient<VoltageParkClient>().GetNodeAsync("f1", "g1"),
            CloudProvider.Exalsius => c => c.ProviderClient<ExalsiusClient>().DescribeNodeAsync("n1"),
            CloudProvider.Together => c => c.ProviderClient<TogetherClient>().GetClusterAsync("c1"),
            _ => c => c.ProviderClient<SfComputeClient>().GetNodeAsync("n1"),
        };
        await using var server = new CannedHttpServer(CannedResponse.Json(json));

        var ex = await Assert.ThrowsAsync<NodeOpsException>(() => call(TestClients.Create(provider, server.BaseUrl)));

        Assert.Equal(ErrorKind.InvalidResponse, ex.Kind);
        Assert.Contains("not the JSON NodeOps expects", ex.Message, StringComparison.Ordinal);
    }
}
