using System.Text.Json;
using NodeOps.Emulator.Admin;
using NodeOps.Engine;
using NodeOps.Engine.Providers.Exalsius;
using NodeOps.Engine.Providers.SfCompute;
using NodeOps.Engine.Providers.Together;
using NodeOps.Engine.Providers.VoltagePark;
using NodeOps.Engine.Tests.Support;

namespace NodeOps.Reliability.Tests.UserInput;

/// <summary>
/// Nodes, fleets, clusters and remediations whose ids hold <see cref="OddIds"/>, created in the emulator
/// with those exact ids, then read and changed through every provider path the engine builds. The
/// emulator's request log shows each id escaped as one path segment (or one query value), and the
/// emulator, which routes on the raw target and decodes once, finds the intended resource.
/// </summary>
public sealed class OddIdPathTests(EmulatorFixture emulator) : IClassFixture<EmulatorFixture>
{
    private async Task<List<RequestLogEntry>> NewRequestsAsync(string provider, long since) =>
        [.. await emulator.Admin.GetRequestsAsync(provider, since)];

    [Theory]
    [MemberData(nameof(OddIds.Indexes), MemberType = typeof(OddIds))]
    public async Task SfCompute_node_paths_and_id_filter(int index)
    {
        var id = "sf-" + OddIds.All[index];
        await emulator.Admin.AddNodeAsync("sfcompute", new AdminNodeRequest { Id = id, Name = "name " + id, Status = "running" });
        var sf = emulator.Client(CloudProvider.SFCompute).ProviderClient<SfComputeClient>();
        var since = await emulator.LastRequestSeqAsync("sfcompute");

        var node = await sf.GetNodeAsync(id);
        var listed = await sf.ListNodesAsync(ids: [id]).ToListAsync();
        var byName = await sf.ListNodesAsync(names: ["name " + id]).ToListAsync();
        var redeploy = await sf.RedeployAsync(id);
        var released = await sf.ReleaseAsync(id);

        Assert.Equal(id, node.Id);
        if (!id.Contains(',', StringComparison.Ordinal))
        {
            // The emulator also splits list filters on commas (its reading of the array encodings), so an
            // id holding one cannot be matched there; that it was sent as one escaped value is checked below.
            Assert.Equal(id, Assert.Single(listed).Id);
            Assert.Equal(id, Assert.Single(byName).Id);
        }

        Assert.Equal(id, redeploy.NodeId);
        Assert.Equal(id, released.Id);
        Assert.Equal(1, (await emulator.Admin.GetCountsAsync()).RemediationCount("sfcompute", id));
        var log = await NewRequestsAsync("sfcompute", since);
        OddIds.AssertPath(log[0], "GET", "sfcompute", "v1", "nodes", id);
        Assert.Equal([id], OddIds.Query(log[1], "id"));
        Assert.Equal(["name " + id], OddIds.Query(log[2], "name"));
        OddIds.AssertPath(log[3], "PUT", "sfcompute", "v1", "nodes", id, "redeploy");
        OddIds.AssertPath(log[4], "PATCH", "sfcompute", "v1", "nodes", id, "release");
    }

    [Theory]
    [MemberData(nameof(OddIds.Indexes), MemberType = typeof(OddIds))]
    public async Task VoltagePark_fleet_and_node_paths_and_remediate_body(int index)
    {
        var id = "vp-" + OddIds.All[index];
        var fleet = "fleet " + OddIds.All[index];
        await emulator.Admin.AddNodeAsync("voltagepark", new AdminNodeRequest { Id = id, ClusterId = fleet, Status = "ACTIVE" });
        var vp = emulator.Client(CloudProvider.VoltagePark).ProviderClient<VoltageParkClient>();
        var since = await emulator.LastRequestSeqAsync("voltagepark");

        var node = await vp.GetNodeAsync(fleet, id);
        var listed = await vp.ListNodesAsync(fleet).ToListAsync();
        var outcome = Assert.Single(await vp.RemediateNodesAsync(fleet, [id], "Xid 79", "XID_79", "odd-id-key-" + index));

        Assert.Equal(id, node.Id);
        Assert.Equal(fleet, node.ClusterId);
        Assert.Contains(listed, n => n.Id == id);
        Assert.Null(outcome.Error);
        Assert.Equal(RemediationState.Accepted, outcome.Remediation!.State);
        Assert.Equal(1, (await emulator.Admin.GetCountsAsync()).RemediationCount("voltagepark", fleet + "/" + id));
        var log = await NewRequestsAsync("voltagepark", since);
        OddIds.AssertPath(log[0], "GET", "voltagepark", "v1", "fleets", fleet, "nodes", id);
        OddIds.AssertPath(log[1], "GET", "voltagepark", "v1", "fleets", fleet, "nodes");
        OddIds.AssertPath(log[2], "POST", "voltagepark", "v1", "fleets", fleet, "nodes", "remediate");
        using var body = JsonDocument.Parse(log[2].Body!);
        Assert.Equal(id, body.RootElement[0].GetProperty("nodeId").GetString());
    }

