using NodeOps.Engine.Http;
using NodeOps.Engine.Tests.Support;

namespace NodeOps.Engine.Tests.Http;

/// <summary>
/// Requests that a provider cannot deduplicate must reach the server at most once when an answer is
/// lost, including the resend SocketsHttpHandler does on its own for body-less requests on a reused
/// connection.
/// </summary>
public sealed class RetrySafetyTests
{
    private static HttpPipeline Pipeline(CannedHttpServer server, NodeOpsClientOptions? options = null) =>
        new(ProviderConnection.Create(CloudProvider.Together, ApiCredential.FromToken(TestClients.Token, "test"), server.BaseUrl), options ?? TestClients.FastOptions());

    [Theory]
    [InlineData("DELETE")]
    [InlineData("PATCH")]
    [InlineData("POST")]
    public async Task An_unsafe_bodyless_request_on_a_reused_connection_is_sent_once_when_the_answer_is_lost(string method)
    {
        await using var server = new CannedHttpServer((r, i) => r.Target == "/warm" ? CannedResponse.Json("{}") : new CannedResponse { Drop = true });
        var pipeline = Pipeline(server);
        await pipeline.SendAsync(ApiRequest.Get("/warm", "warm up"), CancellationToken.None);

        var request = new ApiRequest { Method = new HttpMethod(method), PathAndQuery = "/v1/thing", Operation = "change thing", Target = "t1", Safety = RetrySafety.Unsafe };
        var ex = await Assert.ThrowsAsync<NodeOpsException>(() => pipeline.SendAsync(request, CancellationToken.None));

        Assert.Equal(ErrorKind.OutcomeUnknown, ex.Kind);
        Assert.Equal(1, server.Requests.Count(r => r.Target == "/v1/thing"));
        Assert.Equal("t1", ex.Target);
    }

    [Fact]
    public async Task A_safe_request_is_retried_after_a_lost_answer()
    {
        await using var server = new CannedHttpServer((r, i) => i == 1 ? new CannedResponse { Drop = true } : CannedResponse.Json("{}"));
        var pipeline = Pipeline(server);
        await pipeline.SendAsync(ApiRequest.Get("/warm", "warm up"), CancellationToken.None);

        await pipeline.SendAsync(new ApiRequest { Method = HttpMethod.Post, PathAndQuery = "/v1/thing", Operation = "change thing", IdempotencyKey = "k1" }, CancellationToken.None);

        var posts = server.Requests.Where(r => r.Target == "/v1/thing").ToList();
        Assert.True(posts.Count >= 2);
        Assert.All(posts, p => Assert.Equal("k1", p.Header("Idempotency-Key")));
    }

    [Fact]
    public async Task An_unsafe_request_is_retried_after_a_429_because_the_server_did_not_act()
    {
        await using var server = new CannedHttpServer((r, i) => i == 0
            ? new CannedResponse { Status = 429, Headers = { ["Retry-After"] = "0" } }
            : CannedResponse.Json("{}"));
        var pipeline = Pipeline(server);

        await pipeline.SendAsync(new ApiRequest { Method = HttpMethod.Delete, PathAndQuery = "/v1/thing", Operation = "delete thing", Safety = RetrySafety.Unsafe }, CancellationToken.None);

        Assert.Equal(2, server.RequestCount);
    }

    [Fact]
    public async Task An_unsafe_request_is_not_retried_after_a_500()
    {
        await using var server = new CannedHttpServer(CannedResponse.Json("""{"error":{"type":"api_error","message":"boom"}}""", 500));
        var pipeline = Pipeline(server);

        var ex = await Assert.ThrowsAsync<NodeOpsApiException>(() => pipeline.SendAsync(new ApiRequest { Method = HttpMethod.Put, PathAndQuery = "/v1/thing", Operation = "redeploy", Body = "{}"u8.ToArray(), Safety = RetrySafety.Unsafe }, CancellationToken.None));

        Assert.Equal(ErrorKind.ServerError, ex.Kind);
        Assert.Equal(1, server.RequestCount);
    }

    [Fact]
    public async Task Waiting_for_a_key_in_progress_does_not_use_up_the_retry_budget()
    {
        // 6 × 409 then 200: more waits than MaxRetries (3) allows for ordinary failures.
        await using var server = new CannedHttpServer((r, i) => i < 6 ? CannedResponse.Json("""{"error":"in progress"}""", 409) : CannedResponse.Json("[]"));
        var pipeline = Pipeline(server);

        await pipeline.SendAsync(new ApiRequest { Method = HttpMethod.Post, PathAndQuery = "/v1/r", Operation = "remediate", IdempotencyKey = "k", RetryWhileKeyInProgress = true, Body = "[]"u8.ToArray() }, CancellationToken.None);

        Assert.Equal(7, server.RequestCount);
    }
}
