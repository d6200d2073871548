using System.Text;
using NodeOps.Engine;
using NodeOps.Engine.Providers.SfCompute;
using NodeOps.Engine.Providers.Together;
using NodeOps.Engine.Providers.VoltagePark;

namespace NodeOps.Reliability.Tests.Fuzzing;

/// <summary>
/// Found by the parser fuzz: the JSON parser accepts invalid UTF-8 and unpaired surrogate escapes inside
/// strings, and reading such a string throws <see cref="InvalidOperationException"/>. In an error body
/// that escaped the pipeline instead of the provider's error. Minimal inputs, one per error shape.
/// </summary>
public sealed class ErrorBodyTextRegressionTests
{
    [Theory]
    [InlineData("""{"error":"\ud800"}""")]
    [InlineData("""{"error":"x","code":"\udc00"}""")]
    [InlineData("""{"detail":"\ud800"}""")]
    [InlineData("""{"detail":{"type":"\ud800","detail":"x"}}""")]
    [InlineData("""{"code":5,"message":"\ud800"}""")]
    public async Task An_unpaired_surrogate_escape_in_an_error_body_still_surfaces_the_api_error(string body)
    {
        var transport = new InMemoryTransport { Respond = _ => new CannedReply(404, Encoding.UTF8.GetBytes(body)) };

        var ex = await Assert.ThrowsAsync<NodeOpsApiException>(() =>
            transport.Client(CloudProvider.SFCompute).ProviderClient<SfComputeClient>().GetNodeAsync("n1"));

        Assert.Equal(ErrorKind.NotFound, ex.Kind);
        Assert.Equal(404, ex.StatusCode);
        Assert.Equal("n1", ex.Target);
        Assert.NotNull(ex.RawBody);
    }

    [Fact]
    public async Task Invalid_UTF8_in_an_error_message_keeps_the_readable_fields()
    {
        // {"error":{"type":"not_found","message":"Node <FF> gone"}}
        byte[] body = [.. """{"error":{"type":"not_found","message":"Node """u8, 0xFF, .. """ gone"}}"""u8];
        var transport = new InMemoryTransport { Respond = _ => new CannedReply(404, body) };

        var ex = await Assert.ThrowsAsync<NodeOpsApiException>(() =>
            transport.Client(CloudProvider.Together).ProviderClient<TogetherClient>().GetClusterAsync("c1"));

        Assert.Equal(ErrorKind.NotFound, ex.Kind);
        Assert.Equal("not_found", ex.ProviderCode);
        Assert.Null(ex.ProviderMessage);
    }

    [Fact]
    public async Task A_422_health_body_with_an_unpaired_surrogate_is_still_the_fleet_s_InvalidState()
    {
        var transport = new InMemoryTransport { Respond = _ => new CannedReply(422, """{"error":"\ud800","fleetId":"f1","status":"PROVISIONING"}"""u8.ToArray()) };

        var ex = await Assert.ThrowsAsync<NodeOpsApiException>(() =>
            transport.Client(CloudProvider.VoltagePark).ProviderClient<VoltageParkClient>().GetFleetHealthAsync("f1"));

        Assert.Equal(ErrorKind.InvalidState, ex.Kind);
        Assert.Contains("'f1'", ex.Message, StringComparison.Ordinal);
    }
}
