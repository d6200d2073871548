using NodeOps.Engine;
using NodeOps.Engine.Providers.SfCompute;
using NodeOps.Engine.Tests.Support;

namespace NodeOps.Reliability.Tests.ServerReplies;

/// <summary>
/// A 1 GiB reply against a 1 MiB limit, streamed chunked without a Content-Length (the size is only
/// known by reading) or with the length declared. The client must stop at the limit with a clear
/// InvalidResponse, and the server must be unable to push more than the limit plus socket buffers:
/// bytes the server could not write are bytes the client never held, so memory stays bounded.
/// </summary>
public sealed class OversizedReplyTests
{
    private const long OneGiB = 1L << 30;
    private const int Limit = 1 << 20;

    // Loopback socket buffers (both ends, after autotuning) stay well under this; reading the whole
    // reply would need sixteen times as much.
    private const long WrittenBound = 64L << 20;

    private static SfComputeClient Client(StreamingReplyServer server)
    {
        var options = TestClients.FastOptions();
        options.MaxResponseBytes = Limit;
        return TestClients.Create(CloudProvider.SFCompute, server.BaseUrl, options).ProviderClient<SfComputeClient>();
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_read_stops_at_the_limit_and_is_not_retried(bool chunked)
    {
        await using var server = new StreamingReplyServer(chunked, OneGiB);

        var ex = await Assert.ThrowsAsync<NodeOpsException>(async () => await Client(server).ListNodesAsync().ToListAsync());
        await server.WritersStoppedAsync();

        Assert.Equal(ErrorKind.InvalidResponse, ex.Kind);
        Assert.Contains("SFCompute list nodes", ex.Message, StringComparison.Ordinal);
        Assert.Contains("1024 KB limit", ex.Message, StringComparison.Ordinal);
        Assert.Equal(CloudProvider.SFCompute, ex.Provider);
        Assert.Equal(1, server.Requests);
        Assert.True(server.BytesWritten < WrittenBound, $"the server wrote {server.BytesWritten} bytes of {server.TotalBytes}");
        if (chunked)
        {
            // Without a length the limit can only be found by reading up to it.
            Assert.True(server.BytesWritten >= Limit, $"the server wrote only {server.BytesWritten} bytes");
        }
    }

    [Fact]
    public async Task An_oversized_redeploy_reply_is_not_resent_and_says_the_redeploy_happened()
    {
        await using var server = new StreamingReplyServer(chunked: true, OneGiB);

        var ex = await Assert.ThrowsAsync<NodeOpsException>(() => Client(server).RedeployAsync("n1"));
        await server.WritersStoppedAsync();

        Assert.Equal(ErrorKind.InvalidResponse, ex.Kind);
        Assert.StartsWith("SF Compute redeployed node 'n1', but its reply could not be read", ex.Message, StringComparison.Ordinal);
        Assert.Equal("n1", ex.Target);
        Assert.Equal(1, server.Requests);
        Assert.InRange(server.BytesWritten, Limit, WrittenBound);
    }

    [Fact]
    public async Task An_endless_502_is_reported_by_its_status_and_each_retry_reads_at_most_the_limit()
    {
        await using var server = new StreamingReplyServer(chunked: true, OneGiB, status: 502);

        var ex = await Assert.ThrowsAsync<NodeOpsApiException>(() => Client(server).GetNodeAsync("n1"));
        await server.WritersStoppedAsync();

        Assert.Equal(ErrorKind.ServerError, ex.Kind);
        Assert.Equal(502, ex.StatusCode);
        Assert.Equal(1 + TestClients.FastOptions().MaxRetries, server.Requests);
        Assert.True(server.BytesWritten < 4 * WrittenBound, $"the server wrote {server.BytesWritten} bytes over {server.Requests} replies");
    }
}
