using System.Net;
using System.Text.Json;
using NodeOps.Emulator.Tests.Support;

namespace NodeOps.Emulator.Tests;

public sealed class VoltageParkTests
{
    [Fact]
    public async Task ListFleetsWithoutLimitReturnsAllWithExplicitNulls()
    {
        await using var emu = await TestEmulator.StartAsync();
        var body = await emu.GetJsonAsync("voltagepark/v1/fleets");
        Assert.Equal(2, body.Items("fleets").Count);
        Assert.True(body.IsNull("limit"));
        Assert.True(body.IsNull("nextToken"));

        var fleets = body.Items("fleets");
        Assert.Equal("ACTIVE", fleets[0].Str("status"));
        Assert.Equal("PROVISIONING", fleets[1].Str("status"));
        var first = fleets[0];
        Assert.True(first.GetProperty("createdAt").GetInt64() > 1_600_000_000_000, "times are epoch milliseconds");
        Assert.True(first.GetProperty("requestedAt").GetInt64() > 1_600_000_000_000);
        var spec = first.GetProperty("minimumFootprint").GetProperty("gpuNodes");
        Assert.False(string.IsNullOrEmpty(spec.Str("instanceType")));
        var node = spec.Items("nodes")[0];
        Assert.Equal("g0100", node.Str("nodeName"));
        Assert.False(node.Has("fleetId"));
        Assert.Equal("infiniband", first.GetProperty("infrastructure").Str("network"));
        Assert.Equal("Ubuntu 24.04", first.GetProperty("bootstrap").Str("machineImage"));
    }

    [Fact]
    public async Task ListFleetsPagesWithLimitAndNextToken()
    {
        await using var emu = await TestEmulator.StartAsync(o => o.NodesPerProvider = 100);
        var seen = new List<string>();
        string? token = null;
        for (var page = 0; page < 20; page++)
        {
            var body = await emu.GetJsonAsync("voltagepark/v1/fleets?limit=2" + (token is null ? "" : "&nextToken=" + Uri.EscapeDataString(token)));
            Assert.Equal(2, body.GetProperty("limit").GetInt32());
            seen.AddRange(body.Items("fleets").Select(f => f.Str("fleetId")));
            token = body.GetProperty("nextToken").GetString();
            if (token is null)
            {
                break;
            }
        }

        Assert.Equal(5, seen.Count);
        Assert.Equal(5, seen.Distinct().Count());
    }

    [Theory]
    [InlineData("voltagepark/v1/fleets?nextToken=abc")]
    [InlineData("voltagepark/v1/fleets?limit=101")]
    [InlineData("voltagepark/v1/fleets?limit=-1")]
    [InlineData("voltagepark/v1/fleets?limit=x")]
    [InlineData("voltagepark/v1/fleets?limit=5&nextToken=not-a-token")]
    public async Task ListFleetsRejectsBadPagination(string path)
    {
        await using var emu = await TestEmulator.StartAsync();
        var body = await emu.GetJsonAsync(path, HttpStatusCode.BadRequest);
        AuthTests.AssertProviderErrorShape("voltagepark", body, 400, false);
    }

    [Fact]
    public async Task ListFleetsWithLimitZeroReturnsAnEmptyPageAndNoToken()
    {
        await using var emu = await TestEmulator.StartAsync();
        var body = await emu.GetJsonAsync("voltagepark/v1/fleets?limit=0");
        Assert.Empty(body.Items("fleets"));
        Assert.True(body.IsNull("nextToken"));
    }

    [Fact]
    public async Task GetFleetAndItsNodes()
    {
        await using var emu = await TestEmulator.StartAsync();
        var fleetId = await FirstFleetIdAsync(emu);
        var fleet = await emu.GetJsonAsync($"voltagepark/v1/fleets/{fleetId}");
        Assert.Equal(fleetId, fleet.Str("fleetId"));

        var nodes = await emu.GetJsonAsync($"voltagepark/v1/fleets/{fleetId}/nodes");
        Assert.Equal(100, nodes.GetProperty("limit").GetInt32());
        Assert.True(nodes.IsNull("nextToken"));
        var list = nodes.Items("nodes");
        Assert.Equal(20, list.Count);
        Assert.All(list, n => Assert.Equal(fleetId, n.Str("fleetId")));
        Assert.Equal("UNHEALTHY", list[1].Str("state"));
        Assert.Equal("READY", list[2].Str("state"));
        Assert.False(list[5].Has("gpuType"), "gpuType is absent when unknown");
        Assert.False(string.IsNullOrEmpty(list[0].Str("gpuType")));

        var node = await emu.GetJsonAsync($"voltagepark/v1/fleets/{fleetId}/nodes/g0101");
        Assert.Equal("g0101", node.Str("nodeName"));
        Assert.Equal("UNHEALTHY", node.Str("state"));
        Assert.False(string.IsNullOrEmpty(node.Str("publicIp")));
    }

