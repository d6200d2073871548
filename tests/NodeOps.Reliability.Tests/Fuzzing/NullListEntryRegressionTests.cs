using NodeOps.Engine;
using NodeOps.Engine.Providers.Exalsius;
using NodeOps.Engine.Providers.SfCompute;
using NodeOps.Engine.Providers.Together;
using NodeOps.Engine.Providers.VoltagePark;

namespace NodeOps.Reliability.Tests.Fuzzing;

/// <summary>
/// Found by the parser fuzz: a <c>null</c> entry in a reply's list (<c>[null, {…}]</c>) made the mappings
/// throw <see cref="NullReferenceException"/>. A null entry carries nothing to map; it is skipped (as
/// Voltage Park node pages already did) and the entries that are there are read. Minimal inputs.
/// </summary>
public sealed class NullListEntryRegressionTests
{
    private static T Client<T>(CloudProvider provider, string json)
        where T : class =>
        new InMemoryTransport { Respond = _ => new CannedReply(200, System.Text.Encoding.UTF8.GetBytes(json)) }.Client(provider).ProviderClient<T>();

    [Fact]
    public async Task VoltagePark_fleet_health_entries()
    {
        var health = await Client<VoltageParkClient>(CloudProvider.VoltagePark, """{"fleetId":"f1","nodeHealth":[null,{"nodeId":"g1","status":"unhealthy"}]}""")
            .GetFleetHealthAsync("f1");

        Assert.Equal("g1", Assert.Single(health.Nodes).NodeId);
    }

    [Fact]
    public async Task VoltagePark_fleet_footprint_nodes()
    {
        var fleet = await Client<VoltageParkClient>(CloudProvider.VoltagePark, """{"fleetId":"f1","minimumFootprint":{"gpuNodes":{"nodes":[null,{"nodeName":"g1","gpuType":"H100"}]}}}""")
            .GetFleetAsync("f1");

        Assert.Equal(["g1"], fleet.NodeNames);
        Assert.Equal(1, fleet.NodeCount);
        Assert.Equal("H100", fleet.GpuType);
    }

    [Fact]
    public async Task Exalsius_pool_and_clusters()
    {
        var nodes = await Client<ExalsiusClient>(CloudProvider.Exalsius, """{"nodes":[null,{"id":"n1"}],"clusters":[null,{"id":"c1"}]}""")
            .ListNodesAsync().ToListAsync();
        var clusters = await Client<ExalsiusClient>(CloudProvider.Exalsius, """{"nodes":[null,{"id":"n1"}],"clusters":[null,{"id":"c1"}]}""")
            .ListClustersAsync().ToListAsync();

        Assert.Equal("n1", Assert.Single(nodes).Id);
        Assert.Equal("c1", Assert.Single(clusters).Id);
    }

    [Fact]
    public async Task Exalsius_nodes_listed_through_a_cluster()
    {
        var transport = new InMemoryTransport
        {
            Respond = r => new CannedReply(200, r.RequestUri!.AbsolutePath.Contains("/cluster/", StringComparison.Ordinal)
                ? """{"cluster_id":"c1","control_plane_node_ids":[null,"n1"],"worker_node_ids":[null]}"""u8.ToArray()
                : """{"nodes":[null,{"id":"n1"},{"id":"n2"}]}"""u8.ToArray()),
        };

        var nodes = await transport.Client(CloudProvider.Exalsius).GetNodesAsync(new NodeQuery { ClusterId = "c1" }).ToListAsync();

        var node = Assert.Single(nodes);
        Assert.Equal("n1", node.Id);
        Assert.Equal(ExalsiusClusterRoles.ControlPlane, ((ExalsiusNode)node).ClusterRole);
    }

    [Fact]
    public async Task Exalsius_import_node_ids()
    {
        var result = await Client<ExalsiusClient>(CloudProvider.Exalsius, """{"node_ids":[null,"n1"]}""")
            .ImportFromOfferAsync("o1");

        Assert.Equal(["n1"], result.NodeIds);
        Assert.Equal(1, result.Total);
    }

    [Fact]
    public async Task Together_workers_and_their_phase_transitions()
    {
        var nodes = await Client<TogetherClient>(CloudProvider.Together, """{"cluster_id":"c1","gpu_worker_nodes":[null,{"instance_id":"i-1","phase_transitions":[null,{"phase":"NODE_PHASE_RUNNING","transition_time":"2024-01-01T00:00:00Z"}]}]}""")
            .ListNodesAsync("c1").ToListAsync();

        var node = Assert.Single(nodes);
        Assert.Equal("i-1", node.Id);
        Assert.Equal(GpuNodeStatus.Ready, node.Status);
    }

    [Fact]
    public async Task Together_clusters_and_remediations()
    {
        var clusters = await Client<TogetherClient>(CloudProvider.Together, """{"clusters":[null,{"cluster_id":"c1"}]}""").ListClustersAsync(null).ToListAsync();
        var remediations = await Client<TogetherClient>(CloudProvider.Together, """{"remediations":[null,{"id":"r1","instance_id":"i-1"}],"has_next":false}""").ListRemediationsAsync("c1").ToListAsync();

        Assert.Equal("c1", Assert.Single(clusters).Id);
        Assert.Equal("r1", Assert.Single(remediations).Id);
    }

    [Fact]
    public async Task SfCompute_nodes_and_their_vms()
    {
        var nodes = await Client<SfComputeClient>(CloudProvider.SFCompute, """{"object":"list","data":[null,{"id":"n1","status":"running","vms":{"data":[null,{"id":"vm_1","status":"Running"}]}}]}""")
            .ListNodesAsync().ToListAsync();

        var node = Assert.Single(nodes);
        Assert.Equal("vm_1", Assert.Single(node.Vms).Id);
    }
}
