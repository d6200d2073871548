namespace NodeOps.Engine;

/// <summary>A Voltage Park fleet, a Together cluster or an Exalsius cluster.</summary>
public class GpuCluster
{
    public required CloudProvider Provider { get; init; }

    public required string Id { get; init; }

    public string? Name { get; init; }

    public ClusterStatus Status { get; init; }

    public string? ProviderStatus { get; init; }

    public string? Region { get; init; }

    public string? GpuType { get; init; }

    public int? GpuCount { get; init; }

    public int? NodeCount { get; init; }

    public DateTimeOffset? CreatedAt { get; init; }

    public Uri? Endpoint { get; init; }

    /// <summary>The same id under the name <c>Get-GpuNode -ClusterId</c> binds to.</summary>
    public string ClusterId => Id;

    public override string ToString() => $"{Provider}:{Id}";
}
