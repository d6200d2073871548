namespace NodeOps.Engine.Providers.SfCompute;

internal static class SfComputeDescriptor
{
    public static readonly ProviderDescriptor Instance = new()
    {
        Provider = CloudProvider.SFCompute,

        // SFC_API_KEY is what SF Compute's docs and CLI users know; SFC_NODES_BEARER_TOKEN and
        // SFC_NODES_BASE_URL are the variables the nodes SDK (nodes-go) reads.
        TokenVariables = ["SFC_API_KEY", "SFC_NODES_BEARER_TOKEN"],
        EndpointVariables = ["SFC_NODES_BASE_URL"],
        DefaultEndpoint = static _ => new Uri("https://api.sfcompute.com"),
        CreateClient = static pipeline => new SfComputeClient(pipeline),
    };
}
