using System.Text.Json;
using System.Text.Json.Serialization;

namespace NodeOps.Engine.Providers.Exalsius;

// Exalsius wire format (snake_case, RFC 3339 times), per providers-api.md §2 and seed 001.
// Enums (node_type, node_status, cluster_status) stay strings: node_status already changed once
// (PENDING/AVAILABLE/STAGED/OCCUPIED before 2025-08-01) and gained WARNING in 2026-01.

/// <summary>
/// <c>NodeResponse</c> = oneOf <c>CloudNode | SelfManagedNode</c>, discriminated by <c>node_type</c>.
/// Both extend <c>BaseNode</c>; one class with every field optional reads either variant (and a
/// variant Exalsius adds later) without a polymorphic converter.
/// </summary>
internal sealed class ExNode
{
    // ---- BaseNode (required: id, node_type, node_status, price_per_hour) ----
    public string? Id { get; set; }

    public string? NodeType { get; set; }

    public string? NodeStatus { get; set; }

    public double? PricePerHour { get; set; }

    public string? Namespace { get; set; }

    public string? Hostname { get; set; }

    public string? Description { get; set; }

    public string? Location { get; set; }

    public string? ImportTime { get; set; }

    public string? WarningMessage { get; set; }

    public ExHardware? Hardware { get; set; }

    public ExSoftware? Software { get; set; }

    public ExSystem? System { get; set; }

    // ---- CloudNode (required: provider, region, instance_type) ----
    public string? Provider { get; set; }

    public string? Region { get; set; }

    public string? InstanceType { get; set; }

    public string? AvailabilityZone { get; set; }

    // ---- SelfManagedNode (required: endpoint, username, ssh_key_id) ----

    /// <summary>"ip:port" of the SSH server.</summary>
    public string? Endpoint { get; set; }

    public string? Username { get; set; }

    public string? SshKeyId { get; set; }

    public string? LastHeartbeatDate { get; set; }
}

/// <summary>All fields optional; <c>gpu_memory</c> is in GB.</summary>
internal sealed class ExHardware
{
    public int? GpuCount { get; set; }

    public string? GpuVendor { get; set; }

    public string? GpuType { get; set; }

    public int? GpuMemory { get; set; }

    public int? CpuCores { get; set; }

    public int? MemoryGb { get; set; }

    public int? StorageGb { get; set; }
}

/// <summary>Version strings of the node's software.</summary>
internal sealed class ExSoftware
{
    public string? Docker { get; set; }

    public string? Nvidia { get; set; }

    public string? Amd { get; set; }
}

internal sealed class ExSystem
{
    public string? Os { get; set; }

    public string? Kernel { get; set; }
}

/// <summary><c>GET /nodes</c>: not paginated; the count is also in the <c>X-Total-Count</c> header.</summary>
internal sealed class ExNodesList
{
    public List<ExNode>? Nodes { get; set; }

    public int? Total { get; set; }
}

internal sealed class ExNodeDeleteResponse
{
    public string? NodeId { get; set; }
}

/// <summary><c>PATCH /node/{node_id}</c> body: hardware, software and system are required; description is optional.</summary>
internal sealed class ExNodePatchRequest
{
    public required ExHardware Hardware { get; set; }

    public required ExSoftware Software { get; set; }

    public required ExSystem System { get; set; }

    public string? Description { get; set; }
}

/// <summary>
/// <c>NodePatchResponse</c>: <c>{node_id, next_access_token?, next_access_token_expires_in?, next_access_token_type?}</c>.
/// The token is a node-agent credential. It is never turned into a string: <see cref="SecretPresenceConverter"/>
/// only records whether a non-empty value came. <c>next_access_token_type</c> is not read at all.
/// </summary>
internal sealed class ExNodePatchResponse
{
    public string? NodeId { get; set; }

    [JsonPropertyName("next_access_token")]
    [JsonConverter(typeof(SecretPresenceConverter))]
    public bool NextAccessTokenIssued { get; set; }

    public int? NextAccessTokenExpiresIn { get; set; }
}

/// <summary><c>POST /node/import/ssh</c> body. Property order follows the spec (and the seed's example).</summary>
internal sealed class ExNodeImportSshRequest
{
    public required string Hostname { get; set; }

    public required string Endpoint { get; set; }

    public required string Username { get; set; }

    public required string SshKeyId { get; set; }

    public string? Description { get; set; }

    /// <summary>Defaults to 0.0 on the provider side when left out.</summary>
    public double? PricePerHour { get; set; }
}

/// <summary>The answer to both imports: <c>{node_ids: uuid[], total}</c>.</summary>
internal sealed class ExNodeImportResponse
{
    public List<string>? NodeIds { get; set; }

    public int? Total { get; set; }
}

/// <summary><c>GET /cluster/{cluster_id}/nodes</c>: the ids of a cluster's nodes, by role.</summary>
internal sealed class ExClusterNodesResponse
{
    public string? ClusterId { get; set; }

    public List<string>? ControlPlaneNodeIds { get; set; }

    public List<string>? WorkerNodeIds { get; set; }

    public int? TotalNodes { get; set; }
}

/// <summary>
/// <c>GET /clusters</c> → <c>{clusters: Cluster[], total?}</c>. UNCONFIRMED: providers-api.md names the
/// endpoint and the <c>cluster_status</c> values but not the reply; this shape is from the public
/// exalsius-api-spec (<c>components/schemas/clusters-list-response.yaml</c>, <c>cluster.yaml</c>), stable
/// across its versions: <c>name</c>, <c>cluster_status</c>, <c>created_at</c> required, <c>id</c> uuid.
/// </summary>
internal sealed class ExClustersList
{
    public List<ExCluster>? Clusters { get; set; }

    public int? Total { get; set; }
}

internal sealed class ExCluster
{
    public string? Id { get; set; }

    public string? Name { get; set; }

    public string? ClusterStatus { get; set; }

    public string? ClusterType { get; set; }

    public string? CreatedAt { get; set; }

    public string? UpdatedAt { get; set; }

    public List<string>? ControlPlaneNodeIds { get; set; }

    public List<string>? WorkerNodeIds { get; set; }

    public string? K8sVersion { get; set; }
}

/// <summary>
/// Reads a secret-bearing JSON value without materialising it: <c>true</c> when a non-empty value is
/// present, <c>false</c> for null or "". Writing is refused, so a secret can never be echoed back.
/// </summary>
internal sealed class SecretPresenceConverter : JsonConverter<bool>
{
    public override bool HandleNull => true;

    public override bool Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return false;
            case JsonTokenType.String:
                return reader.HasValueSequence ? reader.ValueSequence.Length > 0 : reader.ValueSpan.Length > 0;
            default:
                // Not the documented string, but something was issued; skip it unread.
                reader.Skip();
                return true;
        }
    }

    public override void Write(Utf8JsonWriter writer, bool value, JsonSerializerOptions options) =>
        throw new NotSupportedException("NodeOps never writes an Exalsius access token.");
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ExNode))]
[JsonSerializable(typeof(ExNodesList))]
[JsonSerializable(typeof(ExNodeDeleteResponse))]
[JsonSerializable(typeof(ExNodePatchRequest))]
[JsonSerializable(typeof(ExNodePatchResponse))]
[JsonSerializable(typeof(ExNodeImportSshRequest))]
[JsonSerializable(typeof(ExNodeImportResponse))]
[JsonSerializable(typeof(ExClusterNodesResponse))]
[JsonSerializable(typeof(ExClustersList))]
internal sealed partial class ExalsiusJsonContext : JsonSerializerContext;
