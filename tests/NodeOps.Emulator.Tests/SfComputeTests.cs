using System.Net;
using System.Text.Json;
using NodeOps.Emulator.Tests.Support;

namespace NodeOps.Emulator.Tests;

public sealed class SfComputeTests
{
    [Fact]
    public async Task ListNodesReturnsAListObjectWithVaryingVmStatusCase()
    {
        await using var emu = await TestEmulator.StartAsync();
        var body = await emu.GetJsonAsync("sfcompute/v1/nodes");
        Assert.Equal("list", body.Str("object"));
        var nodes = body.Items("data");
        Assert.Equal(40, nodes.Count);
        Assert.All(nodes, n => Assert.Equal("node", n.Str("object")));
        Assert.All(nodes, n => Assert.StartsWith("n_", n.Str("id"), StringComparison.Ordinal));
        Assert.All(nodes, n => Assert.True(n.Has("current_vm") && n.Has("zone") && n.Has("deleted_at"), "nullable fields are present"));

        var vmStatuses = nodes.SelectMany(n => n.GetProperty("vms").Items("data")).Select(v => v.Str("status")).ToHashSet();
        Assert.Contains("Running", vmStatuses);
        Assert.Contains("running", vmStatuses);
        Assert.Contains("NodeFailure", vmStatuses);
        Assert.Equal("Running", nodes[0].GetProperty("current_vm").Str("status"));
        Assert.Equal("running", nodes[1].GetProperty("current_vm").Str("status"));
        Assert.True(nodes[0].GetProperty("created_at").GetInt64() < 10_000_000_000, "times are unix seconds");

        var statuses = nodes.Select(n => n.Str("status")).ToHashSet();
        Assert.Superset(new HashSet<string> { "running", "failed", "terminated", "pending", "awaitingcapacity", "released" }, statuses);
    }

    [Fact]
    public async Task ListNodesFiltersByRepeatedIdsNamesAndType()
    {
        await using var emu = await TestEmulator.StartAsync();
        var nodes = (await emu.GetJsonAsync("sfcompute/v1/nodes")).Items("data");
        var a = nodes[0].Str("id");
        var b = nodes[7].Str("id");
        var byId = (await emu.GetJsonAsync($"sfcompute/v1/nodes?id={a}&id={b}")).Items("data");
        Assert.Equal(new[] { a, b }.Order(), byId.Select(n => n.Str("id")).Order());

        var byName = (await emu.GetJsonAsync($"sfcompute/v1/nodes?name={nodes[3].Str("name")}")).Items("data");
        Assert.Equal(nodes[3].Str("id"), Assert.Single(byName).Str("id"));

        var reserved = (await emu.GetJsonAsync("sfcompute/v1/nodes?type=reserved")).Items("data");
        Assert.Equal(20, reserved.Count);
        Assert.All(reserved, n => Assert.Equal("reserved", n.Str("node_type")));

        var error = await emu.GetJsonAsync("sfcompute/v1/nodes?type=spot", HttpStatusCode.BadRequest);
        Assert.Equal("invalid_request_error", error.GetProperty("error").Str("type"));
    }

    [Fact]
    public async Task GetNodeAcceptsIdOrName()
    {
        await using var emu = await TestEmulator.StartAsync();
        var first = (await emu.GetJsonAsync("sfcompute/v1/nodes")).Items("data")[0];
        Assert.Equal(first.Str("id"), (await emu.GetJsonAsync("sfcompute/v1/nodes/" + first.Str("id"))).Str("id"));
        Assert.Equal(first.Str("id"), (await emu.GetJsonAsync("sfcompute/v1/nodes/" + first.Str("name"))).Str("id"));
        var error = await emu.GetJsonAsync("sfcompute/v1/nodes/n_missing", HttpStatusCode.NotFound);
        Assert.Equal("not_found", error.GetProperty("error").Str("type"));
    }

