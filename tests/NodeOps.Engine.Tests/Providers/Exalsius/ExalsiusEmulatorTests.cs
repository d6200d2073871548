using System.Net.Http.Headers;
using System.Text.Json;
using NodeOps.Emulator.Admin;
using NodeOps.Emulator.Faults;
using NodeOps.Engine.Providers.Exalsius;
using NodeOps.Engine.Tests.Support;

namespace NodeOps.Engine.Tests.Providers.Exalsius;

/// <summary>
/// Every Exalsius endpoint against the emulator over loopback HTTP. The tests of this class share one
/// emulator, so each one works on nodes it picks or adds itself and does not rely on the others' order.
/// </summary>
public sealed class ExalsiusEmulatorTests(EmulatorFixture emulator) : IClassFixture<EmulatorFixture>
{
    private static readonly TimeSpan DiscoveryDeadline = TimeSpan.FromSeconds(15);

    private NodeOpsClient Facade(NodeOpsClientOptions? options = null) => emulator.Client(CloudProvider.Exalsius, options);

    private ExalsiusClient Exalsius(NodeOpsClientOptions? options = null) => Facade(options).ProviderClient<ExalsiusClient>();

    private static bool Seeded(ExalsiusNode n) =>
        n.Name is { } name && (name.StartsWith("ex-cloud-", StringComparison.Ordinal) || name.StartsWith("gpu-box-", StringComparison.Ordinal));

    /// <summary>A fresh node added through the admin API, so a test owns it.</summary>
    private async Task<string> AddNodeAsync(string status = "AVAILABLE", string nodeType = "SELF_MANAGED", string? clusterId = null)
    {
        var id = Guid.NewGuid().ToString("D");
        await emulator.Admin.AddNodeAsync("exalsius", new AdminNodeRequest { Id = id, Name = "test-" + id[..8], Status = status, NodeType = nodeType, ClusterId = clusterId });
        return id;
    }

    private async Task<List<RequestLogEntry>> RequestsAsync(string method, string pathContains) =>
        (await emulator.Admin.GetRequestsAsync("exalsius")).Where(e => e.Method == method && e.Path.Contains(pathContains, StringComparison.Ordinal)).ToList();

    // ---- list and describe ------------------------------------------------------------------------

    [Fact]
    public async Task Lists_the_seeded_pool_with_known_statuses_and_both_node_types()
    {
        var nodes = (await Facade().GetNodesAsync().ToListAsync()).Cast<ExalsiusNode>().Where(Seeded).ToList();

        Assert.True(nodes.Count >= 40, $"expected the 40 seeded nodes, got {nodes.Count}");
        Assert.All(nodes, n =>
        {
            Assert.Equal(CloudProvider.Exalsius, n.Provider);
            Assert.NotEqual(GpuNodeStatus.Unknown, n.Status);
            Assert.True(Guid.TryParse(n.Id, out _));
            Assert.NotNull(n.CreatedAt);
        });
        Assert.Contains(nodes, n => n.NodeType == "CLOUD" && n.Status == GpuNodeStatus.Ready);
        Assert.Contains(nodes, n => n.NodeType == "SELF_MANAGED" && n.Status == GpuNodeStatus.Ready);
        Assert.Contains(nodes, n => n.Status == GpuNodeStatus.InUse);
        Assert.Contains(nodes, n => n.Status == GpuNodeStatus.Failed);
        Assert.Contains(nodes, n => n.Status == GpuNodeStatus.Provisioning);
        Assert.Contains(nodes, n => n.Status == GpuNodeStatus.Degraded && !string.IsNullOrEmpty(n.WarningMessage));
    }

