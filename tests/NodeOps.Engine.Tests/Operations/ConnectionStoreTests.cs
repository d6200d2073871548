namespace NodeOps.Engine.Tests.Operations;

public sealed class ConnectionStoreTests
{
    private static ProviderConnection Together(string endpoint, string source = "test", string? region = null) =>
        ProviderConnection.Create(CloudProvider.Together, ApiCredential.FromToken("t-" + source, source), new Uri(endpoint), region);

    [Fact]
    public void The_same_provider_and_endpoint_is_one_entry_however_the_url_is_written()
    {
        var store = new ConnectionStore();
        store.Add(Together("http://127.0.0.1:5080/together", "first"));
        store.Add(Together("HTTP://127.0.0.1:5080/together/v1/", "second"));

        var only = Assert.Single(store.List());
        Assert.Equal("second", only.Credential.Source);
    }

    [Fact]
    public void Different_endpoints_of_one_provider_coexist_and_the_latest_is_the_default()
    {
        var store = new ConnectionStore();
        var a = store.Add(Together("http://127.0.0.1:1/together", "a"));
        var b = store.Add(Together("http://127.0.0.1:2/together", "b"));

        Assert.Equal(2, store.List(CloudProvider.Together).Count);
        Assert.Same(b, store.Find(CloudProvider.Together));
        Assert.Same(a, store.Find(CloudProvider.Together, new Uri("http://127.0.0.1:1/together")));
        Assert.Null(store.Find(CloudProvider.Together, new Uri("http://127.0.0.1:3/together")));
    }

    [Fact]
    public void Connections_are_found_by_region_and_kept_apart_by_provider()
    {
        var store = new ConnectionStore();
        var west = store.Add(Together("http://127.0.0.1:1/together", "west", "us-west"));
        store.Add(Together("http://127.0.0.1:2/together", "east", "us-east"));

        Assert.Same(west, store.Find(CloudProvider.Together, region: "US-WEST"));
        Assert.Empty(store.List(CloudProvider.SFCompute));
        Assert.Null(store.Find(CloudProvider.SFCompute));
    }

    [Fact]
    public void Remove_takes_one_endpoint_or_every_connection_of_a_provider()
    {
        var store = new ConnectionStore();
        store.Add(Together("http://127.0.0.1:1/together", "a"));
        store.Add(Together("http://127.0.0.1:2/together", "b"));

        var one = store.Remove(CloudProvider.Together, new Uri("http://127.0.0.1:1/together/"));
        Assert.Equal("a", Assert.Single(one).Credential.Source);

        store.Add(Together("http://127.0.0.1:3/together", "c"));
        Assert.Equal(2, store.Remove(CloudProvider.Together).Count);
        Assert.Empty(store.List());
    }

    [Fact]
    public void Plain_http_is_refused_except_to_loopback()
    {
        var ex = Assert.Throws<NodeOpsException>(() => Together("http://api.together.ai"));

        Assert.Equal(ErrorKind.InvalidArgument, ex.Kind);
        Assert.Contains("https", ex.Message, StringComparison.Ordinal);
        Assert.Equal(new Uri("http://[::1]:9/together"), Together("http://[::1]:9/together").Endpoint);
    }
}
