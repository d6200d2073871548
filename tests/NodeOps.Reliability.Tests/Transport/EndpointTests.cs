using NodeOps.Engine.Tests.Support;

namespace NodeOps.Reliability.Tests.Transport;

/// <summary>A token goes only where the user pointed it, and only encrypted unless that is this machine.</summary>
public sealed class EndpointTests
{
    public static TheoryData<string> PlainHttpElsewhere => new()
    {
        "http://api.together.xyz",
        "HTTP://API.TOGETHER.XYZ/v1",
        "http://10.0.0.7:8080/together",
        "http://0.0.0.0:5080/together",
        "http://localhost.attacker.example/together",
        "http://127.0.0.1.nip.io/together",
        "http://[::ffff:10.0.0.1]/together",
        "http://example.com/127.0.0.1/together",
    };

    public static TheoryData<string> Loopback => new()
    {
        "http://127.0.0.1:5080/together",
        "http://localhost:5080/together",
        "http://[::1]:5080/together",
        "http://127.9.9.9:5080/together",
    };

    [Theory]
    [MemberData(nameof(PlainHttpElsewhere))]
    public void Plain_http_to_another_host_is_refused_by_every_way_a_connection_is_made(string endpoint)
    {
        var uri = new Uri(endpoint);
        var credential = ApiCredential.FromToken("t0k3n-endpoint-check", "test");

        AssertRefused(() => ProviderConnection.Create(CloudProvider.Together, credential, uri), uri);

        // Connect-GpuCloud -Endpoint, a command's -Endpoint with -ApiKey, and a runbook's environment variable.
        var resolver = new CredentialResolver(new ConnectionStore(), name => name switch
        {
            "TOGETHER_API_KEY" => "t0k3n-endpoint-check",
            "TOGETHER_BASE_URL" => endpoint,
            _ => null,
        });
        AssertRefused(() => resolver.ResolveNew(new CredentialRequest { Provider = CloudProvider.Together, Credential = credential, Endpoint = uri }), uri);
        AssertRefused(() => resolver.Resolve(new CredentialRequest { Provider = CloudProvider.Together, Credential = credential, Endpoint = uri }), uri);
        AssertRefused(() => resolver.Resolve(new CredentialRequest { Provider = CloudProvider.Together }), uri);
    }

    [Theory]
    [MemberData(nameof(Loopback))]
    public void Plain_http_to_this_machine_is_allowed_for_emulators(string endpoint)
    {
        var connection = ProviderConnection.Create(CloudProvider.Together, ApiCredential.FromToken("t", "test"), new Uri(endpoint));
        Assert.Equal("http", connection.Endpoint.Scheme);
    }

    [Theory]
    [InlineData("attacker.example/")]
    [InlineData("sea1.attacker.example#")]
    [InlineData("sea1@attacker.example")]
    [InlineData("sea1:443")]
    [InlineData("../sea1")]
    public void A_Voltage_Park_region_cannot_steer_the_token_to_another_host(string region)
    {
        var ex = Assert.Throws<NodeOpsException>(() =>
            ProviderConnection.Create(CloudProvider.VoltagePark, ApiCredential.FromToken("t", "test"), null, region));
        Assert.Equal(ErrorKind.InvalidArgument, ex.Kind);
        Assert.Contains("-Region", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_redirect_is_not_followed_so_the_token_never_reaches_where_it_points()
    {
        await using var elsewhere = new CannedHttpServer(CannedResponse.Json("""{"clusters":[]}"""));
        await using var server = new CannedHttpServer(new CannedResponse
        {
            Status = 307,
            Headers = { ["Location"] = new Uri(elsewhere.BaseUrl, "/together/v1/compute/clusters").ToString() },
        });
        var client = TestClients.Create(CloudProvider.Together, new Uri(server.BaseUrl, "/together"));

        var ex = await Assert.ThrowsAsync<NodeOpsApiException>(() => client.GetClustersAsync().ToListAsync().AsTask());

        Assert.Equal(307, ex.StatusCode);
        Assert.Equal(1, server.RequestCount);
        Assert.Equal(0, elsewhere.RequestCount);
    }

    private static void AssertRefused(Action connect, Uri endpoint)
    {
        var ex = Assert.Throws<NodeOpsException>(connect);
        Assert.Equal(ErrorKind.InvalidArgument, ex.Kind);
        Assert.Contains("-Endpoint", ex.Message, StringComparison.Ordinal);
        Assert.Contains(endpoint.Host, ex.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("https", ex.Message, StringComparison.Ordinal);
    }
}
