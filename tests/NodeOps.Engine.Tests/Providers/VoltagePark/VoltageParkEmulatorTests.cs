using NodeOps.Engine.Providers.VoltagePark;
using NodeOps.Engine.Tests.Support;

namespace NodeOps.Engine.Tests.Providers.VoltagePark;

/// <summary>
/// Read-only calls against the emulator's seeded Voltage Park data (README "Seeded data"): with the
/// fixture's defaults, two fleets of 20 nodes; fleet 0 ACTIVE (g0100–g0119) with fixed states at k=0..5,
/// fleet 1 PROVISIONING (g0120–g0139, so its health is 422). Nothing here changes emulator state.
/// </summary>
public sealed class VoltageParkEmulatorTests(EmulatorFixture emulator) : IClassFixture<EmulatorFixture>
{
    private NodeOpsClient Client(NodeOpsClientOptions? options = null, string token = TestClients.Token) =>
        emulator.Client(CloudProvider.VoltagePark, options, token);

    private VoltageParkClient VoltagePark() => Client().ProviderClient<VoltageParkClient>();

    private async Task<(VoltageParkFleet Active, VoltageParkFleet Provisioning)> FleetsAsync()
    {
        var fleets = await VoltagePark().ListFleetsAsync().ToListAsync();
        return (fleets.Single(f => f.NodeNames.Contains("g0100")), fleets.Single(f => f.NodeNames.Contains("g0120")));
    }

    [Fact]
    public async Task Lists_fleets_page_by_page_and_gets_each_one()
    {
        var paged = await VoltagePark().ListFleetsAsync(pageSize: 1).ToListAsync();
        var whole = await Client().GetClustersAsync().ToListAsync();

        Assert.Equal(2, paged.Count);
        Assert.Equal(whole.Select(f => f.Id), paged.Select(f => f.Id));
        var log = (await emulator.Admin.GetRequestsAsync("voltagepark")).Where(e => e.Path.EndsWith("/v1/fleets", StringComparison.Ordinal)).ToList();
        Assert.Contains(log, e => e.Query.Contains("limit=1", StringComparison.Ordinal) && e.Query.Contains("nextToken=", StringComparison.Ordinal));
        Assert.All(log, e => Assert.Contains("limit=", e.Query, StringComparison.Ordinal));

        foreach (var listed in paged)
        {
            var one = await VoltagePark().GetFleetAsync(listed.Id);
            Assert.Equal(listed.Id, one.Id);
            Assert.Equal(listed.Name, one.Name);
            Assert.Equal("BARE_METAL", one.ComputeType);
            Assert.Equal(20, one.NodeCount);
            Assert.NotNull(one.CreatedAt);
            Assert.NotNull(one.RequestedAt);
            Assert.NotNull(one.UpdatedAt);
            Assert.True(one.CreatedAt < DateTimeOffset.UtcNow.AddMinutes(1) && one.CreatedAt > new DateTimeOffset(2015, 1, 1, 0, 0, 0, TimeSpan.Zero));
            Assert.NotNull(one.InstanceType);
            Assert.Null(one.Region);
        }

        var (active, provisioning) = await FleetsAsync();
        Assert.Equal(ClusterStatus.Ready, active.Status);
        Assert.Equal("ACTIVE", active.ProviderStatus);
        Assert.Equal(ClusterStatus.Provisioning, provisioning.Status);
    }

    [Fact]
    public async Task An_unknown_fleet_is_NotFound_with_the_Voltage_Park_error_code()
    {
        var ex = await Assert.ThrowsAsync<NodeOpsApiException>(() => VoltagePark().GetFleetAsync(Guid.NewGuid().ToString()));

        Assert.Equal(ErrorKind.NotFound, ex.Kind);
        Assert.Equal(404, ex.StatusCode);
        Assert.Equal("FLEET_NOT_FOUND", ex.ProviderCode);
        Assert.False(string.IsNullOrEmpty(ex.ProviderMessage));
    }

    [Fact]
    public async Task Fleet_health_of_an_active_fleet_covers_its_nodes_and_a_provisioning_fleet_is_InvalidState()
    {
        var (active, provisioning) = await FleetsAsync();

        var health = await VoltagePark().GetFleetHealthAsync(active.Id);
        Assert.Equal(active.Id, health.FleetId);
        Assert.Equal(20, health.Nodes.Count);
        Assert.Contains(health.Nodes, n => n.NodeId == "g0103" && n.Status == "degraded");
        Assert.All(health.Nodes, n => Assert.NotNull(n.LastUpdatedAt));

        var ex = await Assert.ThrowsAsync<NodeOpsApiException>(() => VoltagePark().GetFleetHealthAsync(provisioning.Id));
        Assert.Equal(ErrorKind.InvalidState, ex.Kind);
        Assert.Equal(422, ex.StatusCode);
        Assert.Contains("PROVISIONING", ex.Message, StringComparison.Ordinal);
        Assert.Equal(provisioning.Id, ex.Target);
    }

