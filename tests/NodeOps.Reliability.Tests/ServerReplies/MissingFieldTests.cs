using NodeOps.Engine;
using NodeOps.Engine.Providers.Exalsius;
using NodeOps.Engine.Providers.SfCompute;
using NodeOps.Engine.Providers.Together;
using NodeOps.Engine.Providers.VoltagePark;
using NodeOps.Engine.Tests.Support;

namespace NodeOps.Reliability.Tests.ServerReplies;

/// <summary>
/// A reply without a documented-required field that identifies the resource (the id every later call
/// needs) is <see cref="ErrorKind.InvalidResponse"/> naming the field and the provider; it is never
/// turned into a node or remediation without an id. Required enum fields (state, status) are different:
/// their absence reads as Unknown with the raw value kept (see <see cref="NullFieldTests"/>), because
/// providers add and drop states.
/// </summary>
public sealed class MissingFieldTests
{
    private static readonly Dictionary<string, (CloudProvider Provider, Func<NodeOpsClient, Task> Call)> Calls = new()
    {
        ["vp node"] = (CloudProvider.VoltagePark, c => c.ProviderClient<VoltageParkClient>().GetNodeAsync("f1", "g1")),
        ["vp node page"] = (CloudProvider.VoltagePark, async c => await c.ProviderClient<VoltageParkClient>().ListNodesAsync("f1").ToListAsync()),
        ["vp fleet"] = (CloudProvider.VoltagePark, c => c.ProviderClient<VoltageParkClient>().GetFleetAsync("f1")),
        ["vp health"] = (CloudProvider.VoltagePark, c => c.ProviderClient<VoltageParkClient>().GetFleetHealthAsync("f1")),
        ["ex node"] = (CloudProvider.Exalsius, c => c.ProviderClient<ExalsiusClient>().DescribeNodeAsync("n1")),
        ["ex clusters"] = (CloudProvider.Exalsius, async c => await c.ProviderClient<ExalsiusClient>().ListClustersAsync().ToListAsync()),
        ["tg cluster"] = (CloudProvider.Together, c => c.ProviderClient<TogetherClient>().GetClusterAsync("c1")),
        ["tg workers"] = (CloudProvider.Together, async c => await c.ProviderClient<TogetherClient>().ListNodesAsync("c1").ToListAsync()),
        ["tg remediation"] = (CloudProvider.Together, c => c.ProviderClient<TogetherClient>().GetRemediationAsync("c1", null, "r1")),
        ["tg remediations"] = (CloudProvider.Together, async c => await c.ProviderClient<TogetherClient>().ListRemediationsAsync("c1").ToListAsync()),
        ["sf node"] = (CloudProvider.SFCompute, c => c.ProviderClient<SfComputeClient>().GetNodeAsync("n1")),
        ["sf nodes"] = (CloudProvider.SFCompute, async c => await c.ProviderClient<SfComputeClient>().ListNodesAsync().ToListAsync()),
    };

