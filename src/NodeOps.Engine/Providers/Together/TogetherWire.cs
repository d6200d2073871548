using System.Text.Json.Serialization;

namespace NodeOps.Engine.Providers.Together;

// Together AI wire format (snake_case, RFC 3339 times), per providers-api.md §3 and seeds 002/003.
// Enums stay strings: Together has added states and modes since the documents were written.

internal sealed class TgClusterList
{
    public List<TgCluster>? Clusters { get; set; }
}

internal sealed class TgCluster
{
    public string? ClusterId { get; set; }

    public string? ClusterName { get; set; }

    public string? ClusterType { get; set; }

    public string? Region { get; set; }

    public string? ProjectId { get; set; }

    public string? GpuType { get; set; }

    public string? Status { get; set; }

    public int? NumGpus { get; set; }

    public string? CreatedAt { get; set; }

    public string? BillingType { get; set; }

    public List<TgWorkerNode>? GpuWorkerNodes { get; set; }

    public List<TgWorkerNode>? DeletedGpuWorkerNodes { get; set; }
}

internal sealed class TgWorkerNode
{
    public string? NodeId { get; set; }

    public string? NodeName { get; set; }

    public string? HostName { get; set; }

    public string? Status { get; set; }

    public string? InstanceId { get; set; }

    public string? PublicIpv4 { get; set; }

    public int? NumCpuCores { get; set; }

    public int? NumGpus { get; set; }

    public double? MemoryGib { get; set; }

    public bool? AutoRemediationEnabled { get; set; }

    public bool? MarkedForDeletion { get; set; }

    public TgRemediation? LatestRemediation { get; set; }

    public List<TgPhaseTransition>? PhaseTransitions { get; set; }

    public int? IbHcaCount { get; set; }

    public string? IbHcaType { get; set; }

    public int? NvswitchCount { get; set; }

    public string? NvswitchType { get; set; }

    public string? DeletedAt { get; set; }
}

internal sealed class TgPhaseTransition
{
    public string? Phase { get; set; }

    public string? TransitionTime { get; set; }
}

internal sealed class TgRemediation
{
    public string? Id { get; set; }

    public string? ClusterId { get; set; }

    public string? InstanceId { get; set; }

    public string? InstanceName { get; set; }

    public string? Mode { get; set; }

    public string? Trigger { get; set; }

    public string? State { get; set; }

    public string? Reason { get; set; }

    public string? ActiveHealthCheckRunId { get; set; }

    public string? PassiveHealthCheckEventId { get; set; }

    public string? RequestedBy { get; set; }

    public string? CreateTime { get; set; }

    public string? ReviewedBy { get; set; }

    public string? ReviewTime { get; set; }

    public string? ReviewComment { get; set; }

    public string? StartTime { get; set; }

    public string? EndTime { get; set; }

    public string? ErrorMessage { get; set; }

    public string? UpdateTime { get; set; }
}

internal sealed class TgRemediationList
{
    public List<TgRemediation>? Remediations { get; set; }

    public bool? HasNext { get; set; }

    public string? NextPageToken { get; set; }
}

internal sealed class TgCreateRemediationBody
{
    public required string Mode { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Reason { get; set; }
}

/// <summary>Approve takes <c>{comment?, mode?}</c>, reject <c>{comment?}</c>; the body is required, so an empty one is <c>{}</c>.</summary>
internal sealed class TgReviewBody
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Comment { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Mode { get; set; }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(TgClusterList))]
[JsonSerializable(typeof(TgCluster))]
[JsonSerializable(typeof(TgRemediation))]
[JsonSerializable(typeof(TgRemediationList))]
[JsonSerializable(typeof(TgCreateRemediationBody))]
[JsonSerializable(typeof(TgReviewBody))]
internal sealed partial class TogetherJsonContext : JsonSerializerContext;
