using NodeOps.Engine.Providers.Exalsius;
using NodeOps.Engine.Tests.Support;
using static NodeOps.Engine.Tests.Providers.Exalsius.ExalsiusFixtures;

namespace NodeOps.Engine.Tests.Providers.Exalsius;

/// <summary>List, describe and the cluster join against exact replies.</summary>
public sealed class ExalsiusNodeReadTests
{
    [Fact]
    public async Task Lists_both_node_variants_with_every_field_mapped()
    {
        await using var server = new CannedHttpServer(CannedResponse.Json(NodesList(CloudNode, SelfManagedNode)));

        var nodes = await ToListAsync(Client(server).ListNodesAsync());

        var request = Assert.Single(server.Requests);
        Assert.Equal("GET", request.Method);
        Assert.Equal("/v1/nodes", request.Target);
        Assert.Equal(2, nodes.Count);

        var cloud = nodes[0];
        Assert.Equal(CloudProvider.Exalsius, cloud.Provider);
        Assert.Equal(CloudId, cloud.Id);
        Assert.Equal("gpu-cloud-1", cloud.Name);
        Assert.Equal(GpuNodeStatus.Ready, cloud.Status);
        Assert.Equal("AVAILABLE", cloud.ProviderStatus);
        Assert.Equal("H100", cloud.GpuType);
        Assert.Equal(8, cloud.GpuCount);
        Assert.Equal("eu-central-1", cloud.Region);
        Assert.Equal("eu-central-1a", cloud.Zone);
        Assert.Null(cloud.ClusterId);
        Assert.Equal(new DateTimeOffset(2026, 2, 1, 8, 15, 0, TimeSpan.Zero), cloud.CreatedAt);
        Assert.Equal(server.BaseUrl, cloud.Endpoint);
        Assert.Equal("CLOUD", cloud.NodeType);
        Assert.Equal("aws", cloud.HostingProvider);
        Assert.Equal("p5.48xlarge", cloud.InstanceType);
        Assert.Equal("team-a", cloud.Namespace);
        Assert.Equal("H100 from an offer", cloud.Description);
        Assert.Equal("Frankfurt", cloud.Location);
        Assert.Equal(2.49, cloud.PricePerHour);
        Assert.Null(cloud.WarningMessage);
        Assert.NotNull(cloud.Hardware);
        Assert.Equal("NVIDIA", cloud.Hardware.GpuVendor);
        Assert.Equal(80, cloud.Hardware.GpuMemoryGb);
        Assert.Equal(96, cloud.Hardware.CpuCores);
        Assert.Equal(1024, cloud.Hardware.MemoryGb);
        Assert.Equal(2000, cloud.Hardware.StorageGb);
        Assert.Equal("27.0.3", cloud.Software?.Docker);
        Assert.Equal("550.54.15", cloud.Software?.Nvidia);
        Assert.Null(cloud.Software?.Amd);
        Assert.Equal("Ubuntu 22.04", cloud.System?.Os);
        Assert.Equal("5.15.0-105-generic", cloud.System?.Kernel);
        Assert.Null(cloud.SshEndpoint);
        Assert.Null(cloud.LastHeartbeat);

        var self = nodes[1];
        Assert.Equal(SelfManagedId, self.Id);
        Assert.Equal("my-server-001", self.Name);
        Assert.Equal(GpuNodeStatus.Degraded, self.Status);
        Assert.Equal("WARNING", self.ProviderStatus);
        Assert.Equal("MI300X", self.GpuType);
        Assert.Equal(4, self.GpuCount);
        Assert.Equal("Berlin lab", self.Region); // no cloud region: the location
        Assert.Null(self.Zone);
        Assert.Equal(new DateTimeOffset(2026, 1, 20, 10, 0, 0, TimeSpan.Zero), self.CreatedAt);
        Assert.Equal("SELF_MANAGED", self.NodeType);
        Assert.Null(self.HostingProvider);
        Assert.Null(self.InstanceType);
        Assert.Equal(0.0, self.PricePerHour);
        Assert.Equal("pre-installed NVIDIA driver blocks deployment", self.WarningMessage);
        Assert.Equal("AMD", self.Hardware?.GpuVendor);
        Assert.Equal(192, self.Hardware?.GpuMemoryGb);
        Assert.Null(self.Hardware?.CpuCores);
        Assert.Equal("6.1.2", self.Software?.Amd);
        Assert.Equal("Rocky Linux 9", self.System?.Os);
        Assert.Equal("192.168.1.100:22", self.SshEndpoint);
        Assert.Equal("ubuntu", self.Username);
        Assert.Equal("123e4567-e89b-12d3-a456-426614174000", self.SshKeyId);
        Assert.Equal(new DateTimeOffset(2026, 2, 3, 7, 59, 30, 250, TimeSpan.Zero), self.LastHeartbeat);
    }