    [Theory]
    [InlineData("vp node", """{"state":"ACTIVE","publicIp":"147.1.0.2"}""", "nodeName")]
    [InlineData("vp node", """{"nodeName":null,"state":"ACTIVE"}""", "nodeName")]
    [InlineData("vp node", """{"nodeName":"","state":"ACTIVE"}""", "nodeName")]
    [InlineData("vp node", """{"error":"Node 'g1' not found in fleet 'f1'.","code":"NODE_NOT_FOUND"}""", "nodeName")]
    [InlineData("vp node page", """{"nodes":[{"state":"ACTIVE"}],"nextToken":null}""", "nodeName")]
    [InlineData("vp fleet", """{"name":"fleet-01","status":"ACTIVE"}""", "fleetId")]
    [InlineData("vp health", """{"fleetId":"f1","nodeHealth":[{"status":"healthy"}]}""", "nodeHealth[].nodeId")]
    [InlineData("ex node", """{"node_type":"CLOUD","node_status":"AVAILABLE","price_per_hour":1.5}""", "id")]
    [InlineData("ex node", """{"detail":{"type":"https://api.exalsius.ai/errors/not-found","title":"Not Found","status":404,"detail":"gone","instance":"/node/n1"}}""", "id")]
    [InlineData("ex clusters", """{"clusters":[{"name":"ex-cluster-00","cluster_status":"READY"}]}""", "id")]
    [InlineData("tg cluster", """{"cluster_name":"tg-cluster-00","status":"Ready"}""", "cluster_id")]
    [InlineData("tg workers", """{"cluster_id":"c1","gpu_worker_nodes":[{"host_name":"h","status":"Ready"}]}""", "instance_id")]
    [InlineData("tg remediation", """{"id":"r1","state":"PENDING"}""", "instance_id")]
    [InlineData("tg remediations", """{"remediations":[{"instance_id":"i-1","state":"PENDING"}],"has_next":false}""", "id")]
    [InlineData("sf node", """{"object":"node","name":"gpu-00-000","status":"running"}""", "id")]
    [InlineData("sf node", """{"object":"node","id":"n1","status":"running","current_vm":{"object":"vm","status":"Running"}}""", "id")]
    [InlineData("sf nodes", """{"object":"list","data":[{"object":"node","name":"gpu-00-000"}]}""", "id")]
    public async Task A_reply_without_an_identifying_field_is_InvalidResponse_naming_it(string call, string json, string field)
    {
        var (provider, send) = Calls[call];
        await using var server = new CannedHttpServer(CannedResponse.Json(json));

        var ex = await Assert.ThrowsAsync<NodeOpsException>(() => send(TestClients.Create(provider, server.BaseUrl)));

        Assert.Equal(ErrorKind.InvalidResponse, ex.Kind);
        Assert.Equal(provider, ex.Provider);
        Assert.StartsWith(provider.ToString(), ex.Message, StringComparison.Ordinal);
        Assert.Contains($"the required field '{field}'", ex.Message, StringComparison.Ordinal);

        // Mapped inside the attempt like every reply: a read that cannot be mapped is retried like one that cannot be parsed.
        Assert.Equal(1 + TestClients.FastOptions().MaxRetries, server.RequestCount);
    }

    [Fact]
    public async Task A_keyed_mutation_whose_reply_lacks_the_id_is_retried_with_the_same_key_then_reported()
    {
        await using var server = new CannedHttpServer(CannedResponse.Json("""{"instance_id":"i-1","state":"PENDING"}"""));

        var ex = await Assert.ThrowsAsync<NodeOpsException>(() =>
            TestClients.Create(CloudProvider.Together, server.BaseUrl).ProviderClient<TogetherClient>().CreateRemediationAsync("c1", "i-1", null, null, "rem-key-7"));

        Assert.Equal(ErrorKind.InvalidResponse, ex.Kind);
        Assert.Contains("the required field 'id'", ex.Message, StringComparison.Ordinal);
        Assert.Equal(1 + TestClients.FastOptions().MaxRetries, server.RequestCount);
        Assert.All(server.Requests, r => Assert.EndsWith("?remediation_id=rem-key-7", r.Target, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_redeploy_whose_reply_lacks_the_node_id_is_not_resent_and_says_it_happened()
    {
        await using var server = new CannedHttpServer(CannedResponse.Json("""{"object":"node","status":"running"}"""));

        var ex = await Assert.ThrowsAsync<NodeOpsException>(() =>
            TestClients.Create(CloudProvider.SFCompute, server.BaseUrl).ProviderClient<SfComputeClient>().RedeployAsync("n1"));

        Assert.Equal(ErrorKind.InvalidResponse, ex.Kind);
        Assert.StartsWith("SF Compute redeployed node 'n1', but its reply could not be read", ex.Message, StringComparison.Ordinal);
        Assert.Contains("the required field 'id'", ex.Message, StringComparison.Ordinal);
        Assert.Equal(1, server.RequestCount);
    }
}
