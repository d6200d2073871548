using NodeOps.Engine.Http;

namespace NodeOps.Engine.Providers;

/// <summary>
/// Everything the engine needs to know about a provider before talking to it. Each provider folder
/// declares one; <see cref="ProviderRegistry"/> lists them.
/// </summary>
internal sealed class ProviderDescriptor
{
    public required CloudProvider Provider { get; init; }

    /// <summary>Environment variables holding a token, in the order they are tried.</summary>
    public required IReadOnlyList<string> TokenVariables { get; init; }

    /// <summary>Environment variables holding a base URL, in the order they are tried.</summary>
    public IReadOnlyList<string> EndpointVariables { get; init; } = [];

    /// <summary>The public endpoint, for a region where the provider has regional hosts.</summary>
    public required Func<string?, Uri> DefaultEndpoint { get; init; }

    /// <summary>The region an endpoint implies (Voltage Park hosts are regional), or null.</summary>
    public Func<Uri, string?> RegionOf { get; init; } = static _ => null;

    /// <summary>Builds the provider's client over a pipeline. The object implements the capability interfaces.</summary>
    public required Func<HttpPipeline, object> CreateClient { get; init; }
}