    [Theory]
    [InlineData("PENDING", GpuNodeStatus.Provisioning)]
    [InlineData("DISCOVERING", GpuNodeStatus.Provisioning)]
    [InlineData("AVAILABLE", GpuNodeStatus.Ready)]
    [InlineData("ADDED", GpuNodeStatus.InUse)]
    [InlineData("DEPLOYED", GpuNodeStatus.InUse)]
    [InlineData("WARNING", GpuNodeStatus.Degraded)]
    [InlineData("FAILED", GpuNodeStatus.Failed)]
    [InlineData("available", GpuNodeStatus.Ready)]
    [InlineData("STAGED", GpuNodeStatus.Unknown)] // legacy (before 2025-08-01): deliberately not guessed
    [InlineData("OCCUPIED", GpuNodeStatus.Unknown)] // legacy
    [InlineData("HIBERNATING", GpuNodeStatus.Unknown)] // a value Exalsius may add later
    public async Task Maps_every_node_status_and_keeps_the_raw_value(string wire, GpuNodeStatus expected)
    {
        await using var server = new CannedHttpServer(CannedResponse.Json(Node("n-1", wire)));

        var node = await Client(server).DescribeNodeAsync("n-1");

        Assert.Equal(expected, node.Status);
        Assert.Equal(wire, node.ProviderStatus);
        Assert.Equal("/v1/node/n-1", Assert.Single(server.Requests).Target);
    }

    [Fact]
    public async Task A_node_without_status_is_Unknown_and_does_not_fail_the_listing()
    {
        await using var server = new CannedHttpServer(CannedResponse.Json("""{"nodes":[{"id":"n-1","node_type":"CLOUD","price_per_hour":1}],"total":1}"""));

        var node = Assert.Single(await ToListAsync(Client(server).ListNodesAsync()));

        Assert.Equal(GpuNodeStatus.Unknown, node.Status);
        Assert.Null(node.ProviderStatus);
    }

