using System.Security;

namespace NodeOps.Engine.Tests.Operations;

public sealed class CredentialResolutionTests
{
    private static readonly Uri Emulator = new("http://127.0.0.1:5080/together");

    private static ApiCredential Key(string token = "key-from-parameter") => ApiCredential.FromToken(token, "the -ApiKey parameter");

    private static CredentialResolver Resolver(ConnectionStore store, Dictionary<string, string>? environment = null) =>
        new(store, name => environment is not null && environment.TryGetValue(name, out var v) ? v : null);

    [Fact]
    public void ApiKey_wins_over_connection_session_and_environment()
    {
        var store = new ConnectionStore();
        store.Add(ProviderConnection.Create(CloudProvider.Together, ApiCredential.FromToken("session", "Connect-GpuCloud -ApiKey"), Emulator));
        var given = ProviderConnection.Create(CloudProvider.Together, ApiCredential.FromToken("conn", "the -Connection"), Emulator);
        var resolver = Resolver(store, new() { ["TOGETHER_API_KEY"] = "env" });

        var resolved = resolver.Resolve(new CredentialRequest { Provider = CloudProvider.Together, Credential = Key(), Connection = given, Endpoint = Emulator });

        Assert.Equal("the -ApiKey parameter", resolved.Connection.Credential.Source);
        Assert.Contains("the -ApiKey parameter", resolved.Explanation, StringComparison.Ordinal);
        Assert.DoesNotContain("key-from-parameter", resolved.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void Connection_wins_over_session_and_environment()
    {
        var store = new ConnectionStore();
        store.Add(ProviderConnection.Create(CloudProvider.Together, ApiCredential.FromToken("session", "session"), Emulator));
        var given = ProviderConnection.Create(CloudProvider.Together, ApiCredential.FromToken("conn", "conn"), new Uri("http://127.0.0.1:9/together"));

        var resolved = Resolver(store, new() { ["TOGETHER_API_KEY"] = "env" }).Resolve(new CredentialRequest { Provider = CloudProvider.Together, Connection = given });

        Assert.Same(given, resolved.Connection);
        Assert.Contains("-Connection", resolved.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void Session_wins_over_environment_and_is_matched_by_the_piped_objects_endpoint()
    {
        var store = new ConnectionStore();
        var a = store.Add(ProviderConnection.Create(CloudProvider.Together, ApiCredential.FromToken("a", "session a"), new Uri("http://127.0.0.1:1/together")));
        var b = store.Add(ProviderConnection.Create(CloudProvider.Together, ApiCredential.FromToken("b", "session b"), new Uri("http://127.0.0.1:2/together")));
        var resolver = Resolver(store, new() { ["TOGETHER_API_KEY"] = "env" });

        var byEndpoint = resolver.Resolve(new CredentialRequest { Provider = CloudProvider.Together, Endpoint = new Uri("http://127.0.0.1:1/together/") });
        var latest = resolver.Resolve(new CredentialRequest { Provider = CloudProvider.Together });

        Assert.Same(a, byEndpoint.Connection);
        Assert.Same(b, latest.Connection);
        Assert.Contains("Connect-GpuCloud", latest.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void A_piped_object_from_an_endpoint_without_a_session_connection_falls_to_the_environment_not_to_another_endpoint()
    {
        var store = new ConnectionStore();
        store.Add(ProviderConnection.Create(CloudProvider.Together, ApiCredential.FromToken("a", "session a"), new Uri("http://127.0.0.1:1/together")));
        var resolver = Resolver(store, new() { ["TOGETHER_API_KEY"] = "env" });

        var resolved = resolver.Resolve(new CredentialRequest { Provider = CloudProvider.Together, Endpoint = new Uri("http://127.0.0.1:3/together") });

        Assert.Equal("environment variable TOGETHER_API_KEY", resolved.Connection.Credential.Source);
        Assert.Equal(new Uri("http://127.0.0.1:3/together"), resolved.Connection.Endpoint);
    }

    [Fact]
    public void The_providers_own_variable_wins_over_the_NODEOPS_one_and_the_endpoint_variable_is_used()
    {
        var resolver = Resolver(new ConnectionStore(), new()
        {
            ["TOGETHER_API_KEY"] = "own",
            ["NODEOPS_TOGETHER_TOKEN"] = "generic",
            ["TOGETHER_BASE_URL"] = "http://127.0.0.1:7/together/v1",
        });
        var generic = Resolver(new ConnectionStore(), new() { ["NODEOPS_TOGETHER_TOKEN"] = "generic" });

        var own = resolver.Resolve(new CredentialRequest { Provider = CloudProvider.Together });
        var fallback = generic.Resolve(new CredentialRequest { Provider = CloudProvider.Together });

        Assert.Equal("environment variable TOGETHER_API_KEY", own.Connection.Credential.Source);
        Assert.Equal(new Uri("http://127.0.0.1:7/together"), own.Connection.Endpoint);
        Assert.Equal("environment variable NODEOPS_TOGETHER_TOKEN", fallback.Connection.Credential.Source);
        Assert.Equal(new Uri("https://api.together.ai"), fallback.Connection.Endpoint);
        Assert.Equal(["TOGETHER_API_KEY", "NODEOPS_TOGETHER_TOKEN"], CredentialResolver.TokenVariables(CloudProvider.Together));
    }

    [Fact]
    public void No_credentials_is_an_authentication_error_naming_every_way_to_provide_them()
    {
        var ex = Assert.Throws<NodeOpsException>(() => Resolver(new ConnectionStore()).Resolve(new CredentialRequest { Provider = CloudProvider.Together }));

        Assert.Equal(ErrorKind.AuthenticationFailed, ex.Kind);
        Assert.Contains("Connect-GpuCloud -Provider Together", ex.Message, StringComparison.Ordinal);
        Assert.Contains("TOGETHER_API_KEY or NODEOPS_TOGETHER_TOKEN", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_connection_for_another_provider_is_refused()
    {
        var together = ProviderConnection.Create(CloudProvider.Together, Key(), Emulator);
        var other = NodeOpsClient.AvailableProviders.Contains(CloudProvider.SFCompute) ? CloudProvider.SFCompute : CloudProvider.Exalsius;

        var ex = Assert.ThrowsAny<NodeOpsException>(() => Resolver(new ConnectionStore()).Resolve(new CredentialRequest { Provider = other, Connection = together }));

        Assert.True(ex.Kind is ErrorKind.InvalidArgument or ErrorKind.NotSupported);
    }

    [Fact]
    public void ResolveNew_for_Connect_uses_the_key_or_the_environment_never_the_session()
    {
        var store = new ConnectionStore();
        store.Add(ProviderConnection.Create(CloudProvider.Together, ApiCredential.FromToken("session", "session"), Emulator));

        var fromKey = Resolver(store).ResolveNew(new CredentialRequest { Provider = CloudProvider.Together, Credential = Key(), Endpoint = Emulator });
        var fromEnvironment = Resolver(store, new() { ["NODEOPS_TOGETHER_TOKEN"] = "env" }).ResolveNew(new CredentialRequest { Provider = CloudProvider.Together, Endpoint = Emulator });
        var none = Assert.Throws<NodeOpsException>(() => Resolver(store).ResolveNew(new CredentialRequest { Provider = CloudProvider.Together }));

        Assert.Equal("the -ApiKey parameter", fromKey.Connection.Credential.Source);
        Assert.Equal(Emulator, fromKey.Connection.Endpoint);
        Assert.Equal("environment variable NODEOPS_TOGETHER_TOKEN", fromEnvironment.Connection.Credential.Source);
        Assert.Equal(ErrorKind.AuthenticationFailed, none.Kind);
        Assert.Contains("-ApiKey or -Credential", none.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_SecureString_key_becomes_a_credential_whose_text_never_shows_the_token()
    {
        using var secure = new SecureString();
        foreach (var c in "s3cret-token")
        {
            secure.AppendChar(c);
        }

        var credential = ApiCredential.FromSecureString(secure, "the -ApiKey parameter");
        var connection = ProviderConnection.Create(CloudProvider.Together, credential, Emulator);

        Assert.DoesNotContain("s3cret", credential.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", connection.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void ResolveAll_without_a_provider_lists_every_session_connection_plus_environment_providers()
    {
        var store = new ConnectionStore();
        var a = store.Add(ProviderConnection.Create(CloudProvider.Together, ApiCredential.FromToken("a", "a"), new Uri("http://127.0.0.1:1/together")));
        var b = store.Add(ProviderConnection.Create(CloudProvider.Together, ApiCredential.FromToken("b", "b"), new Uri("http://127.0.0.1:2/together")));

        var set = Resolver(store, new() { ["TOGETHER_API_KEY"] = "env" }).ResolveAll(new ConnectionQuery());

        // Together has session connections, so its environment variable is not used on top of them.
        Assert.Equal([a, b], set.Connections.Select(c => c.Connection));
        Assert.Empty(set.Errors);
    }

    [Fact]
    public void ResolveAll_uses_the_environment_for_providers_without_a_session_connection()
    {
        var set = Resolver(new ConnectionStore(), new() { ["TOGETHER_API_KEY"] = "env" }).ResolveAll(new ConnectionQuery());

        var only = Assert.Single(set.Connections);
        Assert.Equal(CloudProvider.Together, only.Connection.Provider);
        Assert.Equal("environment variable TOGETHER_API_KEY", only.Connection.Credential.Source);
    }

    [Fact]
    public void ResolveAll_with_nothing_configured_says_how_to_connect()
    {
        var ex = Assert.Throws<NodeOpsException>(() => Resolver(new ConnectionStore()).ResolveAll(new ConnectionQuery()));

        Assert.Equal(ErrorKind.AuthenticationFailed, ex.Kind);
        Assert.Contains("Connect-GpuCloud", ex.Message, StringComparison.Ordinal);
        Assert.Contains("TOGETHER_API_KEY", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ResolveAll_refuses_a_key_or_endpoint_without_exactly_one_provider()
    {
        var resolver = Resolver(new ConnectionStore());

        var key = Assert.Throws<NodeOpsException>(() => resolver.ResolveAll(new ConnectionQuery { Credential = Key() }));
        var endpoint = Assert.Throws<NodeOpsException>(() => resolver.ResolveAll(new ConnectionQuery { Endpoint = Emulator }));

        Assert.Equal(ErrorKind.InvalidArgument, key.Kind);
        Assert.Contains("-ApiKey", key.Message, StringComparison.Ordinal);
        Assert.Contains("-Endpoint", endpoint.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ResolveAll_reports_an_unreachable_provider_as_an_error_and_keeps_the_others()
    {
        var missing = Enum.GetValues<CloudProvider>().Except(NodeOpsClient.AvailableProviders).Cast<CloudProvider?>().FirstOrDefault();
        var store = new ConnectionStore();
        store.Add(ProviderConnection.Create(CloudProvider.Together, Key(), Emulator));
        var resolver = Resolver(store);
        CloudProvider[] providers = missing is { } m ? [CloudProvider.Together, m] : [CloudProvider.Together];

        var set = resolver.ResolveAll(new ConnectionQuery { Providers = providers });

        Assert.Equal(CloudProvider.Together, Assert.Single(set.Connections).Connection.Provider);
        if (missing is not null)
        {
            var error = Assert.Single(set.Errors);
            Assert.Equal(ErrorKind.NotSupported, error.Kind);
            Assert.Contains("not available in this build", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void ResolveAll_with_a_named_provider_and_an_endpoint_resolves_that_endpoint()
    {
        var store = new ConnectionStore();
        store.Add(ProviderConnection.Create(CloudProvider.Together, Key(), new Uri("http://127.0.0.1:1/together")));
        var resolver = Resolver(store, new() { ["TOGETHER_API_KEY"] = "env" });

        var set = resolver.ResolveAll(new ConnectionQuery { Providers = [CloudProvider.Together], Endpoint = new Uri("http://127.0.0.1:4/together") });

        var only = Assert.Single(set.Connections);
        Assert.Equal(new Uri("http://127.0.0.1:4/together"), only.Connection.Endpoint);
        Assert.Equal("environment variable TOGETHER_API_KEY", only.Connection.Credential.Source);
    }
}
