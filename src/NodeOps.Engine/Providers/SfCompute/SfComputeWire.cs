using System.Text.Json.Serialization;

namespace NodeOps.Engine.Providers.SfCompute;

// SF Compute Nodes API v1 wire format (snake_case, times in Unix seconds), per providers-api.md §4 and
// seed 004. Statuses stay strings: the SDK and the docs disagree on the VM status casing, and the
// node statuses have grown before (v2 added awaiting_allocation).

/// <summary><c>{object:"list", data: Node[]}</c>: the whole listing, not paginated in v1.</summary>
internal sealed class SfNodeList
{
    public string? Object { get; set; }

    public List<SfNode>? Data { get; set; }
}

internal sealed class SfNode
{
    public string? Object { get; set; }

    public string? Id { get; set; }

    public string? Name { get; set; }

    public string? GpuType { get; set; }

    public string? Owner { get; set; }

    public string? Status { get; set; }

    public string? NodeType { get; set; }

    public string? Zone { get; set; }

    public long? CreatedAt { get; set; }

    public long? UpdatedAt { get; set; }

    public long? StartAt { get; set; }

    public long? EndAt { get; set; }

    public long? DeletedAt { get; set; }

    public string? ProcurementId { get; set; }

    /// <summary>Cents.</summary>
    public long? MaxPricePerNodeHour { get; set; }

    public SfVmList? Vms { get; set; }

    public SfVm? CurrentVm { get; set; }
}

internal sealed class SfVmList
{
    public string? Object { get; set; }

    public List<SfVm>? Data { get; set; }
}

internal sealed class SfVm
{
    public string? Object { get; set; }

    public string? Id { get; set; }

    /// <summary><c>Pending, Running, Destroyed, NodeFailure, Unspecified</c> in the SDK; lowercase in the docs' examples.</summary>
    public string? Status { get; set; }

    public long? CreatedAt { get; set; }

    public long? UpdatedAt { get; set; }

    public long? StartAt { get; set; }

    public long? EndAt { get; set; }

    public string? Zone { get; set; }

    public string? ImageId { get; set; }
}

/// <summary>
/// Body of <c>PUT /v1/nodes/{id}/redeploy</c>. Unset fields are left out, not sent as null: with
/// <c>override_empty</c> false the new VM inherits whatever the request leaves out.
/// </summary>
internal sealed class SfRedeployBody
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ImageId { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? CloudInitUserData { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? OverrideEmpty { get; set; }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(SfNodeList))]
[JsonSerializable(typeof(SfNode))]
[JsonSerializable(typeof(SfRedeployBody))]
internal sealed partial class SfComputeJsonContext : JsonSerializerContext;
