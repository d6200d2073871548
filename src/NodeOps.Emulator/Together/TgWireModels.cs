namespace NodeOps.Emulator.Together;

// Server-side wire shapes of Together's GPU cluster and remediation APIs (snake_case via the naming policy).
// Optional fields left null are omitted.

internal sealed record TgPhaseTransitionWire(string Phase, DateTimeOffset TransitionTime);

internal sealed record TgLinkedAlertWire(
    string AlertName,
    IReadOnlyDictionary<string, string> Annotations,
    string ClusterId,
    string PassiveHealthCheckAlertId,
    string Severity,
    DateTimeOffset StartedAt,
    string TargetVm,
    string? InstanceId,
    DateTimeOffset? ResolvedAt);

internal sealed record TgRemediationWire(
    string Id,
    string ClusterId,
    string InstanceId,
    string? InstanceName,
    string Mode,
    string Trigger,
    string State,
    string? Reason,
    string? ActiveHealthCheckRunId,
    string? PassiveHealthCheckEventId,
    string? RequestedBy,
    DateTimeOffset? CreateTime,
    string? ReviewedBy,
    DateTimeOffset? ReviewTime,
    string? ReviewComment,
    DateTimeOffset? StartTime,
    DateTimeOffset? EndTime,
    string? ErrorMessage,
    DateTimeOffset? UpdateTime,
    IReadOnlyList<TgLinkedAlertWire>? LinkedAlerts);

internal sealed record TgListRemediationsWire(IReadOnlyList<TgRemediationWire> Remediations, bool HasNext, string NextPageToken);

internal sealed record TgWorkerNodeWire(
    string NodeId,
    string NodeName,
    string HostName,
    string Status,
    int NumCpuCores,
    int NumGpus,
    double MemoryGib,
    IReadOnlyList<string> Networks,
    string InstanceId,
    string? PublicIpv4,
    bool AutoRemediationEnabled,
    TgRemediationWire? LatestRemediation,
    bool MarkedForDeletion,
    IReadOnlyList<TgPhaseTransitionWire> PhaseTransitions,
    int IbHcaCount,
    string IbHcaType,
    int NvswitchCount,
    string NvswitchType,
    DateTimeOffset? DeletedAt);

internal sealed record TgControlPlaneNodeWire(
    string NodeId,
    string HostName,
    string Status,
    int NumCpuCores,
    double MemoryGib,
    string Network,
    string? PublicIpv4,
    IReadOnlyList<TgPhaseTransitionWire> PhaseTransitions);

internal sealed record TgVolumeWire(string VolumeId, string VolumeName, int SizeTib, string Status);

internal sealed record TgClusterWire(
    string ClusterId,
    string ClusterName,
    string ClusterType,
    string Region,
    string ProjectId,
    string GpuType,
    string Status,
    int NumGpus,
    int NumReservedGpus,
    int NumCapacityPoolGpus,
    int NumCpuWorkers,
    int DesiredPreemptibleGpus,
    int AllocatedPreemptibleGpus,
    string BillingType,
    DateTimeOffset CreatedAt,
    string CudaVersion,
    string NvidiaDriverVersion,
    string KubeConfig,
    IReadOnlyList<object> AddOns,
    IReadOnlyList<TgControlPlaneNodeWire> ControlPlaneNodes,
    IReadOnlyList<TgWorkerNodeWire> GpuWorkerNodes,
    IReadOnlyList<TgWorkerNodeWire> DeletedGpuWorkerNodes,
    IReadOnlyList<TgPhaseTransitionWire> PhaseTransitions,
    IReadOnlyList<TgVolumeWire> Volumes);

internal sealed record TgClusterListWire(IReadOnlyList<TgClusterWire> Clusters);

/// <summary>grpc-gateway error body of the remediation endpoints.</summary>
internal sealed record TgRpcStatusWire(int Code, string Message, IReadOnlyList<object> Details);

internal sealed record TgErrorDataWire(TgErrorDetailWire Error);

internal sealed record TgErrorDetailWire(string Message, string Type, string? Code);
