namespace NodeOps.Engine.Providers.Together;

internal static class TogetherDescriptor
{
    public static readonly ProviderDescriptor Instance = new()
    {
        Provider = CloudProvider.Together,
        TokenVariables = ["TOGETHER_API_KEY"],
        EndpointVariables = ["TOGETHER_BASE_URL"],

        // The newer spec and SDK moved from api.together.xyz to api.together.ai.
        DefaultEndpoint = static _ => new Uri("https://api.together.ai"),
        CreateClient = static pipeline => new TogetherClient(pipeline),
    };
}
