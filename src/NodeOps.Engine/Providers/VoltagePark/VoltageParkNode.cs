namespace NodeOps.Engine.Providers.VoltagePark;

/// <summary>
/// A Voltage Park node. <see cref="GpuNode.Id"/> and <see cref="GpuNode.Name"/> are its <c>nodeName</c>
/// (the id node paths use, e.g. <c>g0386</c>); <see cref="GpuNode.ClusterId"/> is its fleet;
/// <see cref="GpuNode.Region"/> comes from the API host, because Voltage Park nodes carry none.
/// Nodes have no creation time, so <see cref="GpuNode.CreatedAt"/> is null.
/// </summary>
public sealed class VoltageParkNode : GpuNode
{
    public string? PublicIp { get; init; }

    /// <summary>The fleet the node was read from (the same as <see cref="GpuNode.ClusterId"/>).</summary>
    public string? FleetId { get; init; }

    /// <summary>The node's <c>state</c> as Voltage Park reports it, e.g. ACTIVE or UNHEALTHY.</summary>
    public string? State { get; init; }

    /// <summary>
    /// The fleet health's <c>status</c> for this node (healthy, unhealthy, degraded, unknown), when it
    /// was fetched and the fleet reported one. Unhealthy or degraded lowers Ready/InUse to Degraded.
    /// </summary>
    public string? Health { get; init; }

    public DateTimeOffset? HealthUpdatedAt { get; init; }

    /// <summary>The fleet's name, when the node was listed across fleets.</summary>
    public string? FleetName { get; init; }
}
