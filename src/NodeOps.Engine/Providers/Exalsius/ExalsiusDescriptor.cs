namespace NodeOps.Engine.Providers.Exalsius;

internal static class ExalsiusDescriptor
{
    public static readonly ProviderDescriptor Instance = new()
    {
        Provider = CloudProvider.Exalsius,

        // An Auth0 access token (audience https://api.exalsius.ai), as the exalsius CLI obtains it.
        TokenVariables = ["EXALSIUS_ACCESS_TOKEN"],

        // The spec's server is https://api.exalsius.ai/v1; the client appends /v1 itself.
        DefaultEndpoint = static _ => new Uri("https://api.exalsius.ai"),
        CreateClient = static pipeline => new ExalsiusClient(pipeline),
    };
}