    [Fact]
    public async Task RedeployDestroysTheVmAndBootsANewOneThatInheritsUnsetFields()
    {
        await using var emu = await TestEmulator.StartAsync(o => o.SfVmBootMs = 300);
        var node = (await emu.GetJsonAsync("sfcompute/v1/nodes")).Items("data")[1];
        var id = node.Str("id");
        var oldVm = node.GetProperty("current_vm");

        var redeployed = await emu.SendJsonAsync(HttpMethod.Put, $"sfcompute/v1/nodes/{id}/redeploy", """{"cloud_init_user_data":"aGVsbG8gd29ybGQ="}""", HttpStatusCode.OK);
        var vms = redeployed.GetProperty("vms").Items("data");
        var destroyed = vms.Single(v => v.Str("id") == oldVm.Str("id"));
        Assert.Equal("destroyed", destroyed.Str("status"));
        var current = redeployed.GetProperty("current_vm");
        Assert.NotEqual(oldVm.Str("id"), current.Str("id"));
        Assert.StartsWith("vm_", current.Str("id"), StringComparison.Ordinal);
        Assert.Equal("pending", current.Str("status"));
        Assert.Equal(oldVm.Str("image_id"), current.Str("image_id"));
        Assert.Equal("running", redeployed.Str("status"));

        await Wait.UntilAsync(async () => (await emu.GetJsonAsync($"sfcompute/v1/nodes/{id}")).GetProperty("current_vm").Str("status") == "running", "new VM running");
        Assert.Equal(1, (await emu.Admin.GetCountsAsync()).RemediationCount("sfcompute", id));

        var overridden = await emu.SendJsonAsync(HttpMethod.Put, $"sfcompute/v1/nodes/{id}/redeploy", """{"override_empty":true}""", HttpStatusCode.OK);
        Assert.True(overridden.GetProperty("current_vm").IsNull("image_id"));

        await Wait.UntilAsync(async () => (await emu.GetJsonAsync($"sfcompute/v1/nodes/{id}")).GetProperty("current_vm").Str("status") == "running", "second VM running");
        var withImage = await emu.SendJsonAsync(HttpMethod.Put, $"sfcompute/v1/nodes/{node.Str("name")}/redeploy", """{"image_id":"vmi_custom"}""", HttpStatusCode.OK);
        Assert.Equal("vmi_custom", withImage.GetProperty("current_vm").Str("image_id"));
        Assert.Equal(3, (await emu.Admin.GetCountsAsync()).RemediationCount("sfcompute", id));
    }

    [Fact]
    public async Task RedeployKeepsTheSdkCasingOfTheNode()
    {
        await using var emu = await TestEmulator.StartAsync();
        var node = (await emu.GetJsonAsync("sfcompute/v1/nodes")).Items("data")[0];
        var redeployed = await emu.SendJsonAsync(HttpMethod.Put, $"sfcompute/v1/nodes/{node.Str("id")}/redeploy", "{}", HttpStatusCode.OK);
        Assert.Equal("Pending", redeployed.GetProperty("current_vm").Str("status"));
        Assert.Contains(redeployed.GetProperty("vms").Items("data"), v => v.Str("status") == "Destroyed");
    }

