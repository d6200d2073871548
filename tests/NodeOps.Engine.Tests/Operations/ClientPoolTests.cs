namespace NodeOps.Engine.Tests.Operations;

public sealed class ClientPoolTests
{
    private static readonly Uri One = new("http://127.0.0.1:1/together");
    private static readonly Uri Two = new("http://127.0.0.1:2/together");

    private static ClientPool Pool(ConnectionStore store) =>
        new(new CredentialResolver(store, name => name == "TOGETHER_API_KEY" ? "env-token" : null), new NodeOpsClientOptions { UserAgentSuffix = "PowerShell/7.4.6" });

    [Fact]
    public void The_same_request_reuses_one_client_and_explains_the_credentials_once()
    {
        var pool = Pool(new ConnectionStore());

        var first = pool.Get(new CredentialRequest { Provider = CloudProvider.Together, Endpoint = One });
        var again = pool.Get(new CredentialRequest { Provider = CloudProvider.Together, Endpoint = One });

        Assert.True(first.IsNew);
        Assert.Contains("TOGETHER_API_KEY", first.Explanation, StringComparison.Ordinal);
        Assert.False(again.IsNew);
        Assert.Same(first.Client, again.Client);
        Assert.Equal("PowerShell/7.4.6", first.Client.Options.UserAgentSuffix);
    }

    [Fact]
    public void Different_endpoints_get_different_clients_and_requests_resolving_to_one_session_connection_share_one()
    {
        var store = new ConnectionStore();
        store.Add(ProviderConnection.Create(CloudProvider.Together, ApiCredential.FromToken("s", "session"), One));
        var pool = Pool(store);

        var byEndpoint = pool.Get(new CredentialRequest { Provider = CloudProvider.Together, Endpoint = One });
        var byDefault = pool.Get(new CredentialRequest { Provider = CloudProvider.Together });
        var other = pool.Get(new CredentialRequest { Provider = CloudProvider.Together, Endpoint = Two });

        Assert.Same(byEndpoint.Client, byDefault.Client);
        Assert.False(byDefault.IsNew);
        Assert.NotSame(byEndpoint.Client, other.Client);
        Assert.Equal(Two, other.Client.Connection.Endpoint);
    }
}