    [Fact]
    public async Task ListNodesPagesAndValidatesLimit()
    {
        await using var emu = await TestEmulator.StartAsync();
        var fleetId = await FirstFleetIdAsync(emu);
        var names = new List<string>();
        var path = $"voltagepark/v1/fleets/{fleetId}/nodes?limit=7";
        for (var i = 0; i < 10; i++)
        {
            var body = await emu.GetJsonAsync(path);
            names.AddRange(body.Items("nodes").Select(n => n.Str("nodeName")));
            var token = body.GetProperty("nextToken").GetString();
            if (token is null)
            {
                break;
            }

            path = $"voltagepark/v1/fleets/{fleetId}/nodes?limit=7&nextToken={Uri.EscapeDataString(token)}";
        }

        Assert.Equal(20, names.Distinct().Count());
        await emu.GetJsonAsync($"voltagepark/v1/fleets/{fleetId}/nodes?limit=0", HttpStatusCode.BadRequest);
        await emu.GetJsonAsync($"voltagepark/v1/fleets/{fleetId}/nodes?limit=101", HttpStatusCode.BadRequest);
        await emu.GetJsonAsync($"voltagepark/v1/fleets/{fleetId}/nodes?nextToken=garbage", HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task UnknownFleetOrNodeIs404WithACode()
    {
        await using var emu = await TestEmulator.StartAsync();
        var fleetId = await FirstFleetIdAsync(emu);
        var missingFleet = await emu.GetJsonAsync("voltagepark/v1/fleets/00000000-0000-0000-0000-000000000000", HttpStatusCode.NotFound);
        Assert.Equal("FLEET_NOT_FOUND", missingFleet.Str("code"));
        var missingNode = await emu.GetJsonAsync($"voltagepark/v1/fleets/{fleetId}/nodes/g9999", HttpStatusCode.NotFound);
        Assert.Equal("NODE_NOT_FOUND", missingNode.Str("code"));
        await emu.GetJsonAsync("voltagepark/v1/fleets/nope/nodes", HttpStatusCode.NotFound);
        await emu.GetJsonAsync("voltagepark/v1/fleets/nope/health", HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task FleetHealthIs200ForActiveFleetsAnd422Otherwise()
    {
        await using var emu = await TestEmulator.StartAsync();
        var fleets = (await emu.GetJsonAsync("voltagepark/v1/fleets")).Items("fleets");
        var health = await emu.GetJsonAsync($"voltagepark/v1/fleets/{fleets[0].Str("fleetId")}/health");
        Assert.Equal(fleets[0].Str("fleetId"), health.Str("fleetId"));
        var nodes = health.Items("nodeHealth");
        Assert.Equal(20, nodes.Count);
        Assert.Equal("unhealthy", nodes.Single(n => n.Str("nodeId") == "g0101").Str("status"));
        Assert.Equal("degraded", nodes.Single(n => n.Str("nodeId") == "g0103").Str("status"));
        Assert.All(nodes, n => Assert.Contains(n.Str("status"), new[] { "healthy", "unhealthy", "degraded", "unknown" }));
        Assert.True(nodes[0].GetProperty("lastUpdatedAt").GetInt64() > 1_600_000_000_000);
        Assert.Equal("degraded", health.Str("status"));

        var provisioning = await emu.GetJsonAsync($"voltagepark/v1/fleets/{fleets[1].Str("fleetId")}/health", (HttpStatusCode)422);
        Assert.Equal(fleets[1].Str("fleetId"), provisioning.Str("fleetId"));
        Assert.Equal("PROVISIONING", provisioning.Str("status"));
        Assert.False(string.IsNullOrEmpty(provisioning.Str("error")));
    }

    [Fact]
    public async Task RemediateAcceptsKnownNodesRejectsOthersAndMovesTheNodeThroughItsStates()
    {
        await using var emu = await TestEmulator.StartAsync(o => o.VpRemediationStepMs = 60_000);
        var fleetId = await FirstFleetIdAsync(emu);
        var result = await emu.SendJsonAsync(
            HttpMethod.Post,
            $"voltagepark/v1/fleets/{fleetId}/nodes/remediate",
            """[{"nodeId":"g0101","message":"Xid 79 on GPU 3","cause":"GPU_FAILURE"},{"nodeId":"g9999","message":"m","cause":"c"},{"nodeId":"g0104","message":"m","cause":"c"}]""",
            HttpStatusCode.OK);
        var items = result.Items();
        Assert.Equal(3, items.Count);
        Assert.Equal("accepted", items[0].Str("remediateStatus"));
        Assert.True(items[0].IsNull("rejectionCause"));
        Assert.Equal("rejected", items[1].Str("remediateStatus"));
        Assert.False(string.IsNullOrEmpty(items[1].Str("rejectionCause")));
        Assert.Equal("rejected", items[2].Str("remediateStatus"));
        Assert.Contains("VALIDATION", items[2].Str("rejectionCause"), StringComparison.Ordinal);

        Assert.Equal("PROVISIONING", (await emu.GetJsonAsync($"voltagepark/v1/fleets/{fleetId}/nodes/g0101")).Str("state"));
        var health = (await emu.GetJsonAsync($"voltagepark/v1/fleets/{fleetId}/health")).Items("nodeHealth");
        Assert.Equal("unknown", health.Single(n => n.Str("nodeId") == "g0101").Str("status"));

        await emu.Admin.UpdateSettingsAsync(new EmulatorSettingsUpdate { VpRemediationStepMs = 50 });
        await Wait.UntilAsync(async () => (await emu.GetJsonAsync($"voltagepark/v1/fleets/{fleetId}/nodes/g0101")).Str("state") == "READY", "g0101 READY after remediation");
        health = (await emu.GetJsonAsync($"voltagepark/v1/fleets/{fleetId}/health")).Items("nodeHealth");
        Assert.Equal("healthy", health.Single(n => n.Str("nodeId") == "g0101").Str("status"));

        var counts = await emu.Admin.GetCountsAsync();
        Assert.Equal(1, counts.RemediationCount("voltagepark", $"{fleetId}/g0101"));
        Assert.Equal(0, counts.RemediationCount("voltagepark", $"{fleetId}/g9999"));
    }

    [Fact]
    public async Task RemediatingANodeThatIsAlreadyBeingRemediatedIsRejected()
    {
        await using var emu = await TestEmulator.StartAsync(o => o.VpRemediationStepMs = 60_000);
        var fleetId = await FirstFleetIdAsync(emu);
        const string Body = """[{"nodeId":"g0100","message":"m","cause":"c"}]""";
        var first = await emu.SendJsonAsync(HttpMethod.Post, $"voltagepark/v1/fleets/{fleetId}/nodes/remediate", Body, HttpStatusCode.OK);
        Assert.Equal("accepted", first.Items()[0].Str("remediateStatus"));
        var second = await emu.SendJsonAsync(HttpMethod.Post, $"voltagepark/v1/fleets/{fleetId}/nodes/remediate", Body, HttpStatusCode.OK);
        Assert.Equal("rejected", second.Items()[0].Str("remediateStatus"));
    }

    [Theory]
    [InlineData("{\"nodeId\":\"g0100\",\"message\":\"m\",\"cause\":\"c\"}")]
    [InlineData("[]")]
    [InlineData("[{\"nodeId\":\"g0100\",\"message\":\"m\"}]")]
    [InlineData("[{\"message\":\"m\",\"cause\":\"c\"}]")]
    [InlineData("[{\"nodeId\":\"g0100\",\"cause\":\"c\"}]")]
    [InlineData("not json")]
    [InlineData("")]
    public async Task RemediateValidatesTheBody(string body)
    {
        await using var emu = await TestEmulator.StartAsync();
        var fleetId = await FirstFleetIdAsync(emu);
        var error = await emu.SendJsonAsync(HttpMethod.Post, $"voltagepark/v1/fleets/{fleetId}/nodes/remediate", body, HttpStatusCode.BadRequest);
        AuthTests.AssertProviderErrorShape("voltagepark", error, 400, false);
        Assert.Empty((await emu.Admin.GetCountsAsync()).Remediations["voltagepark"]);
    }

    [Fact]
    public async Task RemediateRejectsMessagesOver2000CharactersAndUnknownFleets()
    {
        await using var emu = await TestEmulator.StartAsync();
        var fleetId = await FirstFleetIdAsync(emu);
        var tooLong = JsonSerializer.Serialize(new[] { new { nodeId = "g0100", message = new string('x', 2001), cause = "c" } });
        var error = await emu.SendJsonAsync(HttpMethod.Post, $"voltagepark/v1/fleets/{fleetId}/nodes/remediate", tooLong, HttpStatusCode.BadRequest);
        Assert.True(error.GetProperty("details").Has("[0].message"));

        var exactly = JsonSerializer.Serialize(new[] { new { nodeId = "g0100", message = new string('x', 2000), cause = "c" } });
        await emu.SendJsonAsync(HttpMethod.Post, $"voltagepark/v1/fleets/{fleetId}/nodes/remediate", exactly, HttpStatusCode.OK);

        var missing = await emu.SendJsonAsync(HttpMethod.Post, "voltagepark/v1/fleets/nope/nodes/remediate", """[{"nodeId":"g0100","message":"m","cause":"c"}]""", HttpStatusCode.NotFound);
        Assert.Equal("FLEET_NOT_FOUND", missing.Str("code"));
    }

    internal static async Task<string> FirstFleetIdAsync(TestEmulator emu)
        => (await emu.GetJsonAsync("voltagepark/v1/fleets")).Items("fleets")[0].Str("fleetId");
}
