using System.IO.Compression;
using NodeOps.Engine;
using NodeOps.Engine.Providers.SfCompute;
using NodeOps.Engine.Tests.Support;

namespace NodeOps.Reliability.Tests.ServerReplies;

/// <summary>
/// The engine accepts gzip, deflate and brotli replies. A body that does not decompress (a proxy
/// mangling it, a wrong Content-Encoding) is an unreadable reply like malformed JSON:
/// <see cref="ErrorKind.InvalidResponse"/>, retried (with the same key) where that is safe, sent once
/// where it is not; on an error status the status decides. A small body that decompresses past the size
/// limit is stopped at the limit.
/// </summary>
public sealed class CompressedReplyTests
{
    private static readonly byte[] Node = """{"object":"node","id":"n1","status":"running"}"""u8.ToArray();

    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var scenario in new[] { "SFCompute get node", "SFCompute redeploy", "VoltagePark remediate", "Together create remediation", "Exalsius import from offer" })
        {
            foreach (var encoding in new[] { "gzip", "deflate", "br" })
            {
                data.Add(scenario, encoding);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_body_that_does_not_decompress_is_an_unreadable_reply(string scenarioName, string encoding)
    {
        var scenario = ReplyScenarios.All[scenarioName];
        await using var server = new CannedHttpServer(new CannedResponse
        {
            Status = ReplyScenarios.SuccessStatus(scenario),
            Body = Corrupt(encoding),
            Headers = { ["Content-Encoding"] = encoding },
        });
        var options = TestClients.FastOptions();

        var ex = await Assert.ThrowsAsync<NodeOpsException>(() => scenario.Call(TestClients.Create(scenario.Provider, server.BaseUrl, options)));

        Assert.Equal(ErrorKind.InvalidResponse, ex.Kind);
        Assert.Contains("could not be decompressed", ex.Message, StringComparison.Ordinal);
        Assert.Contains($"'{scenario.Target}'", ex.Message, StringComparison.Ordinal);
        Assert.Equal(scenario.Resend == Resend.Never ? 1 : 1 + options.MaxRetries, server.RequestCount);
        if (scenario.KeyOf is { } keyOf)
        {
            var key = keyOf(server.Requests.First());
            Assert.False(string.IsNullOrEmpty(key));
            Assert.All(server.Requests, r => Assert.Equal(key, keyOf(r)));
        }

        if (scenario.Resend == Resend.Never)
        {
            Assert.NotNull(ex.RecommendedAction);
        }
    }

    [Fact]
    public async Task An_error_status_with_a_body_that_does_not_decompress_is_reported_by_its_status()
    {
        await using var server = new CannedHttpServer(new CannedResponse { Status = 503, Body = Corrupt("gzip"), Headers = { ["Content-Encoding"] = "gzip" } });

        var ex = await Assert.ThrowsAsync<NodeOpsApiException>(() =>
            TestClients.Create(CloudProvider.SFCompute, server.BaseUrl).ProviderClient<SfComputeClient>().RedeployAsync("n1"));

        Assert.Equal(ErrorKind.ServerError, ex.Kind);
        Assert.Equal(503, ex.StatusCode);
        Assert.Equal(1, server.RequestCount);
    }

    [Fact]
    public async Task A_valid_compressed_reply_is_read()
    {
        await using var server = new CannedHttpServer(new CannedResponse { Body = Gzip(Node), Headers = { ["Content-Encoding"] = "gzip" } });

        var node = await TestClients.Create(CloudProvider.SFCompute, server.BaseUrl).ProviderClient<SfComputeClient>().GetNodeAsync("n1");

        Assert.Equal("n1", node.Id);
    }

    [Fact]
    public async Task A_decompression_bomb_is_stopped_at_the_limit()
    {
        // 64 MiB of JSON whitespace compresses to well under the 1 MiB limit: only the decompressed size can stop it.
        var payload = new byte[Node.Length + (64 << 20)];
        Node.CopyTo(payload, 0);
        payload.AsSpan(Node.Length).Fill((byte)' ');
        var bomb = Gzip(payload);
        Assert.True(bomb.Length < 1 << 20);
        await using var server = new CannedHttpServer(new CannedResponse { Body = bomb, Headers = { ["Content-Encoding"] = "gzip" } });
        var options = TestClients.FastOptions();
        options.MaxResponseBytes = 1 << 20;

        var ex = await Assert.ThrowsAsync<NodeOpsException>(() =>
            TestClients.Create(CloudProvider.SFCompute, server.BaseUrl, options).ProviderClient<SfComputeClient>().GetNodeAsync("n1"));

        Assert.Equal(ErrorKind.InvalidResponse, ex.Kind);
        Assert.Contains("1024 KB limit", ex.Message, StringComparison.Ordinal);
        Assert.Equal(1, server.RequestCount);
    }

    private static byte[] Corrupt(string encoding)
    {
        if (encoding != "gzip")
        {
            return "this was never compressed"u8.ToArray();
        }

        // A real gzip stream with its deflate data damaged: the header passes, decoding fails.
        var body = Gzip(Node);
        body[12] ^= 0xFF;
        return body;
    }

    private static byte[] Gzip(byte[] data)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(data);
        }

        return output.ToArray();
    }
}
