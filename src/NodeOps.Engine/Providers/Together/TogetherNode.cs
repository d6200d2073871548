namespace NodeOps.Engine.Providers.Together;

/// <summary>A Together GPU worker node. <see cref="GpuNode.Id"/> is its <c>instance_id</c>, the id remediation paths use.</summary>
public sealed class TogetherNode : GpuNode
{
    /// <summary>
    /// Together's <c>node_id</c> (the Kubernetes/Slurm node), distinct from the instance id in
    /// <see cref="GpuNode.Id"/>. Not called NodeId: that name binds to -NodeId of the remediation commands,
    /// which take the instance id.
    /// </summary>
    public string? WorkerNodeId { get; init; }

    public string? HostName { get; init; }

    /// <summary>The worker's <c>status</c> string as Together reports it.</summary>
    public string? WorkerStatus { get; init; }

    /// <summary>The latest <c>phase_transitions[].phase</c>, e.g. NODE_PHASE_RUNNING.</summary>
    public string? Phase { get; init; }

    public string? PublicIp { get; init; }

    public int? CpuCores { get; init; }

    public double? MemoryGib { get; init; }

    public bool? AutoRemediationEnabled { get; init; }

    public bool MarkedForDeletion { get; init; }

    public Remediation? LatestRemediation { get; init; }

    public DateTimeOffset? DeletedAt { get; init; }

    public string? ClusterName { get; init; }
}
