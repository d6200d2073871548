using System.Diagnostics;
using NodeOps.Engine.Providers.Together;
using NodeOps.Engine.Tests.Support;

namespace NodeOps.Engine.Tests.Http;

/// <summary>The two time limits of the pipeline: one per attempt (a safe request is then retried) and one in total.</summary>
public sealed class TimeoutTests
{
    private const string ClusterJson = """{"cluster_id":"c1","cluster_name":"one","status":"Ready","region":"us-west","gpu_type":"H100_SXM","gpu_worker_nodes":[]}""";

    private static TogetherClient Together(CannedHttpServer server, NodeOpsClientOptions options) =>
        TestClients.Create(CloudProvider.Together, server.BaseUrl, options).ProviderClient<TogetherClient>();

    [Fact]
    public async Task A_safe_request_whose_attempt_times_out_is_retried_and_succeeds()
    {
        await using var server = new CannedHttpServer((_, i) => i == 0 ? new CannedResponse { Hang = true } : CannedResponse.Json(ClusterJson));
        var tracer = new RecordingTracer();
        var options = TestClients.FastOptions(tracer);
        options.AttemptTimeout = TimeSpan.FromMilliseconds(300);

        var cluster = await Together(server, options).GetClusterAsync("c1");

        Assert.Equal("c1", cluster.Id);
        Assert.Equal(2, server.RequestCount);
        var retry = Assert.Single(tracer.Events, e => e.Kind == TraceEventKind.Retrying);
        Assert.Equal("attempt timed out", retry.Detail);
    }

    [Fact]
    public async Task The_total_timeout_ends_the_retries_with_a_Timeout_error_naming_the_limits()
    {
        await using var server = new CannedHttpServer(new CannedResponse { Hang = true });
        var options = TestClients.FastOptions();
        options.MaxRetries = 20;
        options.AttemptTimeout = TimeSpan.FromMilliseconds(250);

        // Room for several attempts (about 6), so that a retry still reaches the server when a loaded machine
        // is slow to start it: with 900 ms, a cold build beside this test once let only the first one arrive.
        options.TotalTimeout = TimeSpan.FromMilliseconds(1500);

        var watch = Stopwatch.StartNew();
        var ex = await Assert.ThrowsAsync<NodeOpsException>(() => Together(server, options).GetClusterAsync("c1"));
        watch.Stop();

        Assert.Equal(ErrorKind.Timeout, ex.Kind);
        Assert.Equal(NodeOpsErrorCategory.OperationTimeout, ex.Category);
        Assert.Contains("in total", ex.Message, StringComparison.Ordinal);
        Assert.Equal("c1", ex.Target);
        // Far fewer than the 21 attempts MaxRetries allows: the total limit stopped them.
        Assert.InRange(server.RequestCount, 2, 8);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.Elapsed}");
    }
}
