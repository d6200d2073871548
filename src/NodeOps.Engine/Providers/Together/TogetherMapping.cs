using NodeOps.Engine.Json;

namespace NodeOps.Engine.Providers.Together;

/// <summary>Together wire objects → the common model (providers-api.md §5).</summary>
internal static class TogetherMapping
{
    private const CloudProvider P = CloudProvider.Together;

    public static GpuCluster ToCluster(TgCluster c, Uri endpoint)
    {
        var id = Wire.Require(c.ClusterId, "cluster_id", P, "cluster");
        return new GpuCluster
        {
            Provider = P,
            Id = id,
            Name = c.ClusterName,
            Status = ClusterStatusOf(c.Status),
            ProviderStatus = c.Status,
            Region = c.Region,
            GpuType = c.GpuType,
            GpuCount = c.NumGpus,
            NodeCount = c.GpuWorkerNodes is { } workers ? Wire.Entries(workers).Count() : null,
            CreatedAt = Wire.FromRfc3339(c.CreatedAt, P, new WireSubject("cluster", id)),
            Endpoint = endpoint,
        };
    }

    public static TogetherNode ToNode(TgWorkerNode n, TgCluster cluster, Uri endpoint, bool deleted)
    {
        var clusterId = cluster.ClusterId;
        var id = Wire.Require(n.InstanceId ?? n.NodeId, "instance_id", P, new WireSubject("worker node of cluster", clusterId));
        var what = new WireSubject("node", id);
        TgPhaseTransition? latest = null;
        DateTimeOffset? first = null;
        DateTimeOffset? latestTime = null;
        if (n.PhaseTransitions is { } phases)
        {
            // A plain loop rather than Wire.Entries: this runs for every worker of a listing.
            foreach (var t in phases)
            {
                if (t is null)
                {
                    continue;
                }

                var time = Wire.FromRfc3339(t.TransitionTime, P, what);
                if (first is null || time < first)
                {
                    first = time;
                }

                // The array is documented in order, but sort by time in case it is not.
                if (latest is null || time >= latestTime)
                {
                    latest = t;
                    latestTime = time;
                }
            }
        }

        var latestRemediation = n.LatestRemediation is { } r ? ToRemediation(r, endpoint, clusterId, id) : null;
        var deletedAt = Wire.FromRfc3339(n.DeletedAt, P, what);
        return new TogetherNode
        {
            Provider = P,
            Id = id,
            Name = n.HostName ?? n.NodeName,
            Status = NodeStatusOf(latest?.Phase, n.LatestRemediation?.State, n.MarkedForDeletion == true, deleted || deletedAt is not null, n.Status),
            ProviderStatus = latest?.Phase ?? n.Status,
            GpuType = cluster.GpuType,
            GpuCount = n.NumGpus,
            Region = cluster.Region,
            ClusterId = clusterId,
            CreatedAt = first,
            Endpoint = endpoint,
            WorkerNodeId = n.NodeId,
            HostName = n.HostName,
            WorkerStatus = n.Status,
            Phase = latest?.Phase,
            PublicIp = n.PublicIpv4,
            CpuCores = n.NumCpuCores,
            MemoryGib = n.MemoryGib,
            AutoRemediationEnabled = n.AutoRemediationEnabled,
            MarkedForDeletion = n.MarkedForDeletion == true,
            LatestRemediation = latestRemediation,
            DeletedAt = deletedAt,
            ClusterName = cluster.ClusterName,
        };
    }

    public static Remediation ToRemediation(TgRemediation r, Uri endpoint, string? clusterId = null, string? instanceId = null, string? idempotencyKey = null)
    {
        var id = Wire.Require(r.Id, "id", P, "remediation");
        var what = new WireSubject("remediation", id);
        return new Remediation
        {
            Provider = P,
            Id = id,
            NodeId = Wire.Require(r.InstanceId ?? instanceId, "instance_id", P, what),
            NodeName = r.InstanceName,
            ClusterId = r.ClusterId ?? clusterId,
            Action = r.Mode,
            Reason = r.Reason,
            State = RemediationStateOf(r.State, r.ReviewedBy),
            ProviderState = r.State,
            Trigger = r.Trigger,
            RequestedBy = r.RequestedBy,
            CreatedAt = Wire.FromRfc3339(r.CreateTime, P, what),
            StartedAt = Wire.FromRfc3339(r.StartTime, P, what),
            CompletedAt = Wire.FromRfc3339(r.EndTime, P, what),
            ReviewedBy = r.ReviewedBy,
            ReviewComment = r.ReviewComment,
            Error = r.ErrorMessage,
            IdempotencyKey = idempotencyKey,
            Endpoint = endpoint,
        };
    }

