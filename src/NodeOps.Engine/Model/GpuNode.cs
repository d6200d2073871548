namespace NodeOps.Engine;

/// <summary>
/// One GPU node of any provider. Provider-specific details live in subclasses
/// (<c>VoltageParkNode</c>, <c>ExalsiusNode</c>, <c>TogetherNode</c>, <c>SfComputeNode</c>).
/// Property names double as the parameter names of the cmdlets that take a node from the pipeline.
/// </summary>
public class GpuNode
{
    public required CloudProvider Provider { get; init; }

    /// <summary>The id the provider's node-operation paths expect.</summary>
    public required string Id { get; init; }

    public string? Name { get; init; }

    public GpuNodeStatus Status { get; init; }

    /// <summary>The provider's own status value, verbatim.</summary>
    public string? ProviderStatus { get; init; }

    public string? GpuType { get; init; }

    public int? GpuCount { get; init; }

    public string? Region { get; init; }

    public string? Zone { get; init; }

    /// <summary>Fleet (Voltage Park), cluster (Together, Exalsius) or procurement (SF Compute).</summary>
    public string? ClusterId { get; init; }

    public DateTimeOffset? CreatedAt { get; init; }

    /// <summary>The API endpoint the node was read from, so a piped node goes back to the same region.</summary>
    public Uri? Endpoint { get; init; }

    public override string ToString() => $"{Provider}:{Id}";
}