    [Theory]
    [InlineData("2026-02-01T09:15:00Z", "2026-02-01T09:15:00+00:00")]
    [InlineData("2026-02-01T09:15:00.123456+05:30", "2026-02-01T03:45:00.123456+00:00")]
    [InlineData("2026-02-01t09:15:00z", "2026-02-01T09:15:00+00:00")]
    public async Task Reads_RFC_3339_import_times(string wire, string expected)
    {
        await using var server = new CannedHttpServer(CannedResponse.Json($$"""{"id":"n-1","node_type":"CLOUD","node_status":"AVAILABLE","price_per_hour":1,"import_time":"{{wire}}"}"""));

        var node = await Client(server).DescribeNodeAsync("n-1");

        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), node.CreatedAt);
    }

    [Fact]
    public async Task An_unreadable_time_is_an_InvalidResponse_naming_the_node()
    {
        await using var server = new CannedHttpServer(CannedResponse.Json("""{"id":"n-1","node_type":"CLOUD","node_status":"AVAILABLE","price_per_hour":1,"import_time":"yesterday"}"""));

        var ex = await Assert.ThrowsAsync<NodeOpsException>(() => Client(server).DescribeNodeAsync("n-1"));

        Assert.Equal(ErrorKind.InvalidResponse, ex.Kind);
        Assert.Contains("'yesterday'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("n-1", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_node_without_id_is_an_InvalidResponse()
    {
        await using var server = new CannedHttpServer(CannedResponse.Json("""{"nodes":[{"node_type":"CLOUD","node_status":"AVAILABLE","price_per_hour":1}],"total":1}"""));

        var ex = await Assert.ThrowsAsync<NodeOpsException>(() => ToListAsync(Client(server).ListNodesAsync()));

        Assert.Equal(ErrorKind.InvalidResponse, ex.Kind);
        Assert.Contains("'id'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sends_the_filters_under_their_exact_query_names()
    {
        await using var server = new CannedHttpServer(CannedResponse.Json(NodesList()));

        await ToListAsync(Client(server).ListNodesAsync("SELF_MANAGED", "aws", "CREATED_AT", "DESC"));
        await ToListAsync(Client(server).ListNodesAsync("selfManaged", sortField: "hostname", orderBy: "asc"));

        var targets = server.Requests.Select(r => r.Target).ToArray();
        Assert.Equal("/v1/nodes?node_type=SELF_MANAGED&provider=aws&sort_field=CREATED_AT&order_by=DESC", targets[0]);
        Assert.Equal("/v1/nodes?node_type=SELF_MANAGED&sort_field=HOSTNAME&order_by=ASC", targets[1]);
    }

    [Fact]
    public async Task The_facade_query_maps_NodeType_and_HostingProvider_to_the_filters_and_filters_status_locally()
    {
        await using var server = new CannedHttpServer(CannedResponse.Json(NodesList(CloudNode, Node("n-2", "DEPLOYED", "CLOUD"))));

        var nodes = await ToListAsync(Facade(server).GetNodesAsync(new NodeQuery { NodeType = "CLOUD", HostingProvider = "aws", Status = [GpuNodeStatus.InUse] }));

        Assert.Equal("/v1/nodes?node_type=CLOUD&provider=aws", Assert.Single(server.Requests).Target);
        Assert.Equal("n-2", Assert.Single(nodes).Id);
        Assert.IsType<ExalsiusNode>(nodes[0]);
    }

    [Theory]
    [InlineData("autoreserved", null, null, "-NodeType")]
    [InlineData("CLOUDS", null, null, "-NodeType")]
    [InlineData(null, "PRICE", null, "-SortField")]
    [InlineData(null, null, "UP", "-OrderBy")]
    public async Task Refuses_unknown_filter_values_before_sending(string? nodeType, string? sortField, string? orderBy, string parameter)
    {
        await using var server = new CannedHttpServer(CannedResponse.Json(NodesList()));

        var ex = Assert.Throws<NodeOpsException>(() => Client(server).ListNodesAsync(nodeType, null, sortField, orderBy));

        Assert.Equal(ErrorKind.InvalidArgument, ex.Kind);
        Assert.Contains(parameter, ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, server.RequestCount);
    }

    [Fact]
    public async Task The_facade_refuses_a_bad_node_type_before_sending()
    {
        await using var server = new CannedHttpServer(CannedResponse.Json(NodesList()));

        var ex = await Assert.ThrowsAsync<NodeOpsException>(() => ToListAsync(Facade(server).GetNodesAsync(new NodeQuery { NodeType = "reserved" })));

        Assert.Equal(ErrorKind.InvalidArgument, ex.Kind);
        Assert.Contains("-NodeType 'reserved'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("CLOUD, SELF_MANAGED", ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, server.RequestCount);
    }

    [Fact]
    public async Task A_problem_json_404_becomes_NotFound_with_the_provider_type_and_detail()
    {
        await using var server = new CannedHttpServer(Problem(404, "not-found", "Not Found", "The node with ID n-9 was not found.", "/node/n-9"));

        var ex = await Assert.ThrowsAsync<NodeOpsApiException>(() => Client(server).DescribeNodeAsync("n-9"));

        Assert.Equal(ErrorKind.NotFound, ex.Kind);
        Assert.Equal(404, ex.StatusCode);
        Assert.Equal("not-found", ex.ProviderCode);
        Assert.Equal("The node with ID n-9 was not found.", ex.ProviderMessage);
        Assert.Contains("The node with ID n-9 was not found.", ex.Message, StringComparison.Ordinal);
        Assert.Equal("n-9", ex.Target);
        Assert.Equal(CloudProvider.Exalsius, ex.Provider);
        Assert.Contains("\"instance\":\"/node/n-9\"", ex.RawBody, StringComparison.Ordinal);
        Assert.Equal(1, server.RequestCount);
    }

    [Fact]
    public async Task A_problem_json_422_on_list_becomes_ValidationFailed_without_retry()
    {
        await using var server = new CannedHttpServer(Problem(422, "bad-request", "Unprocessable Entity", "Invalid node type.", "/nodes"));

        var ex = await Assert.ThrowsAsync<NodeOpsApiException>(() => ToListAsync(Client(server).ListNodesAsync("CLOUD")));

        Assert.Equal(ErrorKind.ValidationFailed, ex.Kind);
        Assert.Equal("Invalid node type.", ex.ProviderMessage);
        Assert.Equal(1, server.RequestCount);
    }

    [Fact]
    public async Task Node_ids_are_escaped_as_one_path_segment_and_dot_segments_refused()
    {
        await using var server = new CannedHttpServer(CannedResponse.Json(Node("x", "AVAILABLE")));

        await Client(server).DescribeNodeAsync("a/b?c");
        var ex = await Assert.ThrowsAsync<NodeOpsException>(() => Client(server).DescribeNodeAsync(".."));

        Assert.Equal("/v1/node/a%2Fb%3Fc", Assert.Single(server.Requests).Target);
        Assert.Equal(ErrorKind.InvalidArgument, ex.Kind);
        Assert.Contains("-NodeId", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reads_a_cluster_s_nodes_by_role()
    {
        await using var server = new CannedHttpServer(CannedResponse.Json("""{"cluster_id":"c-1","control_plane_node_ids":["n-1"],"worker_node_ids":["n-2","n-3"],"total_nodes":3}"""));

        var members = await Client(server).GetClusterNodesAsync("c-1");

        Assert.Equal("/v1/cluster/c-1/nodes", Assert.Single(server.Requests).Target);
        Assert.Equal("c-1", members.ClusterId);
        Assert.Equal(["n-1"], members.ControlPlaneNodeIds);
        Assert.Equal(["n-2", "n-3"], members.WorkerNodeIds);
        Assert.Equal(3, members.TotalNodes);
        Assert.Equal(ExalsiusClusterRoles.Worker, members.RoleOf("n-3"));
        Assert.Null(members.RoleOf("n-4"));
    }

    [Fact]
    public async Task Listing_by_cluster_joins_through_the_cluster_nodes_and_sets_ClusterId_and_role()
    {
        await using var server = new CannedHttpServer((r, _) => r.Target.StartsWith("/v1/cluster/", StringComparison.Ordinal)
            ? CannedResponse.Json("""{"cluster_id":"c-1","control_plane_node_ids":["n-1"],"worker_node_ids":["n-2"]}""")
            : CannedResponse.Json(NodesList(Node("n-1", "DEPLOYED"), Node("n-2", "ADDED"), Node("n-3", "AVAILABLE"))));

        var nodes = (await ToListAsync(Facade(server).GetNodesAsync(new NodeQuery { ClusterId = "c-1" }))).Cast<ExalsiusNode>().ToList();

        Assert.Equal(["/v1/cluster/c-1/nodes", "/v1/nodes"], server.Requests.Select(r => r.Target));
        Assert.Equal(["n-1", "n-2"], nodes.Select(n => n.Id));
        Assert.All(nodes, n => Assert.Equal("c-1", n.ClusterId));
        Assert.Equal(ExalsiusClusterRoles.ControlPlane, nodes[0].ClusterRole);
        Assert.Equal(ExalsiusClusterRoles.Worker, nodes[1].ClusterRole);
    }

    [Fact]
    public async Task Getting_a_node_with_a_cluster_checks_membership()
    {
        await using var server = new CannedHttpServer((r, _) => r.Target.StartsWith("/v1/cluster/", StringComparison.Ordinal)
            ? CannedResponse.Json("""{"cluster_id":"c-1","control_plane_node_ids":[],"worker_node_ids":["n-1"]}""")
            : CannedResponse.Json(Node(r.Target[(r.Target.LastIndexOf('/') + 1)..], "DEPLOYED")));
        var facade = Facade(server);

        var member = Assert.IsType<ExalsiusNode>(await facade.GetNodeAsync("n-1", "c-1"));
        var ex = await Assert.ThrowsAsync<NodeOpsException>(() => facade.GetNodeAsync("n-2", "c-1"));

        Assert.Equal("c-1", member.ClusterId);
        Assert.Equal(ExalsiusClusterRoles.Worker, member.ClusterRole);
        Assert.Equal(ErrorKind.NotFound, ex.Kind);
        Assert.Contains("not in cluster 'c-1'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Lists_clusters_and_maps_their_status()
    {
        await using var server = new CannedHttpServer(CannedResponse.Json("""
            {"clusters":[
              {"id":"c-1","name":"train","cluster_status":"READY","created_at":"2026-01-05T12:00:00Z","control_plane_node_ids":["n-1"],"worker_node_ids":["n-2","n-3"]},
              {"id":"c-2","name":"new","cluster_status":"DEPLOYING","created_at":"2026-02-05T12:00:00Z"},
              {"id":"c-3","name":"odd","cluster_status":"SLEEPING","created_at":"2026-02-06T12:00:00Z"}],
             "total":3}
            """));

        var clusters = await ToListAsync(Facade(server).GetClustersAsync());
        var one = await Client(server).GetClusterAsync("c-2");

        Assert.All(server.Requests, r => Assert.Equal("/v1/clusters", r.Target));
        Assert.Equal(3, clusters.Count);
        Assert.Equal(ClusterStatus.Ready, clusters[0].Status);
        Assert.Equal(3, clusters[0].NodeCount);
        Assert.Equal("train", clusters[0].Name);
        Assert.Equal(new DateTimeOffset(2026, 1, 5, 12, 0, 0, TimeSpan.Zero), clusters[0].CreatedAt);
        Assert.Equal(ClusterStatus.Provisioning, clusters[1].Status);
        Assert.Null(clusters[1].NodeCount);
        Assert.Equal(ClusterStatus.Unknown, clusters[2].Status);
        Assert.Equal("SLEEPING", clusters[2].ProviderStatus);
        Assert.Equal("c-2", one.Id);
        await Assert.ThrowsAsync<NodeOpsException>(() => Client(server).GetClusterAsync("c-9"));
    }
}