    [Fact]
    public async Task Lists_a_fleet_page_by_page_with_the_documented_states_and_health()
    {
        var (active, _) = await FleetsAsync();
        await emulator.Admin.ClearRequestsAsync();

        var nodes = (await Client().GetNodesAsync(new NodeQuery { ClusterId = active.Id, PageSize = 7 }).ToListAsync()).Cast<VoltageParkNode>().ToList();

        Assert.Equal(20, nodes.Count);
        Assert.Equal(20, nodes.Select(n => n.Id).Distinct().Count());
        var byName = nodes.ToDictionary(n => n.Id);
        Assert.Equal(GpuNodeStatus.InUse, byName["g0100"].Status);
        Assert.Equal("healthy", byName["g0100"].Health);
        Assert.Equal(GpuNodeStatus.Degraded, byName["g0101"].Status);
        Assert.Equal("UNHEALTHY", byName["g0101"].ProviderStatus);
        Assert.Equal(GpuNodeStatus.Ready, byName["g0102"].Status);
        Assert.Equal(GpuNodeStatus.Degraded, byName["g0103"].Status);
        Assert.Equal("ACTIVE", byName["g0103"].ProviderStatus);
        Assert.Equal("degraded", byName["g0103"].Health);
        Assert.Equal(GpuNodeStatus.Provisioning, byName["g0104"].Status);
        Assert.Null(byName["g0105"].GpuType);
        Assert.NotNull(byName["g0100"].GpuType);
        Assert.All(nodes, n =>
        {
            Assert.Equal(active.Id, n.ClusterId);
            Assert.Equal(n.Id, n.Name);
            Assert.False(string.IsNullOrEmpty(n.PublicIp));
            Assert.NotEqual(GpuNodeStatus.Unknown, n.Status);
            Assert.NotNull(n.HealthUpdatedAt);
        });

        var log = await emulator.Admin.GetRequestsAsync("voltagepark");
        var pages = log.Where(e => e.Path.EndsWith("/nodes", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, pages.Count);
        Assert.Equal("limit=7", pages[0].Query);
        Assert.All(pages.Skip(1), p => Assert.StartsWith("limit=7&nextToken=", p.Query, StringComparison.Ordinal));
        Assert.Single(log, e => e.Path.EndsWith("/health", StringComparison.Ordinal));
        Assert.All(log, e => Assert.Equal(200, e.Status));
    }

    [Fact]
    public async Task Lists_a_provisioning_fleet_by_state_alone()
    {
        var (_, provisioning) = await FleetsAsync();

        var nodes = (await Client().GetNodesAsync(new NodeQuery { ClusterId = provisioning.Id }).ToListAsync()).Cast<VoltageParkNode>().ToList();

        Assert.Equal(20, nodes.Count);
        Assert.All(nodes, n =>
        {
            Assert.Equal(GpuNodeStatus.Provisioning, n.Status);
            Assert.Contains(n.State, new[] { "PROVISIONING", "ONBOARDING", "CONFIGURING" });
            Assert.Null(n.Health);
        });
    }

    [Fact]
    public async Task Lists_every_node_of_every_fleet_and_asks_health_only_of_active_fleets()
    {
        var (active, provisioning) = await FleetsAsync();
        await emulator.Admin.ClearRequestsAsync();

        var nodes = (await Client().GetNodesAsync().ToListAsync()).Cast<VoltageParkNode>().ToList();

        Assert.Equal(40, nodes.Count);
        Assert.Equal(20, nodes.Count(n => n.ClusterId == active.Id && n.FleetName == active.Name));
        Assert.Equal(20, nodes.Count(n => n.ClusterId == provisioning.Id && n.FleetName == provisioning.Name));
        var health = (await emulator.Admin.GetRequestsAsync("voltagepark")).Where(e => e.Path.EndsWith("/health", StringComparison.Ordinal)).ToList();
        Assert.Equal(active.Id, Assert.Single(health).Path.Split('/')[^2]);

        var degraded = await Client().GetNodesAsync(new NodeQuery { Status = [GpuNodeStatus.Degraded] }).ToListAsync();
        Assert.Contains(degraded, n => n.Id == "g0101");
        Assert.Contains(degraded, n => n.Id == "g0103");
    }

    [Fact]
    public async Task Gets_a_node_with_and_without_its_fleet()
    {
        var (active, provisioning) = await FleetsAsync();

        var withFleet = Assert.IsType<VoltageParkNode>(await Client().GetNodeAsync("g0103", active.Id));
        Assert.Equal(GpuNodeStatus.Degraded, withFleet.Status);
        Assert.Equal("degraded", withFleet.Health);

        var raw = await VoltagePark().GetNodeAsync(active.Id, "g0103");
        Assert.Equal(GpuNodeStatus.InUse, raw.Status);
        Assert.Null(raw.Health);

        var searched = Assert.IsType<VoltageParkNode>(await Client().GetNodeAsync("g0125"));
        Assert.Equal(provisioning.Id, searched.ClusterId);
        Assert.Equal(provisioning.Name, searched.FleetName);

        var missing = await Assert.ThrowsAsync<NodeOpsApiException>(() => Client().GetNodeAsync("g9999", active.Id));
        Assert.Equal(ErrorKind.NotFound, missing.Kind);
        Assert.Equal("NODE_NOT_FOUND", missing.ProviderCode);
        var nowhere = await Assert.ThrowsAsync<NodeOpsException>(() => Client().GetNodeAsync("g9999"));
        Assert.Equal(ErrorKind.NotFound, nowhere.Kind);
    }

    [Fact]
    public async Task A_wrong_token_is_an_authentication_error_in_the_Voltage_Park_shape()
    {
        var ex = await Assert.ThrowsAsync<NodeOpsApiException>(() => Client(token: "wrong").GetClustersAsync().ToListAsync().AsTask());

        Assert.Equal(401, ex.StatusCode);
        Assert.Equal(ErrorKind.AuthenticationFailed, ex.Kind);
        Assert.False(string.IsNullOrEmpty(ex.ProviderMessage));
    }
}
