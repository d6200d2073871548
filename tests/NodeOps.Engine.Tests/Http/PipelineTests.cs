using NodeOps.Engine.Providers.Together;
using NodeOps.Engine.Tests.Support;

namespace NodeOps.Engine.Tests.Http;

public sealed class PipelineTests
{
    private const string ClusterJson = """{"cluster_id":"c1","cluster_name":"one","status":"Ready","region":"us-west","gpu_type":"H100_SXM","gpu_worker_nodes":[]}""";

    private static TogetherClient Together(CannedHttpServer server, NodeOpsClientOptions? options = null) =>
        TestClients.Create(CloudProvider.Together, server.BaseUrl, options).ProviderClient<TogetherClient>();

    [Fact]
    public async Task Retries_a_500_then_returns_the_success()
    {
        await using var server = new CannedHttpServer((_, i) => i == 0
            ? CannedResponse.Json("""{"code":13,"message":"boom"}""", 500)
            : CannedResponse.Json(ClusterJson));

        var cluster = await Together(server).GetClusterAsync("c1");

        Assert.Equal("c1", cluster.Id);
        Assert.Equal(ClusterStatus.Ready, cluster.Status);
        Assert.Equal(2, server.RequestCount);
    }

    [Fact]
    public async Task Honours_Retry_After_on_429()
    {
        var tracer = new RecordingTracer();
        await using var server = new CannedHttpServer((_, i) => i == 0
            ? new CannedResponse { Status = 429, Body = """{"code":8,"message":"slow down"}"""u8.ToArray(), Headers = { ["Retry-After"] = "1" } }
            : CannedResponse.Json(ClusterJson));

        var started = DateTime.UtcNow;
        await Together(server, TestClients.FastOptions(tracer)).GetClusterAsync("c1");

        Assert.True(DateTime.UtcNow - started >= TimeSpan.FromMilliseconds(950));
        var retry = Assert.Single(tracer.Events, e => e.Kind == TraceEventKind.Retrying);
        Assert.Equal(TimeSpan.FromSeconds(1), retry.Delay);
    }

    [Fact]
    public async Task A_404_becomes_NotFound_with_the_provider_code_and_message()
    {
        await using var server = new CannedHttpServer(CannedResponse.Json("""{"code":5,"message":"cluster c9 not found","details":[]}""", 404));

        var ex = await Assert.ThrowsAsync<NodeOpsApiException>(() => Together(server).GetClusterAsync("c9"));

        Assert.Equal(ErrorKind.NotFound, ex.Kind);
        Assert.Equal(NodeOpsErrorCategory.ObjectNotFound, ex.Category);
        Assert.Equal(404, ex.StatusCode);
        Assert.Equal("NOT_FOUND", ex.ProviderCode);
        Assert.Equal("c9", ex.Target);
        Assert.Contains("cluster c9 not found", ex.Message, StringComparison.Ordinal);
        Assert.Equal(1, server.RequestCount);
    }

    [Fact]
    public async Task Malformed_json_on_a_get_is_retried_then_reported_as_InvalidResponse()
    {
        await using var server = new CannedHttpServer(CannedResponse.Json("""{"cluster_id":"c1", "status":"""));

        var ex = await Assert.ThrowsAsync<NodeOpsException>(() => Together(server).GetClusterAsync("c1"));

        Assert.Equal(ErrorKind.InvalidResponse, ex.Kind);
        Assert.Equal(4, server.RequestCount);
    }

    [Fact]
    public async Task Path_values_are_escaped_as_single_segments()
    {
        await using var server = new CannedHttpServer(CannedResponse.Json(ClusterJson));

        await Together(server).GetClusterAsync("a/b c?d#e%f");

        var request = Assert.Single(server.Requests);
        Assert.Equal("/v1/compute/clusters/a%2Fb%20c%3Fd%23e%25f", request.Target);
    }

    [Fact]
    public async Task Dot_segments_are_refused_before_sending_and_the_parameter_is_named()
    {
        await using var server = new CannedHttpServer(CannedResponse.Json(ClusterJson));

        var ex = await Assert.ThrowsAsync<NodeOpsException>(() => Together(server).GetClusterAsync(".."));

        Assert.Equal(ErrorKind.InvalidArgument, ex.Kind);
        Assert.Contains("-ClusterId", ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, server.RequestCount);
    }

    [Fact]
    public async Task Sends_bearer_token_and_user_agent_but_never_traces_the_token()
    {
        var tracer = new RecordingTracer();
        await using var server = new CannedHttpServer(CannedResponse.Json("""{"code":16,"message":"bad token test-token-5f2b9c1e"}""", 401));

        var ex = await Assert.ThrowsAsync<NodeOpsApiException>(() => Together(server, TestClients.FastOptions(tracer)).GetClusterAsync("c1"));

        var request = Assert.Single(server.Requests);
        Assert.Equal("Bearer " + TestClients.Token, request.Header("Authorization"));
        Assert.StartsWith("NodeOps/", request.Header("User-Agent"), StringComparison.Ordinal);
        Assert.Equal(ErrorKind.AuthenticationFailed, ex.Kind);
        Assert.DoesNotContain(TestClients.Token, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(TestClients.Token, ex.RawBody ?? string.Empty, StringComparison.Ordinal);
        Assert.NotEmpty(tracer.Events);
        Assert.DoesNotContain(TestClients.Token, tracer.AllText, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://api.together.ai")]
    [InlineData("http://10.0.0.5:8080")]
    [InlineData("ftp://127.0.0.1")]
    public void Refuses_plain_http_to_anything_but_loopback(string endpoint)
    {
        var ex = Assert.Throws<NodeOpsException>(() =>
            ProviderConnection.Create(CloudProvider.Together, ApiCredential.FromToken("t", "test"), new Uri(endpoint)));
        Assert.Equal(ErrorKind.InvalidArgument, ex.Kind);
    }

    [Fact]
    public void Strips_a_trailing_v1_from_endpoints_because_clients_add_it()
    {
        var c = ProviderConnection.Create(CloudProvider.Together, ApiCredential.FromToken("t", "test"), new Uri("https://api.together.xyz/v1/"));
        Assert.Equal("https://api.together.xyz/", c.Endpoint.ToString());
    }
}
