namespace NodeOps.Engine.Providers.Exalsius;

/// <summary>
/// A node in an Exalsius node pool: a cloud node (imported from an offer) or a self-managed node
/// (imported over SSH). <see cref="GpuNode.Id"/> is its <c>id</c> (uuid), <see cref="GpuNode.Name"/>
/// its <c>hostname</c>. Exalsius nodes carry no cluster id: <see cref="GpuNode.ClusterId"/> is set only
/// when the node was read through a cluster (<c>GET /cluster/{id}/nodes</c>).
/// </summary>
public sealed class ExalsiusNode : GpuNode
{
    /// <summary><c>node_type</c>: CLOUD or SELF_MANAGED.</summary>
    public string? NodeType { get; init; }

    /// <summary>The cloud hosting a CLOUD node (<c>provider</c>, e.g. aws).</summary>
    public string? HostingProvider { get; init; }

    /// <summary>CLOUD nodes: the cloud's instance type.</summary>
    public string? InstanceType { get; init; }

    /// <summary>The owner's namespace.</summary>
    public string? Namespace { get; init; }

    public string? Description { get; init; }

    /// <summary>Free-text location; also <see cref="GpuNode.Region"/> when the node has no cloud region.</summary>
    public string? Location { get; init; }

    public double? PricePerHour { get; init; }

    /// <summary>Why the node is in WARNING, e.g. pre-installed software that blocks deployment.</summary>
    public string? WarningMessage { get; init; }

    public NodeHardware? Hardware { get; init; }

    public NodeSoftware? Software { get; init; }

    public NodeSystem? System { get; init; }

    /// <summary>SELF_MANAGED nodes: the SSH server, "ip:port".</summary>
    public string? SshEndpoint { get; init; }

    /// <summary>SELF_MANAGED nodes: the SSH user.</summary>
    public string? Username { get; init; }

    /// <summary>SELF_MANAGED nodes: the id of the SSH key Exalsius uses.</summary>
    public string? SshKeyId { get; init; }

    /// <summary>SELF_MANAGED nodes: the last heartbeat from the node agent.</summary>
    public DateTimeOffset? LastHeartbeat { get; init; }

    /// <summary>ControlPlane or Worker, when the node was read through its cluster.</summary>
    public string? ClusterRole { get; init; }
}

/// <summary>The nodes of one Exalsius cluster, by role (<c>GET /cluster/{cluster_id}/nodes</c>).</summary>
public sealed class ExalsiusClusterNodes
{
    public required string ClusterId { get; init; }

    public required IReadOnlyList<string> ControlPlaneNodeIds { get; init; }

    public required IReadOnlyList<string> WorkerNodeIds { get; init; }

    /// <summary>The provider's <c>total_nodes</c>, or the count of both lists when it is left out.</summary>
    public int TotalNodes { get; init; }

    /// <summary>ControlPlane, Worker, or null when the node is not in this cluster.</summary>
    public string? RoleOf(string nodeId) =>
        ControlPlaneNodeIds.Contains(nodeId, StringComparer.OrdinalIgnoreCase) ? ExalsiusClusterRoles.ControlPlane
        : WorkerNodeIds.Contains(nodeId, StringComparer.OrdinalIgnoreCase) ? ExalsiusClusterRoles.Worker
        : null;
}

public static class ExalsiusClusterRoles
{
    public const string ControlPlane = "ControlPlane";
    public const string Worker = "Worker";
}
