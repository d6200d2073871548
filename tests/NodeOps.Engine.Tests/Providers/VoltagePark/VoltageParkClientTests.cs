using System.Diagnostics;
using System.Text.Json;
using NodeOps.Engine.Providers.VoltagePark;
using NodeOps.Engine.Tests.Support;

namespace NodeOps.Engine.Tests.Providers.VoltagePark;

/// <summary>
/// The Voltage Park client against exact replies written from providers-api.md §1 and seed 000 (not
/// from any emulator): wire names, paging, idempotency, error shapes and validation.
/// </summary>
public sealed class VoltageParkClientTests
{
    private const string Fleet1 = "900e8eac-2b1f-421f-a635-72556268b41f";
    private const string Fleet2 = "4b6f3d0e-8a51-4c39-9d7e-2f1c0a9b7e55";

    // 2025-01-01T00:00:00Z and friends, in milliseconds since the epoch.
    private const string FleetJson = $$$"""
        {"fleetId":"{{{Fleet1}}}","name":"training-a","status":"ACTIVE",
         "requestedAt":1735689600000,"provisionedAt":1735693200000,"createdAt":1735689601000,"updatedAt":1735700000123,
         "computeType":"BARE_METAL",
         "minimumFootprint":{"gpuNodes":{"instanceType":"h100-sxm5-8x","nodes":[
            {"nodeName":"g0386","state":"ACTIVE","publicIp":"203.0.113.10","gpuType":"H100"},
            {"nodeName":"g0387","state":"READY","publicIp":"203.0.113.11","gpuType":"H100"}]}},
         "infrastructure":{"network":"infiniband","vast":[]},
         "bootstrap":{},
         "fleetApps":null}
        """;

    private static VoltageParkClient Client(CannedHttpServer server, string? region = null, NodeOpsClientOptions? options = null) =>
        Facade(server, region, options).ProviderClient<VoltageParkClient>();

    private static NodeOpsClient Facade(CannedHttpServer server, string? region = null, NodeOpsClientOptions? options = null) =>
        new(ProviderConnection.Create(CloudProvider.VoltagePark, ApiCredential.FromToken(TestClients.Token, "test"), server.BaseUrl, region), options ?? TestClients.FastOptions());

    private static string Node(string name, string state, string? fleetId = null) =>
        fleetId is null
            ? $$"""{"nodeName":"{{name}}","state":"{{state}}","publicIp":"198.51.100.{{name.Length}}"}"""
            : $$"""{"nodeName":"{{name}}","state":"{{state}}","publicIp":"198.51.100.{{name.Length}}","fleetId":"{{fleetId}}"}""";

    private static string NodesPage(string? nextToken, int? limit, params string[] nodes) =>
        $$"""{"nodes":[{{string.Join(",", nodes)}}],"nextToken":{{(nextToken is null ? "null" : $"\"{nextToken}\"")}},"limit":{{(limit is null ? "null" : limit.ToString())}}}""";

    private static CannedResponse NotFound(string what) =>
        CannedResponse.Json($$"""{"error":"{{what}} not found","code":"NOT_FOUND","timestamp":1735689600000}""", 404);

    private static CannedResponse HealthUnavailable(string fleetId, string status) =>
        CannedResponse.Json($$"""{"error":"Fleet is not active","fleetId":"{{fleetId}}","status":"{{status}}"}""", 422);

    private static async Task<List<T>> ToListAsync<T>(IAsyncEnumerable<T> source)
    {
        var list = new List<T>();
        await foreach (var item in source)
        {
            list.Add(item);
        }

        return list;
    }

    // ---- fleets -----------------------------------------------------------------------------------

