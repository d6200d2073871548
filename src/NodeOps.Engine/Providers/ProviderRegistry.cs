namespace NodeOps.Engine.Providers;

/// <summary>The providers NodeOps knows. Adding a provider: add its folder and one line here.</summary>
internal static class ProviderRegistry
{
    private static readonly ProviderDescriptor[] Descriptors =
    [
        VoltagePark.VoltageParkDescriptor.Instance,
        Exalsius.ExalsiusDescriptor.Instance,
        Together.TogetherDescriptor.Instance,
        SfCompute.SfComputeDescriptor.Instance,
    ];

    public static IReadOnlyList<ProviderDescriptor> All => Descriptors;

    public static ProviderDescriptor Get(CloudProvider provider) =>
        Array.Find(Descriptors, d => d.Provider == provider)
        ?? throw new NodeOpsException(ErrorKind.NotSupported, $"Provider {provider} is not available in this build of NodeOps.") { Provider = provider };
}