    [Fact]
    public async Task Node_type_and_provider_filters_are_applied_by_the_server()
    {
        var cloud = await Exalsius().ListNodesAsync("CLOUD").ToListAsync();
        var self = await Exalsius().ListNodesAsync("SELF_MANAGED").ToListAsync();
        var aws = await Facade().GetNodesAsync(new NodeQuery { HostingProvider = "aws" }).ToListAsync();

        Assert.NotEmpty(cloud);
        Assert.All(cloud, n =>
        {
            Assert.Equal("CLOUD", n.NodeType);
            Assert.NotNull(n.HostingProvider);
            Assert.NotNull(n.InstanceType);
            Assert.NotNull(n.Region);
            Assert.Null(n.SshEndpoint);
        });
        Assert.NotEmpty(self);
        Assert.All(self.Where(Seeded), n =>
        {
            Assert.Equal("SELF_MANAGED", n.NodeType);
            Assert.Matches(@"^10\.20\.\d+\.\d+:22$", n.SshEndpoint);
            Assert.Equal("ubuntu", n.Username);
            Assert.NotNull(n.SshKeyId);
        });
        Assert.NotEmpty(aws);
        Assert.All(aws.Cast<ExalsiusNode>(), n => Assert.Equal("aws", n.HostingProvider));

        var log = await RequestsAsync("GET", "/v1/nodes");
        Assert.Contains(log, e => e.Query.Contains("node_type=CLOUD", StringComparison.Ordinal));
        Assert.Contains(log, e => e.Query.Contains("provider=aws", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Sorts_by_hostname_and_by_creation_time_in_both_orders()
    {
        // Only the seeded nodes (lower-case hostnames): other tests of this class add their own.
        var up = (await Exalsius().ListNodesAsync(sortField: "HOSTNAME", orderBy: "ASC").ToListAsync()).Where(Seeded).Select(n => n.Name!).ToList();
        var down = (await Exalsius().ListNodesAsync(sortField: "HOSTNAME", orderBy: "DESC").ToListAsync()).Where(Seeded).Select(n => n.Name!).ToList();
        var byTime = (await Exalsius().ListNodesAsync(sortField: "CREATED_AT", orderBy: "ASC").ToListAsync()).Where(Seeded).Select(n => n.CreatedAt).ToList();

        Assert.True(up.Count >= 40);
        Assert.Equal(up.Order(StringComparer.Ordinal), up);
        Assert.Equal(Enumerable.Reverse(up), down);
        Assert.Equal(byTime.Order(), byTime);
    }

    [Fact]
    public async Task Describes_a_cloud_and_a_self_managed_node_like_the_listing()
    {
        var listed = await Exalsius().ListNodesAsync().ToListAsync();

        foreach (var expected in new[] { listed.First(n => n.NodeType == "CLOUD"), listed.First(n => n.NodeType == "SELF_MANAGED") })
        {
            var node = Assert.IsType<ExalsiusNode>(await Facade().GetNodeAsync(expected.Id));
            Assert.Equal(expected.Id, node.Id);
            Assert.Equal(expected.Name, node.Name);
            Assert.Equal(expected.ProviderStatus, node.ProviderStatus);
            Assert.Equal(expected.NodeType, node.NodeType);
            Assert.Equal(expected.Region, node.Region);
            Assert.Equal(expected.Zone, node.Zone);
            Assert.Equal(expected.CreatedAt, node.CreatedAt);
            Assert.Equal(expected.SshEndpoint, node.SshEndpoint);
            Assert.Equal(expected.GpuType, node.GpuType);
            Assert.Equal(expected.GpuCount, node.GpuCount);
        }
    }

    [Fact]
    public async Task An_unknown_node_is_a_problem_json_NotFound()
    {
        var ex = await Assert.ThrowsAsync<NodeOpsApiException>(() => Exalsius().DescribeNodeAsync(Guid.NewGuid().ToString()));

        Assert.Equal(ErrorKind.NotFound, ex.Kind);
        Assert.Equal(404, ex.StatusCode);
        Assert.Equal("not-found", ex.ProviderCode);
        Assert.False(string.IsNullOrEmpty(ex.ProviderMessage));
    }

    [Theory]
    [InlineData("HIBERNATING")]
    [InlineData("OCCUPIED")]
    [InlineData("STAGED")]
    public async Task Unknown_and_legacy_statuses_are_Unknown_with_the_raw_value(string status)
    {
        var id = await AddNodeAsync(status);

        var node = await Exalsius().DescribeNodeAsync(id);

        Assert.Equal(GpuNodeStatus.Unknown, node.Status);
        Assert.Equal(status, node.ProviderStatus);
    }

    [Fact]
    public async Task Ids_with_reserved_characters_reach_the_node()
    {
        var id = "odd/id ?#%" + Guid.NewGuid().ToString("N")[..6];
        await emulator.Admin.AddNodeAsync("exalsius", new AdminNodeRequest { Id = id, Status = "AVAILABLE" });

        Assert.Equal(id, (await Exalsius().DescribeNodeAsync(id)).Id);
    }

    [Fact]
    public async Task A_503_on_list_is_retried()
    {
        await emulator.Admin.AddScriptedFaultsAsync("exalsius", new ScriptedFault { Kind = "status", Status = 503, Method = "GET", PathContains = "/v1/nodes" });

        var nodes = await Exalsius().ListNodesAsync().ToListAsync();

        Assert.NotEmpty(nodes);
    }

    // ---- clusters ---------------------------------------------------------------------------------

    [Fact]
    public async Task Clusters_and_their_nodes_join_to_the_pool()
    {
        var clusters = await Facade().GetClustersAsync().ToListAsync();

        Assert.NotEmpty(clusters);
        Assert.All(clusters, c => Assert.Contains(c.Status, new[] { ClusterStatus.Ready, ClusterStatus.Provisioning }));
        foreach (var cluster in clusters)
        {
            var members = await Exalsius().GetClusterNodesAsync(cluster.Id);
            var nodes = (await Facade().GetNodesAsync(new NodeQuery { ClusterId = cluster.Id }).ToListAsync()).Cast<ExalsiusNode>().ToList();

            Assert.Equal(cluster.Id, members.ClusterId);
            Assert.Equal(members.TotalNodes, nodes.Count);
            Assert.Equal(members.ControlPlaneNodeIds.Count + members.WorkerNodeIds.Count, members.TotalNodes);
            Assert.All(nodes, n =>
            {
                Assert.Equal(cluster.Id, n.ClusterId);
                Assert.Equal(GpuNodeStatus.InUse, n.Status);
                Assert.Equal(members.RoleOf(n.Id), n.ClusterRole);
            });
            Assert.Contains(nodes, n => n.ClusterRole == ExalsiusClusterRoles.ControlPlane);

            var one = await Facade().GetNodeAsync(nodes[0].Id, cluster.Id);
            Assert.Equal(cluster.Id, one.ClusterId);
            Assert.Equal(cluster.Id, (await Facade().GetClusterAsync(cluster.Id)).Id);
        }
    }

    [Fact]
    public async Task An_unknown_cluster_is_NotFound()
    {
        var ex = await Assert.ThrowsAsync<NodeOpsApiException>(() => Exalsius().GetClusterNodesAsync("no-such-cluster"));

        Assert.Equal(ErrorKind.NotFound, ex.Kind);
    }

    // ---- delete -----------------------------------------------------------------------------------

    [Fact]
    public async Task Removes_an_available_node()
    {
        var id = await AddNodeAsync();

        await Facade().RemoveNodeAsync(id);

        var ex = await Assert.ThrowsAsync<NodeOpsApiException>(() => Exalsius().DescribeNodeAsync(id));
        Assert.Equal(ErrorKind.NotFound, ex.Kind);
    }

    [Theory]
    [InlineData("DEPLOYED", "InUse")]
    [InlineData("PENDING", "Provisioning")]
    [InlineData("FAILED", "Failed")]
    public async Task Removing_a_node_that_is_not_available_is_InvalidState_naming_its_state(string status, string normalised)
    {
        var id = await AddNodeAsync(status);

        var ex = await Assert.ThrowsAsync<NodeOpsApiException>(() => Facade().RemoveNodeAsync(id));

        Assert.Equal(ErrorKind.InvalidState, ex.Kind);
        Assert.Equal(409, ex.StatusCode);
        Assert.Equal("conflict", ex.ProviderCode);
        Assert.Contains($"current state is {status} ({normalised})", ex.Message, StringComparison.Ordinal);
        Assert.NotNull(ex.RecommendedAction);
        Assert.Equal(status, (await Exalsius().DescribeNodeAsync(id)).ProviderStatus);
    }

    [Fact]
    public async Task A_delete_whose_answer_is_lost_is_retried_and_the_404_counts_as_done()
    {
        var id = await AddNodeAsync();
        await emulator.Admin.AddScriptedFaultsAsync("exalsius", new ScriptedFault { Kind = "drop-after", Method = "DELETE", PathContains = id });

        Assert.Equal(id, await Exalsius().DeleteNodeAsync(id));

        var log = await RequestsAsync("DELETE", id);
        Assert.Equal(2, log.Count);
        Assert.Equal("drop-after", log[0].Fault);
        Assert.Equal(200, log[0].Status);
        Assert.Equal(404, log[1].Status);
    }

    // ---- patch and heartbeat ----------------------------------------------------------------------

    [Fact]
    public async Task Patch_replaces_the_facts_and_reports_a_token_without_showing_it()
    {
        var tracer = new RecordingTracer(includeBodies: true);
        var id = await AddNodeAsync();

        var result = await Facade(TestClients.FastOptions(tracer)).UpdateNodeAsync(new NodeUpdate
        {
            NodeId = id,
            Description = "rack 7, slot 3",
            Hardware = new NodeHardware { GpuCount = 8, GpuVendor = "NVIDIA", GpuType = "H200", GpuMemoryGb = 141, CpuCores = 128, MemoryGb = 2048, StorageGb = 7680 },
            Software = new NodeSoftware { Docker = "27.1.1", Nvidia = "560.35.03" },
            System = new NodeSystem { Os = "Ubuntu 24.04", Kernel = "6.8.0-45-generic" },
        });

        Assert.Equal(id, result.NodeId);
        Assert.True(result.AccessTokenIssued);
        Assert.Equal(Facade().Connection.Endpoint, result.Endpoint);
        Assert.Equal(3600, result.AccessTokenExpiresIn);
        var node = await Exalsius().DescribeNodeAsync(id);
        Assert.Equal("rack 7, slot 3", node.Description);
        Assert.Equal("H200", node.GpuType);
        Assert.Equal(8, node.GpuCount);
        Assert.Equal(141, node.Hardware?.GpuMemoryGb);
        Assert.Equal(7680, node.Hardware?.StorageGb);
        Assert.Equal("560.35.03", node.Software?.Nvidia);
        Assert.Equal("6.8.0-45-generic", node.System?.Kernel);

        // The reply's token was traced (bodies on) only as ***.
        var body = Assert.Single(tracer.Events, e => e.Kind == TraceEventKind.Body && e.Detail!.StartsWith("response body", StringComparison.Ordinal));
        Assert.Matches("\"next_access_token\"\\s*:\\s*\"\\*\\*\\*\"", body.Detail);
    }

    [Fact]
    public async Task Patch_whose_answer_is_lost_is_retried()
    {
        var id = await AddNodeAsync();
        await emulator.Admin.AddScriptedFaultsAsync("exalsius", new ScriptedFault { Kind = "drop-after", Method = "PATCH", PathContains = id });

        var result = await Exalsius().PatchNodeAsync(new NodeUpdate { NodeId = id, Hardware = new NodeHardware { GpuCount = 2 }, Software = new NodeSoftware(), System = new NodeSystem() });

        Assert.True(result.AccessTokenIssued);
        Assert.Equal(2, (await RequestsAsync("PATCH", id)).Count);
        Assert.Equal(2, (await Exalsius().DescribeNodeAsync(id)).GpuCount);
    }

    [Fact]
    public async Task Heartbeat_sends_no_body_and_moves_the_last_heartbeat()
    {
        var id = await AddNodeAsync();
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);

        var result = await Facade().SendHeartbeatAsync(id);

        Assert.Equal(id, result.NodeId);
        Assert.True(result.AccessTokenIssued);
        var heartbeat = Assert.Single(await RequestsAsync("PATCH", id));
        Assert.True(string.IsNullOrEmpty(heartbeat.Body));
        var node = await Exalsius().DescribeNodeAsync(id);
        Assert.NotNull(node.LastHeartbeat);
        Assert.True(node.LastHeartbeat >= before, $"last heartbeat {node.LastHeartbeat:O} is before {before:O}");
    }

    [Fact]
    public async Task Heartbeat_for_an_unknown_node_is_NotFound()
    {
        var ex = await Assert.ThrowsAsync<NodeOpsApiException>(() => Exalsius().SendHeartbeatAsync(Guid.NewGuid().ToString()));

        Assert.Equal(ErrorKind.NotFound, ex.Kind);
    }

    // ---- import from offer ------------------------------------------------------------------------

    private async Task<(string Id, double Price)> FirstOfferAsync()
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, emulator.BaseUrl(CloudProvider.Exalsius) + "/v1/offers");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TestClients.Token);
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var offer = doc.RootElement.GetProperty("offers")[0];
        return (offer.GetProperty("id").GetString()!, offer.GetProperty("price_per_hour").GetDouble());
    }

    [Fact]
    public async Task Imports_nodes_from_an_offer()
    {
        var (offerId, price) = await FirstOfferAsync();
        var hostname = "offer-" + Guid.NewGuid().ToString("N")[..8];

        var result = await Facade().ImportNodeFromOfferAsync(new ImportFromOfferRequest { OfferId = offerId, Hostname = hostname, Amount = 2 });

        Assert.Equal(2, result.NodeIds.Count);
        Assert.Equal(2, result.Total);
        Assert.Equal(Facade().Connection.Endpoint, result.Endpoint);
        foreach (var id in result.NodeIds)
        {
            var node = await Exalsius().DescribeNodeAsync(id);
            Assert.Equal("CLOUD", node.NodeType);
            Assert.Equal(GpuNodeStatus.Ready, node.Status);
            Assert.StartsWith(hostname, node.Name, StringComparison.Ordinal);
            Assert.Equal(price, node.PricePerHour);
        }
    }

    [Fact]
    public async Task Importing_from_an_unknown_offer_is_NotFound()
    {
        var ex = await Assert.ThrowsAsync<NodeOpsApiException>(() => Exalsius().ImportFromOfferAsync(Guid.NewGuid().ToString()));

        Assert.Equal(ErrorKind.NotFound, ex.Kind);
    }

    [Fact]
    public async Task An_offer_import_whose_answer_is_lost_is_OutcomeUnknown_and_sent_once()
    {
        var (offerId, _) = await FirstOfferAsync();
        var hostname = "lost-" + Guid.NewGuid().ToString("N")[..8];
        await emulator.Admin.AddScriptedFaultsAsync("exalsius", new ScriptedFault { Kind = "drop-after", Method = "POST", PathContains = "/import/offer/" });

        var ex = await Assert.ThrowsAsync<NodeOpsException>(() => Exalsius().ImportFromOfferAsync(offerId, hostname));

        Assert.Equal(ErrorKind.OutcomeUnknown, ex.Kind);
        Assert.Single(await RequestsAsync("POST", "/import/offer/"), e => e.Query.Contains(hostname, StringComparison.Ordinal));
        Assert.Single(await Exalsius().ListNodesAsync("CLOUD").Where(n => n.Name == hostname).ToListAsync());
    }

    // ---- import via SSH ---------------------------------------------------------------------------

    private static ImportViaSshRequest Ssh(string hostname, string endpoint) => new()
    {
        Hostname = hostname,
        Endpoint = endpoint,
        Username = "ubuntu",
        SshKeyId = "123e4567-e89b-12d3-a456-426614174000",
        Description = "imported by a test",
        PricePerHour = 0.75,
    };

    private static string UniqueEndpoint() => $"172.16.{Random.Shared.Next(0, 255)}.{Random.Shared.Next(1, 255)}:{Random.Shared.Next(1024, 65535)}";

    [Fact]
    public async Task An_ssh_import_goes_from_PENDING_to_AVAILABLE_and_a_second_one_already_exists()
    {
        var hostname = "ssh-" + Guid.NewGuid().ToString("N")[..8];
        var endpoint = UniqueEndpoint();

        var result = await Facade().ImportNodeViaSshAsync(Ssh(hostname, endpoint));

        var id = Assert.Single(result.NodeIds);
        var first = await Exalsius().DescribeNodeAsync(id);
        Assert.Equal("SELF_MANAGED", first.NodeType);
        Assert.Equal(hostname, first.Name);
        Assert.Equal(endpoint, first.SshEndpoint);
        Assert.Equal("ubuntu", first.Username);
        Assert.Equal(0.75, first.PricePerHour);
        Assert.Equal("imported by a test", first.Description);
        Assert.Contains(first.Status, new[] { GpuNodeStatus.Provisioning, GpuNodeStatus.Ready });

        var node = first;
        var deadline = DateTimeOffset.UtcNow + DiscoveryDeadline;
        while (node.Status == GpuNodeStatus.Provisioning && DateTimeOffset.UtcNow < deadline)
        {
            await Task.Delay(50);
            node = await Exalsius().DescribeNodeAsync(id);
        }

        Assert.Equal(GpuNodeStatus.Ready, node.Status);
        Assert.Equal("AVAILABLE", node.ProviderStatus);
        Assert.NotNull(node.Hardware);

        var again = await Assert.ThrowsAsync<NodeOpsApiException>(() => Facade().ImportNodeViaSshAsync(Ssh(hostname, endpoint)));
        Assert.Equal(ErrorKind.AlreadyExists, again.Kind);
        Assert.Equal(409, again.StatusCode);
        Assert.Equal("conflict", again.ProviderCode);
    }

    [Fact]
    public async Task An_ssh_import_whose_answer_is_lost_is_OutcomeUnknown_and_sent_once()
    {
        var hostname = "ssh-lost-" + Guid.NewGuid().ToString("N")[..8];
        await emulator.Admin.AddScriptedFaultsAsync("exalsius", new ScriptedFault { Kind = "drop-after", Method = "POST", PathContains = "/import/ssh" });

        var ex = await Assert.ThrowsAsync<NodeOpsException>(() => Exalsius().ImportViaSshAsync(Ssh(hostname, UniqueEndpoint())));

        Assert.Equal(ErrorKind.OutcomeUnknown, ex.Kind);
        Assert.Single(await RequestsAsync("POST", "/import/ssh"), e => e.Body?.Contains(hostname, StringComparison.Ordinal) == true);
        Assert.Single(await Exalsius().ListNodesAsync("SELF_MANAGED").Where(n => n.Name == hostname).ToListAsync());
    }

    [Fact]
    public async Task An_ssh_import_turned_away_by_a_429_is_retried()
    {
        var hostname = "ssh-429-" + Guid.NewGuid().ToString("N")[..8];
        await emulator.Admin.AddScriptedFaultsAsync("exalsius", new ScriptedFault { Kind = "ratelimit", RetryAfterSeconds = 0, Method = "POST", PathContains = "/import/ssh" });

        var result = await Exalsius().ImportViaSshAsync(Ssh(hostname, UniqueEndpoint()));

        Assert.Single(result.NodeIds);
        Assert.Equal(2, (await RequestsAsync("POST", "/import/ssh")).Count(e => e.Body?.Contains(hostname, StringComparison.Ordinal) == true));
    }
}
