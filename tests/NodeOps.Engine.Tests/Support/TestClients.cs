namespace NodeOps.Engine.Tests.Support;

/// <summary>Clients with test-friendly timings.</summary>
public static class TestClients
{
    public const string Token = "test-token-5f2b9c1e";

    public static NodeOpsClientOptions FastOptions(IRequestTracer? tracer = null) => new()
    {
        MaxRetries = 3,
        RetryBaseDelay = TimeSpan.FromMilliseconds(10),
        RetryMaxDelay = TimeSpan.FromMilliseconds(100),
        KeyInProgressDelay = TimeSpan.FromMilliseconds(50),
        AttemptTimeout = TimeSpan.FromSeconds(5),
        TotalTimeout = TimeSpan.FromSeconds(20),
        PollInterval = TimeSpan.FromMilliseconds(50),
        Tracer = tracer,
    };

    public static NodeOpsClient Create(CloudProvider provider, Uri endpoint, NodeOpsClientOptions? options = null, string token = Token) =>
        new(ProviderConnection.Create(provider, ApiCredential.FromToken(token, "test"), endpoint), options ?? FastOptions());
}
