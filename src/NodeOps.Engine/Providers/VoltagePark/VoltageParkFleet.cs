namespace NodeOps.Engine.Providers.VoltagePark;

/// <summary>
/// A Voltage Park fleet. <see cref="GpuCluster.Id"/> is its <c>fleetId</c>; <see cref="GpuCluster.Region"/>
/// comes from the API host (fleets carry none); <see cref="GpuCluster.CreatedAt"/> is <c>createdAt</c>.
/// </summary>
public sealed class VoltageParkFleet : GpuCluster
{
    /// <summary><c>computeType</c>, e.g. bare metal or VM.</summary>
    public string? ComputeType { get; init; }

    /// <summary><c>minimumFootprint.gpuNodes.instanceType</c>.</summary>
    public string? InstanceType { get; init; }

    /// <summary><c>infrastructure.network</c>: infiniband or ethernet.</summary>
    public string? Network { get; init; }

    /// <summary>The node names the fleet lists in <c>minimumFootprint.gpuNodes.nodes</c> (or the deprecated <c>reservedNodes</c>).</summary>
    public IReadOnlyList<string> NodeNames { get; init; } = [];

    public DateTimeOffset? RequestedAt { get; init; }

    public DateTimeOffset? ProvisionedAt { get; init; }

    public DateTimeOffset? UpdatedAt { get; init; }
}