    [Theory]
    [MemberData(nameof(OddIds.Indexes), MemberType = typeof(OddIds))]
    public async Task Exalsius_node_paths(int index)
    {
        var id = "ex-" + OddIds.All[index];
        await emulator.Admin.AddNodeAsync("exalsius", new AdminNodeRequest { Id = id, Status = "AVAILABLE" });
        var ex = emulator.Client(CloudProvider.Exalsius).ProviderClient<ExalsiusClient>();
        var since = await emulator.LastRequestSeqAsync("exalsius");

        var node = await ex.DescribeNodeAsync(id);
        var beat = await ex.SendHeartbeatAsync(id);
        var deleted = await ex.DeleteNodeAsync(id);

        Assert.Equal(id, node.Id);
        Assert.Equal(id, beat.NodeId);
        Assert.Equal(id, deleted);
        var log = await NewRequestsAsync("exalsius", since);
        OddIds.AssertPath(log[0], "GET", "exalsius", "v1", "node", id);
        OddIds.AssertPath(log[1], "PATCH", "exalsius", "v1", "node", id);
        OddIds.AssertPath(log[2], "DELETE", "exalsius", "v1", "node", id);
        Assert.All(log, e => Assert.Equal(200, e.Status));
    }

    [Theory]
    [MemberData(nameof(OddIds.Indexes), MemberType = typeof(OddIds))]
    public async Task Together_cluster_instance_and_remediation_paths(int index)
    {
        var instance = "i-" + OddIds.All[index];
        var cluster = "c " + OddIds.All[index];

        // remediation_id doubles as an idempotency key: printable ASCII, so only the ASCII delimiters.
        var remediationId = "r/" + index + "?#%&=+";
        await emulator.Admin.AddNodeAsync("together", new AdminNodeRequest { Id = instance, ClusterId = cluster });
        var tg = emulator.Client(CloudProvider.Together).ProviderClient<TogetherClient>();
        var since = await emulator.LastRequestSeqAsync("together");

        var node = await tg.GetNodeAsync(instance, cluster);
        var created = await tg.CreateRemediationAsync(cluster, instance, "RebootVm", "odd ids", remediationId);
        var listed = await tg.ListRemediationsAsync(cluster, instance).ToListAsync();
        var fetched = await tg.GetRemediationAsync(cluster, instance, remediationId);
        var cancelled = await tg.CancelRemediationAsync(cluster, instance, remediationId);

        Assert.Equal(instance, node.Id);
        Assert.Equal(cluster, node.ClusterId);
        Assert.Equal(remediationId, created.Id);
        Assert.Equal(instance, created.NodeId);
        Assert.Equal(remediationId, Assert.Single(listed).Id);
        Assert.Equal(remediationId, fetched.Id);
        Assert.Equal(RemediationState.Cancelled, cancelled.State);
        Assert.Equal(1, (await emulator.Admin.GetCountsAsync()).RemediationCount("together", cluster + "/" + instance));
        var log = await NewRequestsAsync("together", since);
        OddIds.AssertPath(log[0], "GET", "together", "v1", "compute", "clusters", cluster);
        OddIds.AssertPath(log[1], "POST", "together", "v1", "compute", "clusters", cluster, "instances", instance, "remediations");
        Assert.Equal([remediationId], OddIds.Query(log[1], "remediation_id"));
        Assert.Equal(remediationId, log[1].RemediationId);
        OddIds.AssertPath(log[2], "GET", "together", "v1", "compute", "clusters", cluster, "instances", instance, "remediations");
        OddIds.AssertPath(log[3], "GET", "together", "v1", "compute", "clusters", cluster, "instances", instance, "remediations", remediationId);
        OddIds.AssertPath(log[4], "POST", "together", "v1", "compute", "clusters", cluster, "instances", instance, "remediations", remediationId, "cancel");
    }
}
