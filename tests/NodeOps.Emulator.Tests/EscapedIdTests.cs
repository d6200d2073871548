using System.Net;
using NodeOps.Emulator.Admin;
using NodeOps.Emulator.Tests.Support;

namespace NodeOps.Emulator.Tests;

/// <summary>Ids with reserved or unusual characters reach the right node when the client escapes them.</summary>
public sealed class EscapedIdTests
{
    public static readonly TheoryData<string> Ids = new() { "a/b", "..", ".", "x y", "ü?#&=+", "100%", "%41", "a%2Fb" };

    [Theory]
    [MemberData(nameof(Ids))]
    public async Task SfComputeNodeIds(string id)
    {
        await using var emu = await TestEmulator.StartAsync();
        await emu.Admin.AddNodeAsync("sfcompute", new AdminNodeRequest { Id = id, Name = "name-" + id });
        var node = await emu.GetJsonAsync("sfcompute/v1/nodes/" + Escape(id));
        Assert.Equal(id, node.Str("id"));
        var redeployed = await emu.SendJsonAsync(HttpMethod.Put, $"sfcompute/v1/nodes/{Escape(id)}/redeploy", "{}", HttpStatusCode.OK);
        Assert.Equal(id, redeployed.Str("id"));
        Assert.Equal(1, (await emu.Admin.GetCountsAsync()).RemediationCount("sfcompute", id));

        var entry = (await emu.Admin.GetRequestsAsync("sfcompute"))[0];
        Assert.Equal("/sfcompute/v1/nodes/" + Escape(id), entry.RawTarget);
        Assert.Equal("/sfcompute/v1/nodes/" + id, entry.Path);
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public async Task VoltageParkNodeAndFleetIds(string id)
    {
        await using var emu = await TestEmulator.StartAsync();
        await emu.Admin.AddNodeAsync("voltagepark", new AdminNodeRequest { Id = id, ClusterId = "fleet " + id });
        var node = await emu.GetJsonAsync($"voltagepark/v1/fleets/{Escape("fleet " + id)}/nodes/{Escape(id)}");
        Assert.Equal(id, node.Str("nodeName"));
        Assert.Equal("fleet " + id, node.Str("fleetId"));
        var result = await emu.SendJsonAsync(HttpMethod.Post, $"voltagepark/v1/fleets/{Escape("fleet " + id)}/nodes/remediate", System.Text.Json.JsonSerializer.Serialize(new[] { new { nodeId = id, message = "m", cause = "c" } }), HttpStatusCode.OK);
        Assert.Equal("accepted", result.Items()[0].Str("remediateStatus"));
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public async Task TogetherInstanceAndRemediationIds(string id)
    {
        await using var emu = await TestEmulator.StartAsync();
        var clusterId = await TogetherTests.ClusterIdAsync(emu);
        await emu.Admin.AddNodeAsync("together", new AdminNodeRequest { Id = id, ClusterId = clusterId });
        var basePath = $"together/v1/compute/clusters/{clusterId}/instances/{Escape(id)}/remediations";
        var created = await emu.SendJsonAsync(HttpMethod.Post, basePath + "?remediation_id=" + Escape("r " + id), """{"mode":"REMEDIATION_MODE_REBOOT_VM"}""", HttpStatusCode.OK);
        Assert.Equal(id, created.Str("instance_id"));
        Assert.Equal("r " + id, created.Str("id"));
        var fetched = await emu.GetJsonAsync(basePath + "/" + Escape("r " + id));
        Assert.Equal("r " + id, fetched.Str("id"));
        Assert.Single((await emu.GetJsonAsync(basePath)).Items("remediations"));
        Assert.Equal("r " + id, (await emu.Admin.GetRequestsAsync("together")).Single(e => e.Method == "POST").RemediationId);
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public async Task ExalsiusNodeIds(string id)
    {
        await using var emu = await TestEmulator.StartAsync();
        await emu.Admin.AddNodeAsync("exalsius", new AdminNodeRequest { Id = id });
        Assert.Equal(id, (await emu.GetJsonAsync("exalsius/v1/node/" + Escape(id))).Str("id"));
        var deleted = await emu.SendJsonAsync(HttpMethod.Delete, "exalsius/v1/node/" + Escape(id), null, HttpStatusCode.OK);
        Assert.Equal(id, deleted.Str("node_id"));
    }

    /// <summary>Percent-encodes everything outside the unreserved set, dots included, so no layer can collapse "..".</summary>
    private static string Escape(string id) => Uri.EscapeDataString(id).Replace(".", "%2E", StringComparison.Ordinal);
}
