using NodeOps.Engine.Json;

namespace NodeOps.Engine.Providers.Exalsius;

/// <summary>Exalsius wire objects → the common model (providers-api.md §5).</summary>
internal static class ExalsiusMapping
{
    private const CloudProvider P = CloudProvider.Exalsius;

    public static ExalsiusNode ToNode(ExNode n, Uri endpoint, string? clusterId = null, string? clusterRole = null)
    {
        var id = Wire.Require(n.Id, "id", P, "node");
        var what = new WireSubject("node", id);
        var hw = n.Hardware;
        return new ExalsiusNode
        {
            Provider = P,
            Id = id,
            Name = Text(n.Hostname),
            Status = NodeStatusOf(n.NodeStatus),
            ProviderStatus = n.NodeStatus,
            GpuType = Text(hw?.GpuType),
            GpuCount = hw?.GpuCount,

            // CLOUD nodes have a cloud region; SELF_MANAGED ones at most a free-text location.
            Region = Text(n.Region) ?? Text(n.Location),
            Zone = Text(n.AvailabilityZone),
            ClusterId = clusterId,
            CreatedAt = Wire.FromRfc3339(n.ImportTime, P, what),
            Endpoint = endpoint,
            NodeType = n.NodeType,
            HostingProvider = Text(n.Provider),
            InstanceType = Text(n.InstanceType),
            Namespace = Text(n.Namespace),
            Description = Text(n.Description),
            Location = Text(n.Location),
            PricePerHour = n.PricePerHour,
            WarningMessage = Text(n.WarningMessage),
            Hardware = hw is null ? null : new NodeHardware
            {
                GpuCount = hw.GpuCount,
                GpuVendor = hw.GpuVendor,
                GpuType = hw.GpuType,
                GpuMemoryGb = hw.GpuMemory,
                CpuCores = hw.CpuCores,
                MemoryGb = hw.MemoryGb,
                StorageGb = hw.StorageGb,
            },
            Software = n.Software is { } sw ? new NodeSoftware { Docker = sw.Docker, Nvidia = sw.Nvidia, Amd = sw.Amd } : null,
            System = n.System is { } sys ? new NodeSystem { Os = sys.Os, Kernel = sys.Kernel } : null,
            SshEndpoint = Text(n.Endpoint),
            Username = Text(n.Username),
            SshKeyId = Text(n.SshKeyId),
            LastHeartbeat = Wire.FromRfc3339(n.LastHeartbeatDate, P, what),
            ClusterRole = clusterRole,
        };
    }

    /// <summary>
    /// <c>node_status</c> → <see cref="GpuNodeStatus"/>, per providers-api.md §5. Case-insensitive: the
    /// spec's enum is upper case, but its own error messages spell states in lower case.
    /// <para>
    /// Judgement: the legacy values of the pre-2025-08-01 API (<c>STAGED</c>, <c>OCCUPIED</c>; still in stale
    /// client-sdk docs) deliberately map to <see cref="GpuNodeStatus.Unknown"/>. No source describes what
    /// they meant (STAGED could be "reserved for a cluster" or "being deployed"), the current API no longer
    /// sends them, and a guess would put nodes into Ready/InUse filters they may not belong in. The raw value
    /// stays in <see cref="GpuNode.ProviderStatus"/>, so <c>Where-Object ProviderStatus -eq OCCUPIED</c> works.
    /// </para>
    /// </summary>
    public static GpuNodeStatus NodeStatusOf(string? status) => status?.ToUpperInvariant() switch
    {
        "PENDING" or "DISCOVERING" => GpuNodeStatus.Provisioning,
        "AVAILABLE" => GpuNodeStatus.Ready,
        "ADDED" or "DEPLOYED" => GpuNodeStatus.InUse,
        "WARNING" => GpuNodeStatus.Degraded,
        "FAILED" => GpuNodeStatus.Failed,
        _ => GpuNodeStatus.Unknown,
    };

    /// <summary>The documented <c>node_status</c> values, for recognising a state named in an error message.</summary>
    public static readonly string[] NodeStatuses = ["PENDING", "DISCOVERING", "AVAILABLE", "ADDED", "DEPLOYED", "FAILED", "WARNING"];

    public static ExalsiusClusterNodes ToClusterNodes(ExClusterNodesResponse r, string requestedClusterId)
    {
        var controlPlane = Wire.Entries(r.ControlPlaneNodeIds).ToList();
        var workers = Wire.Entries(r.WorkerNodeIds).ToList();
        return new ExalsiusClusterNodes
        {
            ClusterId = Text(r.ClusterId) ?? requestedClusterId,
            ControlPlaneNodeIds = controlPlane,
            WorkerNodeIds = workers,
            TotalNodes = r.TotalNodes ?? controlPlane.Count + workers.Count,
        };
    }

    public static GpuCluster ToCluster(ExCluster c, Uri endpoint)
    {
        var id = Wire.Require(c.Id, "id", P, "cluster");
        int? nodeCount = c.ControlPlaneNodeIds is null && c.WorkerNodeIds is null
            ? null
            : (c.ControlPlaneNodeIds?.Count ?? 0) + (c.WorkerNodeIds?.Count ?? 0);
        return new GpuCluster
        {
            Provider = P,
            Id = id,
            Name = Text(c.Name),
            Status = ClusterStatusOf(c.ClusterStatus),
            ProviderStatus = c.ClusterStatus,
            NodeCount = nodeCount,
            CreatedAt = Wire.FromRfc3339(c.CreatedAt, P, new WireSubject("cluster", id)),
            Endpoint = endpoint,
        };
    }

    /// <summary>
    /// <c>cluster_status</c> → <see cref="ClusterStatus"/>. providers-api.md lists
    /// <c>PENDING, DEPLOYING, READY, DELETING, FAILED</c>; earlier spec versions used <c>STAGING</c>,
    /// <c>PROVISIONING</c>, <c>RUNNING</c> and <c>DELETED</c>, mapped here by their plain meaning.
    /// </summary>
    public static ClusterStatus ClusterStatusOf(string? status) => status?.ToUpperInvariant() switch
    {
        "PENDING" or "STAGING" or "DEPLOYING" or "PROVISIONING" => ClusterStatus.Provisioning,
        "READY" or "RUNNING" => ClusterStatus.Ready,
        "DELETING" => ClusterStatus.Deleting,
        "DELETED" => ClusterStatus.Terminated,
        "FAILED" => ClusterStatus.Failed,
        _ => ClusterStatus.Unknown,
    };

    private static string? Text(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