    [Fact]
    public async Task Get_fleet_reads_millisecond_times_and_maps_the_fleet()
    {
        await using var server = new CannedHttpServer(CannedResponse.Json(FleetJson));

        var fleet = await Client(server, region: "iad1").GetFleetAsync(Fleet1);

        Assert.Equal($"/v1/fleets/{Fleet1}", Assert.Single(server.Requests).Target);
        Assert.Equal(Fleet1, fleet.Id);
        Assert.Equal("training-a", fleet.Name);
        Assert.Equal(ClusterStatus.Ready, fleet.Status);
        Assert.Equal("ACTIVE", fleet.ProviderStatus);
        Assert.Equal("iad1", fleet.Region);
        Assert.Equal(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero), fleet.RequestedAt);
        Assert.Equal(new DateTimeOffset(2025, 1, 1, 1, 0, 0, TimeSpan.Zero), fleet.ProvisionedAt);
        Assert.Equal(new DateTimeOffset(2025, 1, 1, 0, 0, 1, TimeSpan.Zero), fleet.CreatedAt);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1735700000123), fleet.UpdatedAt);
        Assert.Equal(123, fleet.UpdatedAt!.Value.Millisecond);
        Assert.Equal("BARE_METAL", fleet.ComputeType);
        Assert.Equal("h100-sxm5-8x", fleet.InstanceType);
        Assert.Equal("infiniband", fleet.Network);
        Assert.Equal(2, fleet.NodeCount);
        Assert.Equal(["g0386", "g0387"], fleet.NodeNames);
        Assert.Equal("H100", fleet.GpuType);
    }

    [Fact]
    public async Task A_fleet_without_provisionedAt_has_a_null_time()
    {
        var json = FleetJson.Replace("\"provisionedAt\":1735693200000,", string.Empty, StringComparison.Ordinal).Replace("\"ACTIVE\",\n", "\"PROVISIONING\",\n", StringComparison.Ordinal);
        await using var server = new CannedHttpServer(CannedResponse.Json(json));

        var fleet = await Client(server).GetFleetAsync(Fleet1);

        Assert.Null(fleet.ProvisionedAt);
        Assert.NotNull(fleet.CreatedAt);
    }

    [Fact]
    public async Task List_fleets_always_sends_a_limit_and_follows_nextToken()
    {
        var f2 = FleetJson.Replace(Fleet1, Fleet2, StringComparison.Ordinal);
        await using var server = new CannedHttpServer((_, i) => i switch
        {
            0 => CannedResponse.Json($$"""{"fleets":[{{FleetJson}}],"nextToken":"eyJwYWdlIjoyfQ==","limit":100}"""),
            _ => CannedResponse.Json($$"""{"fleets":[{{f2}}],"nextToken":null,"limit":100}"""),
        });

        var fleets = await ToListAsync(Client(server).ListFleetsAsync());

        Assert.Equal([Fleet1, Fleet2], fleets.Select(f => f.Id));
        Assert.Equal(
            ["/v1/fleets?limit=100", "/v1/fleets?limit=100&nextToken=eyJwYWdlIjoyfQ%3D%3D"],
            server.Requests.Select(r => r.Target));
    }

    [Fact]
    public async Task Get_clusters_through_the_facade_lists_fleets()
    {
        await using var server = new CannedHttpServer(CannedResponse.Json($$"""{"fleets":[{{FleetJson}}],"nextToken":null,"limit":100}"""));

        var clusters = await ToListAsync(Facade(server).GetClustersAsync());

        var fleet = Assert.IsType<VoltageParkFleet>(Assert.Single(clusters));
        Assert.Equal(Fleet1, fleet.ClusterId);
    }

    // ---- health -----------------------------------------------------------------------------------

    [Fact]
    public async Task Fleet_health_is_read_with_node_entries_and_times()
    {
        await using var server = new CannedHttpServer(CannedResponse.Json($$"""
            {"fleetId":"{{Fleet1}}","status":"degraded","kubernetesHealth":{"apiServer":"ok","nodesReady":1},
             "nodeHealth":[{"nodeId":"g0386","status":"unhealthy","lastUpdatedAt":1735689600000},
                           {"nodeId":"g0387","status":"healthy","lastUpdatedAt":1735689660000}]}
            """));

        var health = await Client(server).GetFleetHealthAsync(Fleet1);

        Assert.Equal($"/v1/fleets/{Fleet1}/health", Assert.Single(server.Requests).Target);
        Assert.Equal(Fleet1, health.FleetId);
        Assert.Equal("degraded", health.Status);
        Assert.Equal(2, health.Nodes.Count);
        Assert.Equal("unhealthy", health.Nodes[0].Status);
        Assert.Equal(new DateTimeOffset(2025, 1, 1, 0, 1, 0, TimeSpan.Zero), health.Nodes[1].LastUpdatedAt);
        using var k8s = JsonDocument.Parse(health.KubernetesHealthJson!);
        Assert.Equal(1, k8s.RootElement.GetProperty("nodesReady").GetInt32());
    }

    [Fact]
    public async Task Fleet_health_422_is_InvalidState_naming_the_fleet_and_its_status()
    {
        await using var server = new CannedHttpServer(HealthUnavailable(Fleet1, "PROVISIONING"));

        var ex = await Assert.ThrowsAsync<NodeOpsApiException>(() => Client(server).GetFleetHealthAsync(Fleet1));

        Assert.Equal(ErrorKind.InvalidState, ex.Kind);
        Assert.Equal(422, ex.StatusCode);
        Assert.Equal(Fleet1, ex.Target);
        Assert.Contains(Fleet1, ex.Message, StringComparison.Ordinal);
        Assert.Contains("PROVISIONING", ex.Message, StringComparison.Ordinal);
        Assert.Contains("ACTIVE", ex.Message, StringComparison.Ordinal);
        Assert.Equal("Fleet is not active", ex.ProviderMessage);
        Assert.Equal(1, server.RequestCount);
    }

    // ---- nodes ------------------------------------------------------------------------------------

    [Fact]
    public async Task List_nodes_pages_with_limit_and_nextToken_and_streams_every_page()
    {
        await using var server = new CannedHttpServer((_, i) => i switch
        {
            0 => CannedResponse.Json(NodesPage("t1", 2, Node("g1", "ACTIVE"), Node("g2", "READY"))),
            1 => CannedResponse.Json(NodesPage("t 2/+", 2, Node("g3", "TESTING"), Node("g4", "UNHEALTHY"))),
            _ => CannedResponse.Json(NodesPage(null, 2, Node("g5", "TERMINATED"))),
        });

        var nodes = await ToListAsync(Client(server, region: "ord1").ListNodesAsync(Fleet1, pageSize: 2));

        Assert.Equal(
            [
                $"/v1/fleets/{Fleet1}/nodes?limit=2",
                $"/v1/fleets/{Fleet1}/nodes?limit=2&nextToken=t1",
                $"/v1/fleets/{Fleet1}/nodes?limit=2&nextToken=t%202%2F%2B",
            ],
            server.Requests.Select(r => r.Target));
        Assert.Equal(["g1", "g2", "g3", "g4", "g5"], nodes.Select(n => n.Id));
        Assert.Equal(
            [GpuNodeStatus.InUse, GpuNodeStatus.Ready, GpuNodeStatus.Provisioning, GpuNodeStatus.Degraded, GpuNodeStatus.Terminated],
            nodes.Select(n => n.Status));
        Assert.All(nodes, n =>
        {
            Assert.Equal(n.Id, n.Name);
            Assert.Equal(Fleet1, n.ClusterId);
            Assert.Equal(Fleet1, n.FleetId);
            Assert.Equal("ord1", n.Region);
            Assert.Null(n.CreatedAt);
            Assert.Null(n.GpuCount);
            Assert.Null(n.Health);
        });
    }

    [Fact]
    public async Task Listing_streams_the_first_page_before_asking_for_the_next()
    {
        var secondAsked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = new CannedHttpServer((_, i) =>
        {
            if (i == 0)
            {
                return CannedResponse.Json(NodesPage("t1", 1, Node("g1", "ACTIVE")));
            }

            secondAsked.TrySetResult();
            return CannedResponse.Json(NodesPage(null, 1, Node("g2", "ACTIVE")));
        });

        await using var e = Client(server).ListNodesAsync(Fleet1, pageSize: 1).GetAsyncEnumerator();
        Assert.True(await e.MoveNextAsync());
        Assert.Equal("g1", e.Current.Id);
        Assert.Equal(1, server.RequestCount);
        Assert.False(secondAsked.Task.IsCompleted);
        Assert.True(await e.MoveNextAsync());
        Assert.Equal("g2", e.Current.Id);
    }

    [Fact]
    public async Task The_default_node_page_size_is_100()
    {
        await using var server = new CannedHttpServer(CannedResponse.Json(NodesPage(null, 100, Node("g1", "READY"))));

        await ToListAsync(Client(server).ListNodesAsync(Fleet1));

        Assert.Equal($"/v1/fleets/{Fleet1}/nodes?limit=100", Assert.Single(server.Requests).Target);
    }

    [Fact]
    public async Task Every_node_state_maps_and_an_unknown_state_keeps_its_raw_value()
    {
        string[] states = ["PROVISIONING", "ONBOARDING", "CONFIGURING", "BASELINING", "TESTING", "VALIDATION", "READY", "ACTIVE",
            "UNHEALTHY", "FAILED_PROVISIONING", "CONTRACTING", "TERMINATING", "TERMINATED", "HIBERNATING"];
        GpuNodeStatus[] expected = [GpuNodeStatus.Provisioning, GpuNodeStatus.Provisioning, GpuNodeStatus.Provisioning, GpuNodeStatus.Provisioning,
            GpuNodeStatus.Provisioning, GpuNodeStatus.Provisioning, GpuNodeStatus.Ready, GpuNodeStatus.InUse, GpuNodeStatus.Degraded,
            GpuNodeStatus.Failed, GpuNodeStatus.Terminating, GpuNodeStatus.Terminating, GpuNodeStatus.Terminated, GpuNodeStatus.Unknown];
        var page = NodesPage(null, 100, states.Select((s, i) => Node($"g{i:D4}", s)).ToArray());
        await using var server = new CannedHttpServer(CannedResponse.Json(page));

        var nodes = await ToListAsync(Client(server).ListNodesAsync(Fleet1));

        Assert.Equal(expected, nodes.Select(n => n.Status));
        Assert.Equal(states, nodes.Select(n => n.ProviderStatus));
        Assert.Equal(states, nodes.Select(n => n.State));
        Assert.Equal("HIBERNATING", nodes[^1].ProviderStatus);
    }

    [Fact]
    public async Task A_repeated_nextToken_fails_instead_of_looping()
    {
        await using var server = new CannedHttpServer(CannedResponse.Json(NodesPage("same", 1, Node("g1", "READY"))));

        var ex = await Assert.ThrowsAsync<NodeOpsException>(() => ToListAsync(Client(server).ListNodesAsync(Fleet1, pageSize: 1)));

        Assert.Equal(ErrorKind.InvalidResponse, ex.Kind);
        Assert.Contains("repeats", ex.Message, StringComparison.Ordinal);
        Assert.Equal(2, server.RequestCount);
    }

    [Fact]
    public async Task An_empty_nextToken_fails_instead_of_ending_silently()
    {
        await using var server = new CannedHttpServer(CannedResponse.Json(NodesPage(string.Empty, 1, Node("g1", "READY"))));

        var ex = await Assert.ThrowsAsync<NodeOpsException>(() => ToListAsync(Client(server).ListNodesAsync(Fleet1, pageSize: 1)));

        Assert.Equal(ErrorKind.InvalidResponse, ex.Kind);
        Assert.Equal(1, server.RequestCount);
    }

    [Fact]
    public async Task A_node_page_without_nodes_is_an_invalid_reply()
    {
        await using var server = new CannedHttpServer(CannedResponse.Json("""{"nextToken":null,"limit":100}"""));

        var ex = await Assert.ThrowsAsync<NodeOpsException>(() => ToListAsync(Client(server).ListNodesAsync(Fleet1)));

        Assert.Equal(ErrorKind.InvalidResponse, ex.Kind);
        Assert.Contains("'nodes'", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(101)]
    [InlineData(-5)]
    public async Task Page_size_is_checked_before_sending(int pageSize)
    {
        await using var server = new CannedHttpServer(CannedResponse.Json(NodesPage(null, 100)));

        var ex = Assert.Throws<NodeOpsException>(() => Client(server).ListNodesAsync(Fleet1, pageSize));
        var viaFacade = await Assert.ThrowsAsync<NodeOpsException>(() => ToListAsync(Facade(server).GetNodesAsync(new NodeQuery { ClusterId = Fleet1, PageSize = pageSize })));
        var fleets = Assert.Throws<NodeOpsException>(() => Client(server).ListFleetsAsync(pageSize));

        Assert.All([ex, viaFacade, fleets], e =>
        {
            Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
            Assert.Contains("-PageSize", e.Message, StringComparison.Ordinal);
        });
        Assert.Equal(0, server.RequestCount);
    }

    [Fact]
    public async Task Get_node_reads_one_node_with_its_fields()
    {
        await using var server = new CannedHttpServer(CannedResponse.Json($$"""{"nodeName":"g0386","state":"ACTIVE","publicIp":"203.0.113.10","fleetId":"{{Fleet1}}","gpuType":"H100"}"""));

        var node = await Client(server).GetNodeAsync(Fleet1, "g0386");

        Assert.Equal($"/v1/fleets/{Fleet1}/nodes/g0386", Assert.Single(server.Requests).Target);
        Assert.Equal("g0386", node.Id);
        Assert.Equal("g0386", node.Name);
        Assert.Equal(GpuNodeStatus.InUse, node.Status);
        Assert.Equal("203.0.113.10", node.PublicIp);
        Assert.Equal("H100", node.GpuType);
        Assert.Equal(CloudProvider.VoltagePark, node.Provider);
        Assert.Equal(server.BaseUrl, node.Endpoint);
    }

    [Fact]
    public async Task Node_ids_are_escaped_as_one_path_segment_and_dot_segments_refused()
    {
        await using var server = new CannedHttpServer(CannedResponse.Json("""{"nodeName":"a/b","state":"READY","publicIp":"x"}"""));

        await Client(server).GetNodeAsync(Fleet1, "a/b");
        var ex = await Assert.ThrowsAsync<NodeOpsException>(() => Client(server).GetNodeAsync(Fleet1, ".."));
        var viaFacade = await Assert.ThrowsAsync<NodeOpsException>(() => Facade(server).GetNodeAsync("..", Fleet1));

        Assert.Equal($"/v1/fleets/{Fleet1}/nodes/a%2Fb", Assert.Single(server.Requests).Target);
        Assert.Contains("-NodeId", ex.Message, StringComparison.Ordinal);
        Assert.Contains("-Id", viaFacade.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_node_404_carries_the_Voltage_Park_error_body()
    {
        await using var server = new CannedHttpServer(
            CannedResponse.Json("""{"error":"Node g9 not found in fleet","code":"NODE_NOT_FOUND","timestamp":1735689600000,"details":{"nodeId":"g9"}}""", 404));

        var ex = await Assert.ThrowsAsync<NodeOpsApiException>(() => Client(server).GetNodeAsync(Fleet1, "g9"));

        Assert.Equal(ErrorKind.NotFound, ex.Kind);
        Assert.Equal(404, ex.StatusCode);
        Assert.Equal("NODE_NOT_FOUND", ex.ProviderCode);
        Assert.Equal("Node g9 not found in fleet", ex.ProviderMessage);
        Assert.Equal("g9", ex.Target);
        Assert.Contains("Node g9 not found in fleet", ex.Message, StringComparison.Ordinal);
        Assert.Contains("\"details\"", ex.RawBody, StringComparison.Ordinal);
        Assert.Equal("GET", ex.Method);
        Assert.Equal(1, server.RequestCount);
    }

    [Fact]
    public async Task A_400_from_list_fleets_is_a_validation_error_with_its_code()
    {
        await using var server = new CannedHttpServer(CannedResponse.Json("""{"error":"limit must be between 0 and 100","code":"INVALID_PARAMETER","timestamp":1735689600000}""", 400));

        var ex = await Assert.ThrowsAsync<NodeOpsApiException>(() => ToListAsync(Client(server).ListFleetsAsync()));

        Assert.Equal(ErrorKind.ValidationFailed, ex.Kind);
        Assert.Equal("INVALID_PARAMETER", ex.ProviderCode);
        Assert.Contains("limit must be between 0 and 100", ex.Message, StringComparison.Ordinal);
    }

    // ---- nodes through the facade (health) --------------------------------------------------------

    [Fact]
    public async Task Listing_a_fleet_fetches_health_once_and_lowers_Ready_and_InUse()
    {
        await using var server = new CannedHttpServer((r, _) => r.Target switch
        {
            var t when t.EndsWith("/health", StringComparison.Ordinal) => CannedResponse.Json($$"""
                {"fleetId":"{{Fleet1}}","status":"degraded","nodeHealth":[
                  {"nodeId":"g1","status":"unhealthy","lastUpdatedAt":1735689600000},
                  {"nodeId":"g2","status":"healthy","lastUpdatedAt":1735689600000},
                  {"nodeId":"g3","status":"degraded","lastUpdatedAt":1735689600000},
                  {"nodeId":"g4","status":"unhealthy","lastUpdatedAt":1735689600000}]}
                """),
            var t when t.Contains("nextToken", StringComparison.Ordinal) => CannedResponse.Json(NodesPage(null, 2, Node("g4", "PROVISIONING"), Node("g5", "ACTIVE"))),
            _ => CannedResponse.Json(NodesPage("p2", 2, Node("g1", "ACTIVE"), Node("g2", "READY"), Node("g3", "READY"))),
        });

        var nodes = (await ToListAsync(Facade(server).GetNodesAsync(new NodeQuery { ClusterId = Fleet1 }))).Cast<VoltageParkNode>().ToList();

        Assert.Equal(
            [GpuNodeStatus.Degraded, GpuNodeStatus.Ready, GpuNodeStatus.Degraded, GpuNodeStatus.Provisioning, GpuNodeStatus.InUse],
            nodes.Select(n => n.Status));
        Assert.Equal(new string?[] { "unhealthy", "healthy", "degraded", "unhealthy", null }, nodes.Select(n => n.Health));
        Assert.Equal("ACTIVE", nodes[0].ProviderStatus);
        Assert.Equal(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero), nodes[0].HealthUpdatedAt);
        Assert.Single(server.Requests, r => r.Target.EndsWith("/health", StringComparison.Ordinal));

        // Health and the first page are asked for at once, in no fixed order; the next page once both are in.
        var targets = server.Requests.Select(r => r.Target).ToList();
        Assert.Equal([$"/v1/fleets/{Fleet1}/health", $"/v1/fleets/{Fleet1}/nodes?limit=100"], targets.Take(2).Order(StringComparer.Ordinal));
        Assert.Equal($"/v1/fleets/{Fleet1}/nodes?limit=100&nextToken=p2", targets[2]);
    }

    [Fact]
    public async Task Listing_a_fleet_whose_health_answers_422_uses_node_state_alone()
    {
        await using var server = new CannedHttpServer((r, _) => r.Target.EndsWith("/health", StringComparison.Ordinal)
            ? HealthUnavailable(Fleet1, "SCALING_UP")
            : CannedResponse.Json(NodesPage(null, 100, Node("g1", "ACTIVE"), Node("g2", "ONBOARDING"))));

        var nodes = (await ToListAsync(Facade(server).GetNodesAsync(new NodeQuery { ClusterId = Fleet1 }))).Cast<VoltageParkNode>().ToList();

        Assert.Equal([GpuNodeStatus.InUse, GpuNodeStatus.Provisioning], nodes.Select(n => n.Status));
        Assert.All(nodes, n => Assert.Null(n.Health));
        Assert.Equal(2, server.RequestCount);
    }

    [Fact]
    public async Task Listing_a_fleet_fails_when_health_fails_for_another_reason()
    {
        await using var server = new CannedHttpServer((r, _) => r.Target.EndsWith("/health", StringComparison.Ordinal)
            ? NotFound("Fleet")
            : CannedResponse.Json(NodesPage(null, 100, Node("g1", "ACTIVE"))));

        var ex = await Assert.ThrowsAsync<NodeOpsApiException>(() => ToListAsync(Facade(server).GetNodesAsync(new NodeQuery { ClusterId = Fleet1 })));

        Assert.Equal(ErrorKind.NotFound, ex.Kind);
    }

    // ---- health beside the first page --------------------------------------------------------------

    private const string HealthAfterNodes = "health answered once the nodes were asked for";

    /// <summary>
    /// Answers a fleet's health only once its first node page was asked for, or after four seconds noting that
    /// it answered alone: a client that reads health before the first page fails such a test instead of hanging.
    /// The first page's next one is answered with <paramref name="nextPage"/>; <paramref name="order"/> records
    /// when health was answered and when the next page was asked for.
    /// </summary>
    private static CannedHttpServer HealthHeldUntilNodesAsked(
        List<string> order,
        Func<CannedResponse> health,
        CannedResponse firstPage,
        CannedResponse? nextPage = null)
    {
        var nodesAsked = new TaskCompletionSource();
        return new((r, _) =>
        {
            if (r.Target.EndsWith("/health", StringComparison.Ordinal))
            {
                var beside = nodesAsked.Task.Wait(TimeSpan.FromSeconds(4));
                lock (order)
                {
                    order.Add(beside ? HealthAfterNodes : "health answered alone");
                }

                return health();
            }

            if (r.Target.Contains("nextToken=", StringComparison.Ordinal))
            {
                lock (order)
                {
                    order.Add("next page asked");
                }

                return nextPage ?? NotFound("Page");
            }

            nodesAsked.TrySetResult();
            return firstPage;
        });
    }

    /// <summary>The nodes of <see cref="Fleet1"/> (or <paramref name="fleetId"/>) through the facade, which reads health.</summary>
    private static async Task<List<VoltageParkNode>> ListFleetAsync(CannedHttpServer server, NodeOpsClientOptions? options = null, string fleetId = Fleet1) =>
        (await ToListAsync(Facade(server, options: options).GetNodesAsync(new NodeQuery { ClusterId = fleetId }))).Cast<VoltageParkNode>().ToList();

    private static NodeOpsClientOptions CountedOptions(InFlightCounter transport)
    {
        var options = TestClients.FastOptions();
        options.Transport = transport;
        return options;
    }

    [Fact]
    public async Task Listing_a_fleet_asks_for_its_health_beside_the_first_page_and_joins_them()
    {
        var order = new List<string>();
        await using var server = HealthHeldUntilNodesAsked(
            order,
            () => CannedResponse.Json($$"""
                {"fleetId":"{{Fleet1}}","status":"degraded","nodeHealth":[
                  {"nodeId":"g1","status":"unhealthy","lastUpdatedAt":1735689600000},
                  {"nodeId":"g3","status":"degraded","lastUpdatedAt":1735689600000}]}
                """),
            CannedResponse.Json(NodesPage("p2", 2, Node("g1", "ACTIVE"), Node("g2", "READY"))),
            CannedResponse.Json(NodesPage(null, 2, Node("g3", "READY"))));

        var nodes = await ListFleetAsync(server);

        Assert.Equal([HealthAfterNodes, "next page asked"], order);
        Assert.Equal(["g1", "g2", "g3"], nodes.Select(n => n.Id));
        Assert.Equal([GpuNodeStatus.Degraded, GpuNodeStatus.Ready, GpuNodeStatus.Degraded], nodes.Select(n => n.Status));
        Assert.Equal(new string?[] { "unhealthy", null, "degraded" }, nodes.Select(n => n.Health));
        Assert.Equal(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero), nodes[0].HealthUpdatedAt);
        Assert.Equal(["198.51.100.2", "198.51.100.2", "198.51.100.2"], nodes.Select(n => n.PublicIp));
        Assert.All(nodes, n => Assert.Equal(Fleet1, n.FleetId));
    }

    [Fact]
    public async Task Listing_a_fleet_whose_health_answers_422_beside_the_first_page_uses_node_state_alone()
    {
        var order = new List<string>();
        await using var server = HealthHeldUntilNodesAsked(
            order,
            () => HealthUnavailable(Fleet1, "SCALING_UP"),
            CannedResponse.Json(NodesPage("p2", 1, Node("g1", "ACTIVE"))),
            CannedResponse.Json(NodesPage(null, 1, Node("g2", "ONBOARDING"))));

        var nodes = await ListFleetAsync(server);

        Assert.Equal([HealthAfterNodes, "next page asked"], order);
        Assert.Equal([GpuNodeStatus.InUse, GpuNodeStatus.Provisioning], nodes.Select(n => n.Status));
        Assert.All(nodes, n => Assert.Null(n.Health));
    }

    [Fact]
    public async Task Listing_a_fleet_whose_health_fails_after_the_first_page_arrived_lists_nothing_and_raises_the_health_error()
    {
        var order = new List<string>();
        await using var server = HealthHeldUntilNodesAsked(
            order,
            () =>
            {
                // Long enough for the page's answer to be read first.
                Thread.Sleep(200);
                return NotFound("Fleet");
            },
            CannedResponse.Json(NodesPage("p2", 1, Node("g1", "ACTIVE"))));
        var seen = new List<string>();

        var ex = await Assert.ThrowsAsync<NodeOpsApiException>(async () =>
        {
            await foreach (var node in Facade(server).GetNodesAsync(new NodeQuery { ClusterId = Fleet1 }))
            {
                seen.Add(node.Id);
            }
        });

        // As when health was read first: its error, and no node listed without it.
        Assert.Equal(ErrorKind.NotFound, ex.Kind);
        Assert.Equal($"/v1/fleets/{Fleet1}/health", ex.RequestPath);
        Assert.Empty(seen);
        Assert.Equal([HealthAfterNodes], order);
    }

    [Fact]
    public async Task A_health_time_that_cannot_be_read_fails_the_health_read_not_the_join_with_the_page()
    {
        await using var server = new CannedHttpServer((r, _) => r.Target.EndsWith("/health", StringComparison.Ordinal)
            ? CannedResponse.Json($$"""{"fleetId":"{{Fleet1}}","nodeHealth":[{"nodeId":"g1","status":"unhealthy","lastUpdatedAt":-1}]}""")
            : CannedResponse.Json(NodesPage(null, 100, Node("g1", "ACTIVE"))));

        var ex = await Assert.ThrowsAsync<NodeOpsException>(() => ListFleetAsync(server));

        Assert.Equal(ErrorKind.InvalidResponse, ex.Kind);
        Assert.Contains("health of node 'g1'", ex.Message, StringComparison.Ordinal);

        // Retried like any reply that cannot be read: the health request, while its page was asked for once.
        Assert.Equal(1 + TestClients.FastOptions().MaxRetries, server.Requests.Count(r => r.Target.EndsWith("/health", StringComparison.Ordinal)));
        Assert.Single(server.Requests, r => r.Target.Contains("/nodes?", StringComparison.Ordinal));
    }

    [Fact]
    public async Task When_the_first_page_fails_beside_a_healthy_fleet_its_error_is_raised_once_health_is_in()
    {
        using var transport = new InFlightCounter();
        var order = new List<string>();
        await using var server = HealthHeldUntilNodesAsked(
            order,
            () => CannedResponse.Json($$"""{"fleetId":"{{Fleet1}}","nodeHealth":[]}"""),
            NotFound("Fleet"));

        var ex = await Assert.ThrowsAsync<NodeOpsApiException>(() => ListFleetAsync(server, CountedOptions(transport)));

        Assert.Equal(ErrorKind.NotFound, ex.Kind);
        Assert.Equal($"/v1/fleets/{Fleet1}/nodes?limit=100", ex.RequestPath);
        Assert.Equal([HealthAfterNodes], order);
        Assert.Equal(0, transport.InFlight);
    }

    [Fact]
    public async Task When_the_first_page_and_health_both_fail_the_health_error_is_raised_and_the_page_error_observed()
    {
        // Names this test's errors among those of every test running beside it.
        var fleet = Guid.NewGuid().ToString();
        var unobserved = new List<string>();
        void Record(object? sender, UnobservedTaskExceptionEventArgs e)
        {
            if (e.Exception.ToString().Contains(fleet, StringComparison.Ordinal))
            {
                lock (unobserved)
                {
                    unobserved.Add(e.Exception.ToString());
                }
            }
        }

        TaskScheduler.UnobservedTaskException += Record;
        try
        {
            await using var server = HealthHeldUntilNodesAsked(
                [],
                () => CannedResponse.Json("""{"error":"Not allowed","code":"PERMISSION_DENIED","timestamp":1735689600000}""", 403),
                NotFound("Fleet"));

            var ex = await Assert.ThrowsAsync<NodeOpsApiException>(() => ListFleetAsync(server, fleetId: fleet));

            Assert.Equal(ErrorKind.PermissionDenied, ex.Kind);
            Assert.Equal($"/v1/fleets/{fleet}/health", ex.RequestPath);
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            Assert.Empty(unobserved);
        }
        finally
        {
            TaskScheduler.UnobservedTaskException -= Record;
        }
    }

    [Fact]
    public async Task When_health_fails_while_the_first_page_is_pending_the_page_is_stopped()
    {
        using var transport = new InFlightCounter();
        await using var server = HealthHeldUntilNodesAsked([], () => NotFound("Fleet"), new CannedResponse { Hang = true });
        var options = CountedOptions(transport);

        // Limits far beyond the test, so only stopping the page can end the listing in time.
        options.AttemptTimeout = TimeSpan.FromSeconds(60);
        options.TotalTimeout = TimeSpan.FromSeconds(120);
        var clock = Stopwatch.StartNew();

        var ex = await Assert.ThrowsAsync<NodeOpsApiException>(() => ListFleetAsync(server, options));

        Assert.Equal(ErrorKind.NotFound, ex.Kind);
        Assert.Equal($"/v1/fleets/{Fleet1}/health", ex.RequestPath);
        Assert.InRange(clock.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(10));
        Assert.Equal(0, transport.InFlight);
    }

    [Fact]
    public async Task Cancelling_a_listing_while_health_and_the_first_page_are_pending_leaves_no_request_running()
    {
        using var transport = new InFlightCounter();
        using var cancel = new CancellationTokenSource();
        await using var server = new CannedHttpServer(new CannedResponse { Hang = true });
        var listing = ToListAsync(Facade(server, options: CountedOptions(transport)).GetNodesAsync(new NodeQuery { ClusterId = Fleet1 }, cancel.Token));
        var waited = Stopwatch.StartNew();
        while (server.RequestCount < 2 && waited.Elapsed < TimeSpan.FromSeconds(4))
        {
            await Task.Delay(10);
        }

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => listing);
        Assert.Equal(2, server.RequestCount);
        Assert.Equal(0, transport.InFlight);
    }

    [Fact]
    public async Task Listing_every_fleet_runs_at_most_two_requests_per_fleet_it_reads()
    {
        var fleets = new[] { Fleet1, Fleet2, "5d1c8a7e-3f2b-4e6a-9c0d-7b8e1f2a3c4d" };
        var listed = string.Join(",", fleets.Select((id, i) => FleetJson.Replace(Fleet1, id, StringComparison.Ordinal).Replace("training-a", $"training-{i}", StringComparison.Ordinal)));
        var pageAsked = fleets.Select(_ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).ToArray();
        await using var server = new CannedHttpServer((r, _) =>
        {
            if (r.Target == "/v1/fleets?limit=100")
            {
                return CannedResponse.Json($$"""{"fleets":[{{listed}}],"nextToken":null,"limit":100}""");
            }

            // A fleet's health is answered only once its page was asked for (bounded, so the old order fails
            // rather than hangs): both are then surely in flight together, however slow the machine.
            var fleet = Array.FindIndex(fleets, id => r.Target.StartsWith($"/v1/fleets/{id}/", StringComparison.Ordinal));
            if (r.Target.EndsWith("/health", StringComparison.Ordinal))
            {
                pageAsked[fleet].Task.Wait(TimeSpan.FromSeconds(4));
                return CannedResponse.Json($$"""{"fleetId":"{{fleets[fleet]}}","nodeHealth":[]}""");
            }

            pageAsked[fleet].TrySetResult();
            return CannedResponse.Json(NodesPage(null, 100, Node($"g{fleet}", "ACTIVE")));
        });
        using var transport = new InFlightCounter();
        var options = CountedOptions(transport);
        options.MaxConcurrency = 1;

        var nodes = await ToListAsync(Facade(server, options: options).GetNodesAsync());

        Assert.Equal(["g0", "g1", "g2"], nodes.Select(n => n.Id));
        Assert.Equal(2, transport.Most);
        Assert.Equal(7, server.RequestCount);
    }

    [Fact]
    public async Task Listing_without_a_fleet_walks_every_fleet_and_asks_health_only_of_active_ones()
    {
        var provisioning = FleetJson.Replace(Fleet1, Fleet2, StringComparison.Ordinal).Replace("\"ACTIVE\",\n", "\"PROVISIONING\",\n", StringComparison.Ordinal).Replace("training-a", "training-b", StringComparison.Ordinal);
        await using var server = new CannedHttpServer((r, _) => r.Target switch
        {
            "/v1/fleets?limit=100" => CannedResponse.Json($$"""{"fleets":[{{FleetJson}},{{provisioning}}],"nextToken":null,"limit":100}"""),
            var t when t == $"/v1/fleets/{Fleet1}/health" => CannedResponse.Json($$"""{"fleetId":"{{Fleet1}}","status":"healthy","nodeHealth":[{"nodeId":"g0387","status":"degraded","lastUpdatedAt":1}]}"""),
            var t when t.StartsWith($"/v1/fleets/{Fleet1}/nodes?", StringComparison.Ordinal) => CannedResponse.Json(NodesPage(null, 100, Node("g0386", "ACTIVE"), Node("g0387", "READY"))),
            var t when t.StartsWith($"/v1/fleets/{Fleet2}/nodes?", StringComparison.Ordinal) => CannedResponse.Json(NodesPage(null, 100, Node("g0400", "CONFIGURING"))),
            _ => NotFound("route"),
        });

        var nodes = (await ToListAsync(Facade(server).GetNodesAsync())).Cast<VoltageParkNode>().ToList();

        Assert.Equal(["g0386", "g0387", "g0400"], nodes.Select(n => n.Id));
        Assert.Equal([GpuNodeStatus.InUse, GpuNodeStatus.Degraded, GpuNodeStatus.Provisioning], nodes.Select(n => n.Status));
        Assert.Equal([Fleet1, Fleet1, Fleet2], nodes.Select(n => n.ClusterId));
        Assert.Equal(["training-a", "training-a", "training-b"], nodes.Select(n => n.FleetName));

        // Every other request needs the fleet list, so it comes first; the fleets are then read side by side,
        // each fleet's health beside its first page, so no order among the rest is fixed.
        var targets = server.Requests.Select(r => r.Target).ToList();
        Assert.Equal("/v1/fleets?limit=100", targets[0]);
        Assert.Equal(
            new[] { $"/v1/fleets/{Fleet1}/health", $"/v1/fleets/{Fleet1}/nodes?limit=100", $"/v1/fleets/{Fleet2}/nodes?limit=100" }.Order(StringComparer.Ordinal),
            targets.Skip(1).Order(StringComparer.Ordinal));
    }

    /// <summary>Two PROVISIONING fleets (no health): the first answers its nodes only once the second fleet's nodes were asked for.</summary>
    private static CannedHttpServer TwoFleetsWhereTheFirstWaitsForTheSecond(ManualResetEventSlim secondAsked, TimeSpan wait, List<string> order)
    {
        var first = FleetJson.Replace("\"ACTIVE\",\n", "\"PROVISIONING\",\n", StringComparison.Ordinal);
        var second = first.Replace(Fleet1, Fleet2, StringComparison.Ordinal).Replace("training-a", "training-b", StringComparison.Ordinal);
        return new CannedHttpServer((r, _) =>
        {
            if (r.Target == "/v1/fleets?limit=100")
            {
                return CannedResponse.Json($$"""{"fleets":[{{first}},{{second}}],"nextToken":null,"limit":100}""");
            }

            if (r.Target.StartsWith($"/v1/fleets/{Fleet2}/nodes?", StringComparison.Ordinal))
            {
                secondAsked.Set();
                return CannedResponse.Json(NodesPage(null, 100, Node("g0400", "CONFIGURING")));
            }

            if (r.Target.StartsWith($"/v1/fleets/{Fleet1}/nodes?", StringComparison.Ordinal))
            {
                lock (order)
                {
                    order.Add(secondAsked.Wait(wait) ? "second asked while the first was pending" : "first answered alone");
                }

                return CannedResponse.Json(NodesPage(null, 100, Node("g0386", "ONBOARDING"), Node("g0387", "ONBOARDING")));
            }

            return NotFound("route");
        });
    }

    [Fact]
    public async Task Listing_every_fleet_reads_the_next_fleets_while_one_is_answering_and_keeps_fleet_order()
    {
        using var secondAsked = new ManualResetEventSlim();
        var order = new List<string>();
        await using var server = TwoFleetsWhereTheFirstWaitsForTheSecond(secondAsked, TimeSpan.FromSeconds(4), order);

        var nodes = (await ToListAsync(Facade(server).GetNodesAsync())).Cast<VoltageParkNode>().ToList();

        Assert.Equal(["second asked while the first was pending"], order);
        Assert.Equal(["g0386", "g0387", "g0400"], nodes.Select(n => n.Id));
        Assert.Equal([Fleet1, Fleet1, Fleet2], nodes.Select(n => n.FleetId));
    }

    [Fact]
    public async Task Listing_every_fleet_with_MaxConcurrency_1_reads_one_fleet_after_another()
    {
        using var secondAsked = new ManualResetEventSlim();
        var order = new List<string>();
        await using var server = TwoFleetsWhereTheFirstWaitsForTheSecond(secondAsked, TimeSpan.FromMilliseconds(300), order);
        var options = TestClients.FastOptions();
        options.MaxConcurrency = 1;

        var nodes = (await ToListAsync(Facade(server, options: options).GetNodesAsync())).ToList();

        Assert.Equal(["first answered alone"], order);
        Assert.Equal(["g0386", "g0387", "g0400"], nodes.Select(n => n.Id));
        Assert.Equal(
            ["/v1/fleets?limit=100", $"/v1/fleets/{Fleet1}/nodes?limit=100", $"/v1/fleets/{Fleet2}/nodes?limit=100"],
            server.Requests.Select(r => r.Target));
    }

    [Fact]
    public async Task Listing_every_fleet_reports_a_later_fleets_failure_after_the_earlier_fleets_nodes()
    {
        var provisioning = FleetJson.Replace("\"ACTIVE\",\n", "\"PROVISIONING\",\n", StringComparison.Ordinal);
        var second = provisioning.Replace(Fleet1, Fleet2, StringComparison.Ordinal);
        await using var server = new CannedHttpServer((r, _) => r.Target switch
        {
            "/v1/fleets?limit=100" => CannedResponse.Json($$"""{"fleets":[{{provisioning}},{{second}}],"nextToken":null,"limit":100}"""),
            var t when t.StartsWith($"/v1/fleets/{Fleet1}/nodes?", StringComparison.Ordinal) => Slow(CannedResponse.Json(NodesPage(null, 100, Node("g0386", "ONBOARDING")))),
            _ => NotFound("Fleet"),
        });
        var seen = new List<string>();

        var ex = await Assert.ThrowsAsync<NodeOpsApiException>(async () =>
        {
            await foreach (var node in Facade(server).GetNodesAsync())
            {
                seen.Add(node.Id);
            }
        });

        Assert.Equal(ErrorKind.NotFound, ex.Kind);
        Assert.Equal(["g0386"], seen);

        static CannedResponse Slow(CannedResponse response)
        {
            Thread.Sleep(200);
            return response;
        }
    }

    [Fact]
    public async Task Status_filter_of_the_facade_applies_after_health()
    {
        await using var server = new CannedHttpServer((r, _) => r.Target.EndsWith("/health", StringComparison.Ordinal)
            ? CannedResponse.Json($$"""{"fleetId":"{{Fleet1}}","nodeHealth":[{"nodeId":"g2","status":"unhealthy","lastUpdatedAt":1}]}""")
            : CannedResponse.Json(NodesPage(null, 100, Node("g1", "ACTIVE"), Node("g2", "ACTIVE"), Node("g3", "UNHEALTHY"))));

        var degraded = await ToListAsync(Facade(server).GetNodesAsync(new NodeQuery { ClusterId = Fleet1, Status = [GpuNodeStatus.Degraded] }));

        Assert.Equal(["g2", "g3"], degraded.Select(n => n.Id));
    }

    [Fact]
    public async Task Get_node_without_a_fleet_asks_each_fleet_until_one_has_it()
    {
        await using var server = new CannedHttpServer((r, _) => r.Target switch
        {
            "/v1/fleets?limit=100" => CannedResponse.Json($$"""{"fleets":[{{FleetJson}},{{FleetJson.Replace(Fleet1, Fleet2, StringComparison.Ordinal)}}],"nextToken":null,"limit":100}"""),
            var t when t == $"/v1/fleets/{Fleet1}/nodes/g0500" => NotFound("Node"),
            var t when t == $"/v1/fleets/{Fleet2}/nodes/g0500" => CannedResponse.Json(Node("g0500", "READY", Fleet2)),
            var t when t == $"/v1/fleets/{Fleet2}/health" => CannedResponse.Json($$"""{"fleetId":"{{Fleet2}}","nodeHealth":[{"nodeId":"g0500","status":"degraded","lastUpdatedAt":1}]}"""),
            _ => NotFound("route"),
        });

        var node = Assert.IsType<VoltageParkNode>(await Facade(server).GetNodeAsync("g0500"));

        Assert.Equal(Fleet2, node.ClusterId);
        Assert.Equal(GpuNodeStatus.Degraded, node.Status);
        Assert.Equal("training-a", node.FleetName);
    }

    [Fact]
    public async Task Get_node_without_a_fleet_that_no_fleet_has_is_NotFound()
    {
        await using var server = new CannedHttpServer((r, _) => r.Target == "/v1/fleets?limit=100"
            ? CannedResponse.Json($$"""{"fleets":[{{FleetJson}}],"nextToken":null,"limit":100}""")
            : NotFound("Node"));

        var ex = await Assert.ThrowsAsync<NodeOpsException>(() => Facade(server).GetNodeAsync("g0999"));

        Assert.Equal(ErrorKind.NotFound, ex.Kind);
        Assert.Equal("g0999", ex.Target);
    }

    // ---- remediation ------------------------------------------------------------------------------

    private static CannedResponse Accepted(params string[] nodeIds) =>
        CannedResponse.Json("[" + string.Join(",", nodeIds.Select(id => $$"""{"nodeId":"{{id}}","remediateStatus":"accepted","rejectionCause":null}""")) + "]");

    [Fact]
    public async Task Remediate_sends_one_array_with_the_wire_names_and_an_Idempotency_Key()
    {
        await using var server = new CannedHttpServer(Accepted("g0386", "g0387"));

        var outcomes = await Client(server).RemediateNodesAsync(Fleet1, ["g0386", "g0387"], "Xid 79 on GPU 3", "TERMAL_THROTTLE", "op-key-1");

        var request = Assert.Single(server.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal($"/v1/fleets/{Fleet1}/nodes/remediate", request.Target);
        Assert.Equal("op-key-1", request.Header("Idempotency-Key"));
        Assert.StartsWith("application/json", request.Header("Content-Type"), StringComparison.Ordinal);
        using var body = JsonDocument.Parse(request.Body);
        Assert.Equal(JsonValueKind.Array, body.RootElement.ValueKind);
        Assert.Equal(2, body.RootElement.GetArrayLength());
        var first = body.RootElement[0];
        Assert.Equal(["nodeId", "message", "cause"], first.EnumerateObject().Select(p => p.Name));
        Assert.Equal("g0386", first.GetProperty("nodeId").GetString());
        Assert.Equal("Xid 79 on GPU 3", first.GetProperty("message").GetString());
        Assert.Equal("TERMAL_THROTTLE", first.GetProperty("cause").GetString());
        Assert.Equal("g0387", body.RootElement[1].GetProperty("nodeId").GetString());

        Assert.Equal(2, outcomes.Count);
        Assert.All(outcomes, o =>
        {
            Assert.True(o.Succeeded);
            var r = o.Remediation!;
            Assert.Equal(RemediationState.Accepted, r.State);
            Assert.Equal("accepted", r.ProviderState);
            Assert.Null(r.Id);
            Assert.Equal("op-key-1", r.IdempotencyKey);
            Assert.Equal("TERMAL_THROTTLE", r.Action);
            Assert.Equal("Xid 79 on GPU 3", r.Reason);
            Assert.Equal(Fleet1, r.ClusterId);
        });
        Assert.Equal(["g0386", "g0387"], outcomes.Select(o => o.Remediation!.NodeId));
    }

    [Fact]
    public async Task Remediate_without_message_or_cause_sends_the_documented_defaults_and_a_new_key()
    {
        await using var server = new CannedHttpServer(Accepted("g1"));

        var outcomes = await Client(server).RemediateNodesAsync(Fleet1, ["g1", "g1"]);

        var request = Assert.Single(server.Requests);
        using var body = JsonDocument.Parse(request.Body);
        var only = Assert.Single(body.RootElement.EnumerateArray());
        Assert.Equal(VoltageParkClient.DefaultMessage, only.GetProperty("message").GetString());
        Assert.Equal(VoltageParkClient.DefaultCause, only.GetProperty("cause").GetString());
        var key = request.Header("Idempotency-Key");
        Assert.True(Guid.TryParse(key, out _));
        Assert.Equal(key, Assert.Single(outcomes).Remediation!.IdempotencyKey);
    }

    [Fact]
    public async Task Remediate_retries_a_500_with_the_same_key_and_body()
    {
        await using var server = new CannedHttpServer((_, i) => i == 0
            ? CannedResponse.Json("""{"error":"internal","code":"INTERNAL","timestamp":1735689600000}""", 500)
            : Accepted("g1"));

        var outcomes = await Client(server).RemediateNodesAsync(Fleet1, ["g1"], "m", "c", "key-500");

        Assert.True(Assert.Single(outcomes).Succeeded);
        var requests = server.Requests.ToList();
        Assert.Equal(2, requests.Count);
        Assert.All(requests, r => Assert.Equal("key-500", r.Header("Idempotency-Key")));
        Assert.Equal(requests[0].BodyText, requests[1].BodyText);
    }

    [Fact]
    public async Task Remediate_resends_with_the_same_key_after_a_dropped_connection()
    {
        await using var server = new CannedHttpServer((_, i) => i == 0 ? new CannedResponse { Drop = true } : Accepted("g1"));

        var outcomes = await Client(server).RemediateNodesAsync(Fleet1, ["g1"], "m", "c", "key-drop");

        Assert.True(Assert.Single(outcomes).Succeeded);
        var requests = server.Requests.ToList();
        Assert.Equal(2, requests.Count);
        Assert.All(requests, r => Assert.Equal("key-drop", r.Header("Idempotency-Key")));
        Assert.Equal(requests[0].BodyText, requests[1].BodyText);
    }

    [Fact]
    public async Task Remediate_waits_on_409_and_retries_with_the_same_key()
    {
        var options = TestClients.FastOptions();
        options.KeyInProgressDelay = TimeSpan.FromMilliseconds(300);
        await using var server = new CannedHttpServer((_, i) => i == 0
            ? CannedResponse.Json("""{"error":"A request with this idempotency key is in progress","code":"IDEMPOTENCY_KEY_IN_PROGRESS","timestamp":1735689600000}""", 409)
            : Accepted("g1"));

        var watch = Stopwatch.StartNew();
        var outcomes = await Client(server, options: options).RemediateNodesAsync(Fleet1, ["g1"], "m", "c", "key-409");

        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(280), $"retried after {watch.Elapsed}");
        Assert.True(Assert.Single(outcomes).Succeeded);
        Assert.Equal(2, server.RequestCount);
        Assert.All(server.Requests, r => Assert.Equal("key-409", r.Header("Idempotency-Key")));
    }

    [Fact]
    public async Task Remediate_422_is_an_idempotency_key_mismatch_and_is_not_retried()
    {
        await using var server = new CannedHttpServer(CannedResponse.Json("""{"error":"Idempotency key reused with a different request body","code":"IDEMPOTENCY_KEY_MISMATCH","timestamp":1735689600000}""", 422));

        var ex = await Assert.ThrowsAsync<NodeOpsApiException>(() => Client(server).RemediateNodesAsync(Fleet1, ["g1"], "m", "c", "key-422"));

        Assert.Equal(ErrorKind.IdempotencyKeyMismatch, ex.Kind);
        Assert.Equal(422, ex.StatusCode);
        Assert.Contains("key-422", ex.Message, StringComparison.Ordinal);
        Assert.Equal(1, server.RequestCount);
    }

    [Fact]
    public async Task Remediate_404_names_the_fleet_and_is_not_retried()
    {
        await using var server = new CannedHttpServer(NotFound("Fleet"));

        var ex = await Assert.ThrowsAsync<NodeOpsApiException>(() => Client(server).RemediateNodesAsync(Fleet1, ["g1"]));

        Assert.Equal(ErrorKind.NotFound, ex.Kind);
        Assert.Equal(Fleet1, ex.Target);
        Assert.Equal(1, server.RequestCount);
    }

    [Fact]
    public async Task A_rejected_node_is_an_error_outcome_naming_the_node_and_the_cause()
    {
        await using var server = new CannedHttpServer(CannedResponse.Json("""
            [{"nodeId":"g1","remediateStatus":"accepted","rejectionCause":null},
             {"nodeId":"g2","remediateStatus":"rejected","rejectionCause":"Node is already being remediated"}]
            """));

        var outcomes = await Client(server).RemediateNodesAsync(Fleet1, ["g1", "g2"], "m", "c", "key-r");

        Assert.True(outcomes[0].Succeeded);
        var rejected = outcomes[1];
        Assert.False(rejected.Succeeded);
        Assert.Equal("g2", rejected.Target.NodeId);
        Assert.Equal(ErrorKind.InvalidState, rejected.Error!.Kind);
        Assert.Equal("g2", rejected.Error.Target);
        Assert.Contains("'g2'", rejected.Error.Message, StringComparison.Ordinal);
        Assert.Contains("Node is already being remediated", rejected.Error.Message, StringComparison.Ordinal);
        Assert.Equal(RemediationState.Rejected, rejected.Remediation!.State);
        Assert.Equal("Node is already being remediated", rejected.Remediation.Error);
    }

    [Fact]
    public async Task A_node_missing_from_the_reply_is_never_reported_successful()
    {
        await using var server = new CannedHttpServer(Accepted("g1", "g-other"));

        var outcomes = await Client(server).RemediateNodesAsync(Fleet1, ["g1", "g2"], "m", "c", "key-m");

        Assert.Equal(2, outcomes.Count);
        Assert.True(outcomes[0].Succeeded);
        var missing = outcomes[1];
        Assert.False(missing.Succeeded);
        Assert.Null(missing.Remediation);
        Assert.Equal(ErrorKind.InvalidResponse, missing.Error!.Kind);
        Assert.Contains("'g2'", missing.Error.Message, StringComparison.Ordinal);
        Assert.Equal(1, server.RequestCount);
    }

    [Fact]
    public async Task An_unknown_remediate_status_keeps_the_raw_value()
    {
        await using var server = new CannedHttpServer(CannedResponse.Json("""[{"nodeId":"g1","remediateStatus":"queued"}]"""));

        var outcome = Assert.Single(await Client(server).RemediateNodesAsync(Fleet1, ["g1"]));

        Assert.Equal(RemediationState.Unknown, outcome.Remediation!.State);
        Assert.Equal("queued", outcome.Remediation.ProviderState);
    }

    [Fact]
    public async Task A_reply_that_is_not_an_array_is_retried_with_the_same_key_then_invalid()
    {
        await using var server = new CannedHttpServer(CannedResponse.Json("""{"nodeId":"g1","remediateStatus":"accepted"}"""));

        var ex = await Assert.ThrowsAsync<NodeOpsException>(() => Client(server).RemediateNodesAsync(Fleet1, ["g1"], "m", "c", "key-obj"));

        Assert.Equal(ErrorKind.InvalidResponse, ex.Kind);
        Assert.Equal(4, server.RequestCount);
        Assert.All(server.Requests, r => Assert.Equal("key-obj", r.Header("Idempotency-Key")));
    }

    [Fact]
    public async Task Remediate_arguments_are_checked_before_sending_and_the_parameter_is_named()
    {
        await using var server = new CannedHttpServer(Accepted("g1"));
        var client = Client(server);

        var tooLong = await Assert.ThrowsAsync<NodeOpsException>(() => client.RemediateNodesAsync(Fleet1, ["g1"], new string('x', 2001), "c", "k"));
        var emptyNode = await Assert.ThrowsAsync<NodeOpsException>(() => client.RemediateNodesAsync(Fleet1, ["g1", " "], "m", "c", "k"));
        var noNodes = await Assert.ThrowsAsync<NodeOpsException>(() => client.RemediateNodesAsync(Fleet1, [], "m", "c", "k"));
        var longKey = await Assert.ThrowsAsync<NodeOpsException>(() => client.RemediateNodesAsync(Fleet1, ["g1"], "m", "c", new string('k', 256)));
        var spaceKey = await Assert.ThrowsAsync<NodeOpsException>(() => client.RemediateNodesAsync(Fleet1, ["g1"], "m", "c", "a key"));
        var emptyFleet = await Assert.ThrowsAsync<NodeOpsException>(() => client.RemediateNodesAsync(string.Empty, ["g1"], "m", "c", "k"));

        Assert.All([tooLong, emptyNode, noNodes, longKey, spaceKey, emptyFleet], e => Assert.Equal(ErrorKind.InvalidArgument, e.Kind));
        Assert.Contains("-Message", tooLong.Message, StringComparison.Ordinal);
        Assert.Contains("2001", tooLong.Message, StringComparison.Ordinal);
        Assert.Contains("-NodeId", emptyNode.Message, StringComparison.Ordinal);
        Assert.Contains("-NodeId", noNodes.Message, StringComparison.Ordinal);
        Assert.Contains("-IdempotencyKey", longKey.Message, StringComparison.Ordinal);
        Assert.Contains("255", longKey.Message, StringComparison.Ordinal);
        Assert.Contains("-IdempotencyKey", spaceKey.Message, StringComparison.Ordinal);
        Assert.Contains("-FleetId", emptyFleet.Message, StringComparison.Ordinal);
        Assert.Equal(0, server.RequestCount);
    }

    [Fact]
    public async Task The_message_limit_counts_characters_not_UTF16_units()
    {
        await using var server = new CannedHttpServer(Accepted("g1"));

        // 2000 emoji: 4000 UTF-16 units, 2000 characters as the API (a Python model) counts them.
        var emoji = string.Concat(Enumerable.Repeat("\U0001F525", 2000));
        await Client(server).RemediateNodesAsync(Fleet1, ["g1"], emoji, "c", "k");
        var a255 = new string('k', 255);
        await Client(server).RemediateNodesAsync(Fleet1, ["g1"], new string('m', 2000), "c", a255);

        Assert.Equal(2, server.RequestCount);
        Assert.Equal(a255, server.Requests.Last().Header("Idempotency-Key"));
    }

    // ---- remediation through the facade -----------------------------------------------------------

    [Fact]
    public async Task Facade_sends_one_request_per_fleet_with_stable_derived_keys()
    {
        await using var server = new CannedHttpServer((r, _) =>
        {
            using var body = JsonDocument.Parse(r.Body);
            return Accepted(body.RootElement.EnumerateArray().Select(e => e.GetProperty("nodeId").GetString()!).ToArray());
        });
        var facade = Facade(server);
        RemediationTarget[] targets = [new("g1", Fleet1), new("g2", Fleet1), new("g9", Fleet2), new("g1", Fleet1)];
        var settings = new RemediationSettings { Reason = "NCCL timeouts", Cause = "GPU_ERROR" };

        var first = await ToListAsync(facade.RemediateAsync(targets, settings, "operation-7"));
        var keys = server.Requests.ToDictionary(r => r.Target, r => r.Header("Idempotency-Key"));
        var again = await ToListAsync(facade.RemediateAsync(targets, settings, "operation-7"));

        Assert.Equal(3, first.Count);
        Assert.All(first, o => Assert.True(o.Succeeded));
        Assert.Equal(2, keys.Count);
        Assert.NotEqual(keys[$"/v1/fleets/{Fleet1}/nodes/remediate"], keys[$"/v1/fleets/{Fleet2}/nodes/remediate"]);
        var fleet1 = server.Requests.First(r => r.Target.Contains(Fleet1, StringComparison.Ordinal));
        using var body = JsonDocument.Parse(fleet1.Body);
        Assert.Equal(["g1", "g2"], body.RootElement.EnumerateArray().Select(e => e.GetProperty("nodeId").GetString()));
        Assert.Equal("GPU_ERROR", body.RootElement[0].GetProperty("cause").GetString());
        Assert.Equal("NCCL timeouts", body.RootElement[0].GetProperty("message").GetString());

        Assert.Equal(3, again.Count);
        Assert.All(server.Requests.Skip(2), r => Assert.Equal(keys[r.Target], r.Header("Idempotency-Key")));
        Assert.Equal(first.Select(o => o.Remediation!.IdempotencyKey).Order(), again.Select(o => o.Remediation!.IdempotencyKey).Order());
    }

    [Fact]
    public async Task Facade_refuses_a_node_without_a_fleet_and_reports_rejections_per_node()
    {
        await using var server = new CannedHttpServer(CannedResponse.Json("""[{"nodeId":"g2","remediateStatus":"rejected","rejectionCause":"NODE_TERMINATING"}]"""));

        var outcomes = await ToListAsync(Facade(server).RemediateAsync([new("g1"), new("g2", Fleet1)], new RemediationSettings()));

        Assert.Equal(2, outcomes.Count);
        var refused = Assert.Single(outcomes, o => o.Target.NodeId == "g1");
        Assert.Equal(ErrorKind.InvalidArgument, refused.Error!.Kind);
        var rejected = Assert.Single(outcomes, o => o.Target.NodeId == "g2");
        Assert.Equal(ErrorKind.InvalidState, rejected.Error!.Kind);
        Assert.Contains("NODE_TERMINATING", rejected.Error.Message, StringComparison.Ordinal);
        Assert.Equal(1, server.RequestCount);
    }

    [Fact]
    public async Task Facade_checks_settings_before_sending()
    {
        await using var server = new CannedHttpServer(Accepted("g1"));
        var facade = Facade(server);
        RemediationTarget[] targets = [new("g1", Fleet1)];

        var tooLong = Assert.Throws<NodeOpsException>(() => facade.PlanRemediation(targets, new RemediationSettings { Reason = new string('r', 2001) }));
        var mode = Assert.Throws<NodeOpsException>(() => facade.PlanRemediation(targets, new RemediationSettings { Mode = "RebootVm" }));

        Assert.Contains("-Reason", tooLong.Message, StringComparison.Ordinal);
        Assert.Contains("-Mode", mode.Message, StringComparison.Ordinal);
        Assert.Equal(0, server.RequestCount);
    }

    [Fact]
    public void Voltage_Park_has_no_remediation_tracking()
    {
        var facade = new NodeOpsClient(ProviderConnection.Create(CloudProvider.VoltagePark, ApiCredential.FromToken("t", "test")));

        Assert.True(facade.Supports(NodeOperation.ListNodes));
        Assert.True(facade.Supports(NodeOperation.ListClusters));
        Assert.True(facade.Supports(NodeOperation.Remediate));
        Assert.False(facade.Supports(NodeOperation.TrackRemediation));
        Assert.False(facade.Supports(NodeOperation.ReviewRemediation));
        var ex = Assert.Throws<NodeOpsException>(() => facade.GetRemediationsAsync(new RemediationQuery()));
        Assert.Equal(ErrorKind.NotSupported, ex.Kind);
    }
}
