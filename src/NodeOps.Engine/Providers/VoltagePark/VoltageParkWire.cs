using System.Text.Json;
using System.Text.Json.Serialization;

namespace NodeOps.Engine.Providers.VoltagePark;

// Voltage Park wire format (camelCase, times in milliseconds since the Unix epoch), per
// providers-api.md §1 and seed 000. Enums (node state, fleet status, health status, remediate status)
// stay strings: the API is a beta and may add values; the mapping turns unknown ones into Unknown.

/// <summary><c>Node</c> (and <c>FleetNode</c>, the same object without <c>fleetId</c>).</summary>
internal sealed class VpNode
{
    /// <summary>The node's id: the <c>{nodeId}</c> of node paths, e.g. <c>g0386</c>.</summary>
    public string? NodeName { get; set; }

    public string? State { get; set; }

    public string? PublicIp { get; set; }

    public string? FleetId { get; set; }

    /// <summary>Newer API generation only; absent when unknown.</summary>
    public string? GpuType { get; set; }
}

/// <summary><c>ListNodesResponse</c>: <c>nextToken</c> is null on the last page.</summary>
internal sealed class VpListNodesResponse
{
    public List<VpNode>? Nodes { get; set; }

    public string? NextToken { get; set; }

    public int? Limit { get; set; }
}

internal sealed class VpFleet
{
    public string? FleetId { get; set; }

    public string? Name { get; set; }

    public string? Status { get; set; }

    public long? RequestedAt { get; set; }

    public long? ProvisionedAt { get; set; }

    public long? CreatedAt { get; set; }

    public long? UpdatedAt { get; set; }

    public string? ComputeType { get; set; }

    public VpFleetComputeFootprint? MinimumFootprint { get; set; }

    public JsonElement? ExpandableCapacity { get; set; }

    public VpInfrastructure? Infrastructure { get; set; }

    public JsonElement? Bootstrap { get; set; }

    public JsonElement? FleetApps { get; set; }

    public JsonElement? OsConfig { get; set; }

    public string? OrderId { get; set; }
}

internal sealed class VpFleetComputeFootprint
{
    public VpFleetNodeSpec? GpuNodes { get; set; }
}

internal sealed class VpFleetNodeSpec
{
    public string? InstanceType { get; set; }

    /// <summary>Deprecated in favour of <see cref="Nodes"/>.</summary>
    public int? Replicas { get; set; }

    /// <summary>Deprecated in favour of <see cref="Nodes"/>.</summary>
    public List<string>? ReservedNodes { get; set; }

    public List<VpNode>? Nodes { get; set; }
}

internal sealed class VpInfrastructure
{
    /// <summary><c>infiniband</c> or <c>ethernet</c>.</summary>
    public string? Network { get; set; }

    public JsonElement? Vast { get; set; }
}

/// <summary><c>ListFleetsResponse</c>: without <c>limit</c> the API returns every fleet and null paging fields.</summary>
internal sealed class VpListFleetsResponse
{
    public List<VpFleet>? Fleets { get; set; }

    public string? NextToken { get; set; }

    public int? Limit { get; set; }
}

internal sealed class VpFleetHealthResponse
{
    public string? FleetId { get; set; }

    public string? Status { get; set; }

    public JsonElement? KubernetesHealth { get; set; }

    public List<VpNodeHealth>? NodeHealth { get; set; }
}

internal sealed class VpNodeHealth
{
    public string? NodeId { get; set; }

    /// <summary><c>healthy</c>, <c>unhealthy</c>, <c>degraded</c> or <c>unknown</c>.</summary>
    public string? Status { get; set; }

    public long? LastUpdatedAt { get; set; }
}

/// <summary><c>GetFleetHealth422Response</c>: the fleet is not ACTIVE, or is ACTIVE with no nodes.</summary>
internal sealed class VpFleetHealthUnavailable
{
    public string? Error { get; set; }

    public string? FleetId { get; set; }

    public string? Status { get; set; }
}

/// <summary>One element of the JSON array <c>POST /v1/fleets/{fleetId}/nodes/remediate</c> takes. All three are required.</summary>
internal sealed class VpRemediateNodeRequest
{
    public required string NodeId { get; set; }

    /// <summary>Free-text reason, at most 2000 characters.</summary>
    public required string Message { get; set; }

    /// <summary>A free string (the only documented example is <c>TERMAL_THROTTLE</c>).</summary>
    public required string Cause { get; set; }
}

/// <summary>One element of the JSON array the remediate call returns.</summary>
internal sealed class VpRemediateNodeResponse
{
    public string? NodeId { get; set; }

    /// <summary>Only <c>accepted</c> is documented.</summary>
    public string? RemediateStatus { get; set; }

    /// <summary>Null when accepted.</summary>
    public string? RejectionCause { get; set; }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(VpNode))]
[JsonSerializable(typeof(VpListNodesResponse))]
[JsonSerializable(typeof(VpFleet))]
[JsonSerializable(typeof(VpListFleetsResponse))]
[JsonSerializable(typeof(VpFleetHealthResponse))]
[JsonSerializable(typeof(VpFleetHealthUnavailable))]
[JsonSerializable(typeof(List<VpRemediateNodeRequest>))]
[JsonSerializable(typeof(List<VpRemediateNodeResponse>))]
internal sealed partial class VoltageParkJsonContext : JsonSerializerContext;
