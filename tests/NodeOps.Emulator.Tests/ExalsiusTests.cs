using System.Net;
using System.Text.Json;
using NodeOps.Emulator.Tests.Support;

namespace NodeOps.Emulator.Tests;

public sealed class ExalsiusTests
{
    private static readonly string[] BaseFields =
        ["id", "node_type", "node_status", "price_per_hour", "namespace", "hostname", "description", "location", "import_time", "warning_message", "hardware", "software", "system"];

    private static readonly string[] CloudFields = ["provider", "region", "instance_type", "availability_zone"];

    private static readonly string[] SelfManagedFields = ["endpoint", "username", "ssh_key_id", "last_heartbeat_date"];

    [Fact]
    public async Task ListNodesReturnsBothVariantsWithExactlyTheirFieldsAndATotal()
    {
        await using var emu = await TestEmulator.StartAsync();
        using var response = await emu.GetAsync("exalsius/v1/nodes");
        var body = await TestEmulator.ExpectJsonAsync(response, HttpStatusCode.OK);
        var nodes = body.Items("nodes");
        Assert.Equal(40, nodes.Count);
        Assert.Equal(40, body.GetProperty("total").GetInt32());
        Assert.Equal("40", Assert.Single(response.Headers.GetValues("X-Total-Count")));

        foreach (var node in nodes)
        {
            var names = node.EnumerateObject().Select(p => p.Name).ToList();
            var allowed = BaseFields.Concat(node.Str("node_type") == "CLOUD" ? CloudFields : SelfManagedFields).ToHashSet();
            Assert.All(names, n => Assert.Contains(n, allowed));
            if (node.Str("node_type") == "CLOUD")
            {
                Assert.True(node.Has("provider") && node.Has("region") && node.Has("instance_type"));
            }
            else
            {
                Assert.True(node.Has("endpoint") && node.Has("username") && node.Has("ssh_key_id"));
            }

            Assert.True(Guid.TryParse(node.Str("id"), out _));
            Assert.True(node.GetProperty("price_per_hour").ValueKind == JsonValueKind.Number);
        }

        foreach (var type in new[] { "CLOUD", "SELF_MANAGED" })
        {
            foreach (var status in new[] { "AVAILABLE", "DEPLOYED" })
            {
                Assert.Contains(nodes, n => n.Str("node_type") == type && n.Str("node_status") == status);
            }
        }

        Assert.Contains(nodes, n => n.Str("node_status") == "WARNING" && n.Has("warning_message"));
        Assert.EndsWith("Z", nodes[0].Str("import_time"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListNodesFiltersAndSorts()
    {
        await using var emu = await TestEmulator.StartAsync();
        var cloud = (await emu.GetJsonAsync("exalsius/v1/nodes?node_type=CLOUD")).Items("nodes");
        Assert.NotEmpty(cloud);
        Assert.All(cloud, n => Assert.Equal("CLOUD", n.Str("node_type")));

        var aws = (await emu.GetJsonAsync("exalsius/v1/nodes?provider=aws")).Items("nodes");
        Assert.NotEmpty(aws);
        Assert.All(aws, n => Assert.Equal("aws", n.Str("provider")));

        var sorted = (await emu.GetJsonAsync("exalsius/v1/nodes?sort_field=HOSTNAME&order_by=DESC")).Items("nodes").Select(n => n.Str("hostname")).ToList();
        Assert.Equal(sorted.OrderByDescending(h => h, StringComparer.Ordinal), sorted);
    }

    [Theory]
    [InlineData("node_type=GPU")]
    [InlineData("sort_field=PRICE")]
    [InlineData("order_by=UP")]
    public async Task InvalidListParametersAre422Problems(string query)
    {
        await using var emu = await TestEmulator.StartAsync();
        using var response = await emu.GetAsync("exalsius/v1/nodes?" + query);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = await TestEmulator.ExpectJsonAsync(response, (HttpStatusCode)422);
        AuthTests.AssertProviderErrorShape("exalsius", body, 422, false);
    }

    [Fact]
    public async Task DescribeNodeAnd404()
    {
        await using var emu = await TestEmulator.StartAsync();
        var first = (await emu.GetJsonAsync("exalsius/v1/nodes")).Items("nodes")[0];
        var node = await emu.GetJsonAsync("exalsius/v1/node/" + first.Str("id"));
        Assert.Equal(first.GetRawText(), node.GetRawText());

        var missing = await emu.GetJsonAsync("exalsius/v1/node/" + Guid.Empty, HttpStatusCode.NotFound);
        Assert.Equal("https://api.exalsius.ai/errors/not-found", missing.GetProperty("detail").Str("type"));
        Assert.Equal("/node/" + Guid.Empty, missing.GetProperty("detail").Str("instance"));
    }

    [Fact]
    public async Task DeleteIsOnlyAllowedForAvailableNodes()
    {
        await using var emu = await TestEmulator.StartAsync();
        var nodes = (await emu.GetJsonAsync("exalsius/v1/nodes")).Items("nodes");
        var available = nodes.First(n => n.Str("node_status") == "AVAILABLE").Str("id");
        var deployed = nodes.First(n => n.Str("node_status") == "DEPLOYED").Str("id");

        var deleted = await emu.SendJsonAsync(HttpMethod.Delete, "exalsius/v1/node/" + available, null, HttpStatusCode.OK);
        Assert.Equal(available, deleted.Str("node_id"));
        await emu.GetJsonAsync("exalsius/v1/node/" + available, HttpStatusCode.NotFound);
        await emu.SendJsonAsync(HttpMethod.Delete, "exalsius/v1/node/" + available, null, HttpStatusCode.NotFound);

        var conflict = await emu.SendJsonAsync(HttpMethod.Delete, "exalsius/v1/node/" + deployed, null, HttpStatusCode.Conflict);
        Assert.Contains("DEPLOYED", conflict.GetProperty("detail").Str("detail"), StringComparison.Ordinal);
        Assert.Contains("available", conflict.GetProperty("detail").Str("detail"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SshImportStartsPendingBecomesAvailableAndRefusesDuplicates()
    {
        await using var emu = await TestEmulator.StartAsync(o => o.ExalsiusDiscoveryMs = 60_000);
        const string Body = """{"hostname":"my-server-001","endpoint":"192.168.1.100:22","username":"ubuntu","ssh_key_id":"123e4567-e89b-12d3-a456-426614174000","description":"On-premises GPU server"}""";
        var created = await emu.SendJsonAsync(HttpMethod.Post, "exalsius/v1/node/import/ssh", Body, HttpStatusCode.Created);
        Assert.Equal(1, created.GetProperty("total").GetInt32());
        var id = created.Items("node_ids")[0].GetString()!;

        var pending = await emu.GetJsonAsync("exalsius/v1/node/" + id);
        Assert.Equal("PENDING", pending.Str("node_status"));
        Assert.Equal("SELF_MANAGED", pending.Str("node_type"));
        Assert.Equal("192.168.1.100:22", pending.Str("endpoint"));
        Assert.Equal(0.0, pending.GetProperty("price_per_hour").GetDouble());

        await emu.Admin.UpdateSettingsAsync(new EmulatorSettingsUpdate { ExalsiusDiscoveryMs = 50 });
        await Wait.UntilAsync(async () => (await emu.GetJsonAsync("exalsius/v1/node/" + id)).Str("node_status") == "AVAILABLE", "discovery");
        Assert.True((await emu.GetJsonAsync("exalsius/v1/node/" + id)).Has("hardware"));

        var duplicateHost = await emu.SendJsonAsync(HttpMethod.Post, "exalsius/v1/node/import/ssh", Body, HttpStatusCode.Conflict);
        AuthTests.AssertProviderErrorShape("exalsius", duplicateHost, 409, false);
        await emu.SendJsonAsync(HttpMethod.Post, "exalsius/v1/node/import/ssh", Body.Replace("my-server-001", "other", StringComparison.Ordinal), HttpStatusCode.Conflict);
    }

    [Theory]
    [InlineData("""{"endpoint":"1.2.3.4:22","username":"u","ssh_key_id":"k"}""")]
    [InlineData("""{"hostname":"h","username":"u","ssh_key_id":"k"}""")]
    [InlineData("""{"hostname":"h","endpoint":"1.2.3.4:22","ssh_key_id":"k"}""")]
    [InlineData("""{"hostname":"h","endpoint":"1.2.3.4:22","username":"u"}""")]
    [InlineData("""{"hostname":"h","endpoint":"1.2.3.4:22","username":"u","ssh_key_id":"k","price_per_hour":"cheap"}""")]
    [InlineData("")]
    public async Task SshImportValidatesRequiredFields(string body)
    {
        await using var emu = await TestEmulator.StartAsync();
        var error = await emu.SendJsonAsync(HttpMethod.Post, "exalsius/v1/node/import/ssh", body, HttpStatusCode.BadRequest);
        AuthTests.AssertProviderErrorShape("exalsius", error, 400, false);
    }

    [Fact]
    public async Task ImportFromAnOfferCreatesAvailableCloudNodes()
    {
        await using var emu = await TestEmulator.StartAsync();
        var offers = await emu.GetJsonAsync("exalsius/v1/offers");
        var offer = offers.Items("offers")[0];
        Assert.True(offers.GetProperty("total").GetInt32() >= 4);

        var created = await emu.SendJsonAsync(HttpMethod.Post, $"exalsius/v1/node/import/offer/{offer.Str("id")}?hostname=trainer&amount=2", null, HttpStatusCode.Created);
        Assert.Equal(2, created.GetProperty("total").GetInt32());
        foreach (var id in created.Items("node_ids").Select(i => i.GetString()))
        {
            var node = await emu.GetJsonAsync("exalsius/v1/node/" + id);
            Assert.Equal("CLOUD", node.Str("node_type"));
            Assert.Equal("AVAILABLE", node.Str("node_status"));
            Assert.Equal(offer.Str("instance_type"), node.Str("instance_type"));
            Assert.Equal(offer.GetProperty("price_per_hour").GetDouble(), node.GetProperty("price_per_hour").GetDouble());
            Assert.StartsWith("trainer-", node.Str("hostname"), StringComparison.Ordinal);
        }

        var single = await emu.SendJsonAsync(HttpMethod.Post, $"exalsius/v1/node/import/offer/{offer.Str("id")}", null, HttpStatusCode.Created);
        Assert.Equal(1, single.GetProperty("total").GetInt32());

        await emu.SendJsonAsync(HttpMethod.Post, $"exalsius/v1/node/import/offer/{Guid.Empty}", null, HttpStatusCode.NotFound);
        await emu.SendJsonAsync(HttpMethod.Post, $"exalsius/v1/node/import/offer/{offer.Str("id")}?amount=0", null, HttpStatusCode.BadRequest);
        await emu.SendJsonAsync(HttpMethod.Post, $"exalsius/v1/node/import/offer/{offer.Str("id")}?amount=many", null, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task OffersPageWithCursors()
    {
        await using var emu = await TestEmulator.StartAsync();
        var ids = new List<string>();
        var path = "exalsius/v1/offers?page_size=3";
        for (var i = 0; i < 10; i++)
        {
            var page = await emu.GetJsonAsync(path);
            ids.AddRange(page.Items("offers").Select(o => o.Str("id")));
            var next = page.GetProperty("next_cursor").GetString();
            if (next is null)
            {
                break;
            }

            path = "exalsius/v1/offers?page_size=3&cursor=" + Uri.EscapeDataString(next);
        }

        var all = await emu.GetJsonAsync("exalsius/v1/offers");
        Assert.Equal(all.GetProperty("total").GetInt32(), ids.Distinct().Count());
        await emu.GetJsonAsync("exalsius/v1/offers?cursor=garbage", HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task PatchWithoutBodyIsAHeartbeatAndWithBodyUpdatesTheNode()
    {
        await using var emu = await TestEmulator.StartAsync();
        var node = (await emu.GetJsonAsync("exalsius/v1/nodes?node_type=SELF_MANAGED")).Items("nodes").First(n => n.Str("node_status") == "AVAILABLE");
        var id = node.Str("id");
        var before = DateTimeOffset.Parse(node.Str("last_heartbeat_date"), System.Globalization.CultureInfo.InvariantCulture);

        var heartbeat = await emu.SendJsonAsync(HttpMethod.Patch, "exalsius/v1/node/" + id, null, HttpStatusCode.OK);
        Assert.Equal(id, heartbeat.Str("node_id"));
        Assert.False(string.IsNullOrEmpty(heartbeat.Str("next_access_token")));
        Assert.Equal(3600, heartbeat.GetProperty("next_access_token_expires_in").GetInt32());
        Assert.Equal("Bearer", heartbeat.Str("next_access_token_type"));
        var after = DateTimeOffset.Parse((await emu.GetJsonAsync("exalsius/v1/node/" + id)).Str("last_heartbeat_date"), System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(after > before);

        const string Patch = """{"description":"rack 9","hardware":{"gpu_count":2,"gpu_type":"L4"},"software":{"docker":"28.0"},"system":{"os":"Debian 12"}}""";
        await emu.SendJsonAsync(HttpMethod.Patch, "exalsius/v1/node/" + id, Patch, HttpStatusCode.OK);
        var patched = await emu.GetJsonAsync("exalsius/v1/node/" + id);
        Assert.Equal("rack 9", patched.Str("description"));
        Assert.Equal(2, patched.GetProperty("hardware").GetProperty("gpu_count").GetInt32());
        Assert.Equal("L4", patched.GetProperty("hardware").Str("gpu_type"));
        Assert.Equal("Debian 12", patched.GetProperty("system").Str("os"));

        await emu.SendJsonAsync(HttpMethod.Patch, "exalsius/v1/node/" + id, """{"description":"only"}""", HttpStatusCode.BadRequest);
        await emu.SendJsonAsync(HttpMethod.Patch, "exalsius/v1/node/" + Guid.Empty, null, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task ClustersJoinNodesToClusters()
    {
        await using var emu = await TestEmulator.StartAsync();
        var clusters = await emu.GetJsonAsync("exalsius/v1/clusters");
        var list = clusters.Items("clusters");
        Assert.Equal(list.Count, clusters.GetProperty("total").GetInt32());
        Assert.NotEmpty(list);

        var nodes = (await emu.GetJsonAsync("exalsius/v1/nodes")).Items("nodes").ToDictionary(n => n.Str("id"));
        var members = new HashSet<string>();
        foreach (var cluster in list)
        {
            var join = await emu.GetJsonAsync($"exalsius/v1/cluster/{cluster.Str("id")}/nodes");
            Assert.Equal(cluster.Str("id"), join.Str("cluster_id"));
            var ids = join.Items("control_plane_node_ids").Concat(join.Items("worker_node_ids")).Select(i => i.GetString()!).ToList();
            Assert.Equal(ids.Count, join.GetProperty("total_nodes").GetInt32());
            members.UnionWith(ids);
        }

        Assert.All(members, id => Assert.Contains(nodes[id].Str("node_status"), new[] { "ADDED", "DEPLOYED" }));
        Assert.All(nodes.Values.Where(n => n.Str("node_status") is "ADDED" or "DEPLOYED"), n => Assert.Contains(n.Str("id"), members));
        await emu.GetJsonAsync($"exalsius/v1/cluster/{Guid.Empty}/nodes", HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task DetachingANodeFromItsClusterMakesItDeletable()
    {
        await using var emu = await TestEmulator.StartAsync();
        var cluster = (await emu.GetJsonAsync("exalsius/v1/clusters")).Items("clusters")[0];
        var worker = cluster.Items("worker_node_ids")[0].GetString();
        await emu.SendJsonAsync(HttpMethod.Delete, $"exalsius/v1/cluster/{cluster.Str("id")}/nodes/{worker}", null, HttpStatusCode.Accepted);
        Assert.Equal("AVAILABLE", (await emu.GetJsonAsync("exalsius/v1/node/" + worker)).Str("node_status"));
        await emu.SendJsonAsync(HttpMethod.Delete, "exalsius/v1/node/" + worker, null, HttpStatusCode.OK);
    }
}