    [Fact]
    public async Task RedeployIsRefusedForNodesThatAreNotRunningOrStillBooting()
    {
        await using var emu = await TestEmulator.StartAsync(o => o.SfVmBootMs = 60_000);
        var nodes = (await emu.GetJsonAsync("sfcompute/v1/nodes")).Items("data");
        foreach (var index in new[] { 2, 3, 4, 5, 6 })
        {
            var error = await emu.SendJsonAsync(HttpMethod.Put, $"sfcompute/v1/nodes/{nodes[index].Str("id")}/redeploy", "{}", HttpStatusCode.Conflict);
            Assert.Equal("conflict", error.GetProperty("error").Str("type"));
        }

        var id = nodes[0].Str("id");
        await emu.SendJsonAsync(HttpMethod.Put, $"sfcompute/v1/nodes/{id}/redeploy", "{}", HttpStatusCode.OK);
        await emu.SendJsonAsync(HttpMethod.Put, $"sfcompute/v1/nodes/{id}/redeploy", "{}", HttpStatusCode.Conflict);
        Assert.Equal(1, (await emu.Admin.GetCountsAsync()).RemediationCount("sfcompute", id));
        await emu.SendJsonAsync(HttpMethod.Put, "sfcompute/v1/nodes/n_missing/redeploy", "{}", HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task RedeployReplacesAFailedVmOfARunningNode()
    {
        await using var emu = await TestEmulator.StartAsync();
        await emu.Admin.AddNodeAsync("sfcompute", new NodeOps.Emulator.Admin.AdminNodeRequest { Id = "n_broken", Status = "running", VmStatus = "NodeFailure" });

        var redeployed = await emu.SendJsonAsync(HttpMethod.Put, "sfcompute/v1/nodes/n_broken/redeploy", "{}", HttpStatusCode.OK);

        Assert.Equal("pending", redeployed.GetProperty("current_vm").Str("status").ToLowerInvariant());
        Assert.Equal(1, (await emu.Admin.GetCountsAsync()).RemediationCount("sfcompute", "n_broken"));
    }

    [Theory]
    [InlineData("RUNNING", "RUNNING", HttpStatusCode.OK)]
    [InlineData("Running", "NODEFAILURE", HttpStatusCode.OK)]
    [InlineData("running", "nodeFailure", HttpStatusCode.OK)]
    [InlineData("RUNNING", "PENDING", HttpStatusCode.Conflict)]
    [InlineData("Running", "pending", HttpStatusCode.Conflict)]
    [InlineData("RELEASED", null, HttpStatusCode.Conflict)]
    [InlineData("Failed", "NodeFailure", HttpStatusCode.Conflict)]
    public async Task RedeployComparesNodeAndVmStatusesWithoutRegardToCase(string status, string? vmStatus, HttpStatusCode expected)
    {
        // The SDK spells VM statuses Running/NodeFailure, the docs running; a server reading either as the same
        // state must also treat any other casing alike.
        await using var emu = await TestEmulator.StartAsync();
        await emu.Admin.AddNodeAsync("sfcompute", new NodeOps.Emulator.Admin.AdminNodeRequest { Id = "n_cased", Status = status, VmStatus = vmStatus ?? "Destroyed" });

        await emu.SendJsonAsync(HttpMethod.Put, "sfcompute/v1/nodes/n_cased/redeploy", "{}", expected);

        Assert.Equal(expected == HttpStatusCode.OK ? 1 : 0, (await emu.Admin.GetCountsAsync()).RemediationCount("sfcompute", "n_cased"));
    }

    [Theory]
    [InlineData("RUNNING", HttpStatusCode.Conflict)]
    [InlineData("Pending", HttpStatusCode.Conflict)]
    [InlineData("DESTROYED", HttpStatusCode.NoContent)]
    public async Task DeleteComparesVmStatusesWithoutRegardToCase(string vmStatus, HttpStatusCode expected)
    {
        await using var emu = await TestEmulator.StartAsync();
        await emu.Admin.AddNodeAsync("sfcompute", new NodeOps.Emulator.Admin.AdminNodeRequest { Id = "n_cased", Status = "running", VmStatus = vmStatus });

        using var response = await emu.SendAsync(HttpMethod.Delete, "sfcompute/v1/nodes/n_cased");

        Assert.Equal(expected, response.StatusCode);
    }

    [Theory]
    [InlineData("""{"cloud_init_user_data":"not base64!"}""")]
    [InlineData("""{"cloud_init_user_data":"abc"}""")]
    [InlineData("""{"cloud_init_user_data":42}""")]
    [InlineData("""{"override_empty":"yes"}""")]
    [InlineData("""{"image_id":7}""")]
    [InlineData("[1]")]
    public async Task RedeployValidatesTheBody(string body)
    {
        await using var emu = await TestEmulator.StartAsync();
        var id = (await emu.GetJsonAsync("sfcompute/v1/nodes")).Items("data")[0].Str("id");
        var error = await emu.SendJsonAsync(HttpMethod.Put, $"sfcompute/v1/nodes/{id}/redeploy", body, HttpStatusCode.BadRequest);
        AuthTests.AssertProviderErrorShape("sfcompute", error, 400, false);
        Assert.Equal(0, (await emu.Admin.GetCountsAsync()).RemediationCount("sfcompute", id));
    }

    [Fact]
    public async Task ReleaseOnlyAppliesToAutoreservedNodes()
    {
        await using var emu = await TestEmulator.StartAsync();
        var nodes = (await emu.GetJsonAsync("sfcompute/v1/nodes")).Items("data");
        var auto = nodes.First(n => n.Str("node_type") == "autoreserved" && n.Str("status") == "running");
        var released = await emu.SendJsonAsync(HttpMethod.Patch, $"sfcompute/v1/nodes/{auto.Str("id")}/release", null, HttpStatusCode.OK);
        Assert.Equal("released", released.Str("status"));
        await emu.SendJsonAsync(HttpMethod.Patch, $"sfcompute/v1/nodes/{auto.Str("id")}/release", null, HttpStatusCode.Conflict);

        var reserved = nodes.First(n => n.Str("node_type") == "reserved");
        await emu.SendJsonAsync(HttpMethod.Patch, $"sfcompute/v1/nodes/{reserved.Str("id")}/release", null, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task DeleteIsRefusedWhileVmsAreActive()
    {
        await using var emu = await TestEmulator.StartAsync();
        var nodes = (await emu.GetJsonAsync("sfcompute/v1/nodes")).Items("data");
        var running = nodes[0].Str("id");
        var error = await emu.SendJsonAsync(HttpMethod.Delete, "sfcompute/v1/nodes/" + running, null, HttpStatusCode.Conflict);
        Assert.Equal("conflict", error.GetProperty("error").Str("type"));

        var terminated = nodes[3].Str("id");
        using (var response = await emu.SendAsync(HttpMethod.Delete, "sfcompute/v1/nodes/" + terminated))
        {
            Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
            Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        }

        var deleted = await emu.GetJsonAsync("sfcompute/v1/nodes/" + terminated);
        Assert.Equal("deleted", deleted.Str("status"));
        Assert.Equal(JsonValueKind.Number, deleted.GetProperty("deleted_at").ValueKind);
        await emu.SendJsonAsync(HttpMethod.Delete, "sfcompute/v1/nodes/n_missing", null, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task ImagesAreListed()
    {
        await using var emu = await TestEmulator.StartAsync();
        var images = await emu.GetJsonAsync("sfcompute/v1/vms/images");
        Assert.Equal("list", images.Str("object"));
        Assert.All(images.Items("data"), i => Assert.StartsWith("vmi_", i.Str("id"), StringComparison.Ordinal));
    }
}