    public static RemediationState RemediationStateOf(string? state, string? reviewedBy) => state switch
    {
        "PENDING_APPROVAL" => RemediationState.PendingApproval,
        "PENDING" => RemediationState.Pending,
        "RUNNING" or "QUARANTINING" or "QUARANTINED" => RemediationState.Running,
        "SUCCEEDED" => RemediationState.Succeeded,
        "FAILED" => RemediationState.Failed,

        // Reject moves a remediation to CANCELLED and records the reviewer; a plain cancel does not.
        "CANCELLED" => string.IsNullOrEmpty(reviewedBy) ? RemediationState.Cancelled : RemediationState.Rejected,
        "AUTO_RESOLVED" => RemediationState.AutoResolved,
        _ => RemediationState.Unknown,
    };

    /// <summary>The wire states that can produce a normalised state, for the server-side filter.</summary>
    public static IEnumerable<string>? WireStates(RemediationState state) => state switch
    {
        RemediationState.PendingApproval => ["PENDING_APPROVAL"],
        RemediationState.Pending => ["PENDING"],
        RemediationState.Running => ["RUNNING", "QUARANTINING", "QUARANTINED"],
        RemediationState.Succeeded => ["SUCCEEDED"],
        RemediationState.Failed => ["FAILED"],
        RemediationState.Cancelled or RemediationState.Rejected => ["CANCELLED"],
        RemediationState.AutoResolved => ["AUTO_RESOLVED"],
        _ => null,
    };

    /// <summary>
    /// Remediation and deletion first, then the latest phase. A running node is Degraded when Together's own
    /// health checks flagged it — an automated remediation waits for approval — or its worker status says it is
    /// not ready. (providers-api.md §5 proposed leaving PENDING_APPROVAL on the underlying status; a node the
    /// provider wants to repair is not Ready, and `Where-Object Status -eq Degraded` must find it.)
    /// </summary>
    public static GpuNodeStatus NodeStatusOf(string? phase, string? remediationState, bool markedForDeletion, bool deleted, string? workerStatus = null)
    {
        if (deleted)
        {
            return GpuNodeStatus.Terminated;
        }

        if (remediationState is "PENDING" or "RUNNING" or "QUARANTINING" or "QUARANTINED")
        {
            return GpuNodeStatus.Remediating;
        }

        if (markedForDeletion)
        {
            return GpuNodeStatus.Terminating;
        }

        var byPhase = phase switch
        {
            "NODE_PHASE_PENDING" or "NODE_PHASE_SCHEDULING" or "NODE_PHASE_BOOTING" or "NODE_PHASE_BOOTSTRAPPING" => GpuNodeStatus.Provisioning,
            "NODE_PHASE_RUNNING" => GpuNodeStatus.Ready,
            "NODE_PHASE_PAUSED" => GpuNodeStatus.Stopped,
            "NODE_PHASE_FAILED" => GpuNodeStatus.Failed,
            "NODE_PHASE_SUCCEEDED" => GpuNodeStatus.Terminated,
            _ => GpuNodeStatus.Unknown,
        };

        var running = byPhase == GpuNodeStatus.Ready || (phase is null && IsWorkerReady(workerStatus));
        if (running && (remediationState == "PENDING_APPROVAL" || IsWorkerUnhealthy(workerStatus)))
        {
            return GpuNodeStatus.Degraded;
        }

        return phase is null && IsWorkerReady(workerStatus) ? GpuNodeStatus.Ready : byPhase;
    }

    // The worker status is a free string (UNCONFIRMED values); these are the Kubernetes-style ones seen.
    private static bool IsWorkerReady(string? status) => string.Equals(status, "Ready", StringComparison.OrdinalIgnoreCase);

    private static bool IsWorkerUnhealthy(string? status) =>
        status is not null && (status.Equals("NotReady", StringComparison.OrdinalIgnoreCase)
            || status.Equals("Degraded", StringComparison.OrdinalIgnoreCase)
            || status.Equals("Unhealthy", StringComparison.OrdinalIgnoreCase));

    public static ClusterStatus ClusterStatusOf(string? status) => status switch
    {
        "WaitingForControlPlaneNodes" or "WaitingForDataPlaneNodes" or "WaitingForSubnet" or "WaitingForSharedVolume"
            or "InstallingDrivers" or "RunningAcceptanceTests" => ClusterStatus.Provisioning,
        "Ready" => ClusterStatus.Ready,
        "Degraded" => ClusterStatus.Degraded,
        "Paused" or "OnDemandComputePaused" => ClusterStatus.Paused,
        "Deleting" => ClusterStatus.Deleting,
        _ => ClusterStatus.Unknown,
    };
}
