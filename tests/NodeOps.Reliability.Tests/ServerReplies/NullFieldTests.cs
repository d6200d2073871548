using NodeOps.Engine;
using NodeOps.Engine.Providers.Exalsius;
using NodeOps.Engine.Providers.SfCompute;
using NodeOps.Engine.Providers.Together;
using NodeOps.Engine.Providers.VoltagePark;
using NodeOps.Engine.Tests.Support;

namespace NodeOps.Reliability.Tests.ServerReplies;

/// <summary>
/// Every field but the id sent as JSON <c>null</c>: each maps to null (or the documented default), a
/// null status reads as Unknown, and nothing fails.
/// </summary>
public sealed class NullFieldTests
{
    private static async Task<T> ReadAsync<T>(CloudProvider provider, string json, Func<NodeOpsClient, Task<T>> call)
    {
        await using var server = new CannedHttpServer(CannedResponse.Json(json));
        return await call(TestClients.Create(provider, server.BaseUrl));
    }

    [Fact]
    public async Task VoltagePark_node_and_fleet()
    {
        var node = await ReadAsync(CloudProvider.VoltagePark, """{"nodeName":"g1","state":null,"publicIp":null,"fleetId":null,"gpuType":null}""",
            c => c.ProviderClient<VoltageParkClient>().GetNodeAsync("f1", "g1"));
        var fleet = await ReadAsync(CloudProvider.VoltagePark,
            """{"fleetId":"f1","name":null,"status":null,"requestedAt":null,"provisionedAt":null,"createdAt":null,"updatedAt":null,"computeType":null,"minimumFootprint":null,"expandableCapacity":null,"infrastructure":null,"bootstrap":null,"fleetApps":null}""",
            c => c.ProviderClient<VoltageParkClient>().GetFleetAsync("f1"));

        Assert.Equal(GpuNodeStatus.Unknown, node.Status);
        Assert.Null(node.ProviderStatus);
        Assert.Null(node.PublicIp);
        Assert.Null(node.GpuType);
        Assert.Equal("f1", node.ClusterId);
        Assert.Equal(ClusterStatus.Unknown, fleet.Status);
        Assert.Null(fleet.Name);
        Assert.Null(fleet.CreatedAt);
        Assert.Null(fleet.NodeCount);
        Assert.Empty(fleet.NodeNames);
    }

    [Fact]
    public async Task VoltagePark_remediate_reply()
    {
        var outcomes = await ReadAsync(CloudProvider.VoltagePark, """[{"nodeId":"g1","remediateStatus":null,"rejectionCause":null}]""",
            c => c.ProviderClient<VoltageParkClient>().RemediateNodesAsync("f1", ["g1"], "m", "c", "key-1"));

        var outcome = Assert.Single(outcomes);
        Assert.Null(outcome.Error);
        Assert.Equal(RemediationState.Unknown, outcome.Remediation!.State);
        Assert.Null(outcome.Remediation.ProviderState);
    }

    [Fact]
    public async Task Exalsius_node()
    {
        var node = await ReadAsync(CloudProvider.Exalsius,
            """{"id":"n1","node_type":null,"node_status":null,"price_per_hour":null,"namespace":null,"hostname":null,"description":null,"location":null,"import_time":null,"warning_message":null,"hardware":null,"software":null,"system":null,"provider":null,"region":null,"instance_type":null,"availability_zone":null,"endpoint":null,"username":null,"ssh_key_id":null,"last_heartbeat_date":null}""",
            c => c.ProviderClient<ExalsiusClient>().DescribeNodeAsync("n1"));

        Assert.Equal(GpuNodeStatus.Unknown, node.Status);
        Assert.Null(node.Name);
        Assert.Null(node.NodeType);
        Assert.Null(node.PricePerHour);
        Assert.Null(node.Hardware);
        Assert.Null(node.GpuCount);
        Assert.Null(node.CreatedAt);
        Assert.Null(node.LastHeartbeat);
    }

    [Fact]
    public async Task Together_cluster_worker_and_remediation()
    {
        var nodes = await ReadAsync(CloudProvider.Together,
            """{"cluster_id":"c1","cluster_name":null,"region":null,"gpu_type":null,"status":null,"num_gpus":null,"created_at":null,"deleted_gpu_worker_nodes":null,"gpu_worker_nodes":[{"instance_id":"i-1","node_id":null,"host_name":null,"status":null,"num_gpus":null,"marked_for_deletion":null,"latest_remediation":null,"phase_transitions":null,"deleted_at":null}]}""",
            c => c.ProviderClient<TogetherClient>().ListNodesAsync("c1").ToListAsync().AsTask());
        var remediation = await ReadAsync(CloudProvider.Together,
            """{"id":"r1","cluster_id":null,"instance_id":"i-1","mode":null,"trigger":null,"state":null,"reason":null,"requested_by":null,"create_time":null,"reviewed_by":null,"review_time":null,"start_time":null,"end_time":null,"error_message":null}""",
            c => c.ProviderClient<TogetherClient>().GetRemediationAsync("c1", "i-1", "r1"));

        var node = Assert.Single(nodes);
        Assert.Equal(GpuNodeStatus.Unknown, node.Status);
        Assert.Null(node.Name);
        Assert.False(node.MarkedForDeletion);
        Assert.Null(node.LatestRemediation);
        Assert.Null(node.CreatedAt);
        Assert.Equal(RemediationState.Unknown, remediation.State);
        Assert.Equal("c1", remediation.ClusterId);
        Assert.Null(remediation.Action);
        Assert.Null(remediation.CreatedAt);
    }

    [Fact]
    public async Task SfCompute_node_and_redeploy()
    {
        const string Node = """{"object":"node","id":"n1","name":null,"gpu_type":null,"owner":null,"status":null,"node_type":null,"zone":null,"created_at":null,"updated_at":null,"start_at":null,"end_at":null,"deleted_at":null,"procurement_id":null,"max_price_per_node_hour":null,"vms":null,"current_vm":null}""";
        var node = await ReadAsync(CloudProvider.SFCompute, Node, c => c.ProviderClient<SfComputeClient>().GetNodeAsync("n1"));
        var redeploy = await ReadAsync(CloudProvider.SFCompute, Node, c => c.ProviderClient<SfComputeClient>().RedeployAsync("n1"));

        Assert.Equal(GpuNodeStatus.Unknown, node.Status);
        Assert.Null(node.Zone);
        Assert.Null(node.CurrentVm);
        Assert.Empty(node.Vms);
        Assert.Null(node.CreatedAt);

        // No current VM: nothing to track, so the redeploy is accepted without an id rather than failed.
        Assert.Equal(RemediationState.Accepted, redeploy.State);
        Assert.Null(redeploy.Id);
    }
}
