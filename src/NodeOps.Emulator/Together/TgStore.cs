namespace NodeOps.Emulator.Together;

/// <summary>All Together data of one seeding. Guarded by <see cref="Gate"/>.</summary>
internal sealed class TgStore
{
    private long _nextSeq;

    public object Gate { get; } = new();

    public List<TgCluster> Clusters { get; } = [];

    public Dictionary<string, TgCluster> ClustersById { get; } = new(StringComparer.Ordinal);

    /// <summary>Remediation ids are unique across clusters: a client-chosen remediation_id is a global key.</summary>
    public Dictionary<string, TgRemediation> RemediationsById { get; } = new(StringComparer.Ordinal);

    public long NextSeq() => ++_nextSeq;

    public void Add(TgCluster cluster)
    {
        Clusters.Add(cluster);
        ClustersById[cluster.ClusterId] = cluster;
    }

    /// <summary>Adds a remediation keeping the cluster list ordered by (create_time, seq) and the node's latest up to date.</summary>
    public void Add(TgCluster cluster, TgRemediation remediation)
    {
        RemediationsById[remediation.Id] = remediation;
        var list = cluster.Remediations;
        var index = list.Count;
        while (index > 0 && TgRemediation.CreateOrder.Compare(list[index - 1], remediation) > 0)
        {
            index--;
        }

        list.Insert(index, remediation);
        if (remediation.IsActive)
        {
            cluster.Active.Add(remediation);
        }

        if (cluster.WorkersByInstance.TryGetValue(remediation.InstanceId, out var worker)
            && (worker.Latest is null || TgRemediation.CreateOrder.Compare(worker.Latest, remediation) < 0))
        {
            worker.Latest = remediation;
        }
    }

    /// <summary>Bulk insert: append everything, sort once, recompute each node's latest remediation.</summary>
    public void AddMany(TgCluster cluster, List<TgRemediation> remediations)
    {
        foreach (var r in remediations)
        {
            RemediationsById[r.Id] = r;
            if (r.IsActive)
            {
                cluster.Active.Add(r);
            }
        }

        cluster.Remediations.AddRange(remediations);
        cluster.Remediations.Sort(TgRemediation.CreateOrder);
        foreach (var worker in cluster.WorkersByInstance.Values)
        {
            worker.Latest = null;
        }

        foreach (var r in cluster.Remediations)
        {
            if (cluster.WorkersByInstance.TryGetValue(r.InstanceId, out var worker))
            {
                worker.Latest = r;
            }
        }
    }
}

internal sealed class TgCluster
{
    public required string ClusterId { get; init; }

    public required string Name { get; init; }

    public required string Region { get; init; }

    public required string ProjectId { get; init; }

    public required string GpuType { get; init; }

    public required string Status { get; set; }

    public required string BillingType { get; init; }

    public required string ClusterType { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public List<TgPhase> Phases { get; } = [];

    public TgControlPlane? ControlPlane { get; set; }

    public List<TgWorker> Workers { get; } = [];

    public List<TgWorker> DeletedWorkers { get; } = [];

    /// <summary>Live and deleted workers by instance_id.</summary>
    public Dictionary<string, TgWorker> WorkersByInstance { get; } = new(StringComparer.Ordinal);

    /// <summary>Ordered by (create_time, seq) so list pages are cheap at 100 000 entries.</summary>
    public List<TgRemediation> Remediations { get; } = [];

    /// <summary>Remediations that still move on their own (PENDING or RUNNING).</summary>
    public HashSet<TgRemediation> Active { get; } = [];

    public void AddWorker(TgWorker worker)
    {
        (worker.DeletedAt is null ? Workers : DeletedWorkers).Add(worker);
        WorkersByInstance[worker.InstanceId] = worker;
    }
}

internal sealed record TgPhase(string Phase, DateTimeOffset Time);

internal sealed class TgControlPlane
{
    public required string NodeId { get; init; }

    public required string HostName { get; init; }

    public required string PublicIpv4 { get; init; }

    public DateTimeOffset ReadyAt { get; init; }
}

internal sealed class TgWorker
{
    public required string NodeId { get; init; }

    public required string NodeName { get; init; }

    public required string HostName { get; init; }

    public required string InstanceId { get; init; }

    public required string Status { get; set; }

    public string? PublicIpv4 { get; init; }

    public int NumGpus { get; init; } = 8;

    public bool AutoRemediationEnabled { get; init; }

    public bool MarkedForDeletion { get; init; }

    public DateTimeOffset? DeletedAt { get; init; }

    public List<TgPhase> Phases { get; } = [];

    public TgRemediation? Latest { get; set; }

    public void EnterPhase(string phase, DateTimeOffset time)
    {
        Phases.Add(new TgPhase(phase, time));
        Status = StatusFor(phase);
    }

    public static string StatusFor(string phase) => phase switch
    {
        "NODE_PHASE_PENDING" => "Pending",
        "NODE_PHASE_SCHEDULING" => "Scheduling",
        "NODE_PHASE_BOOTING" => "Booting",
        "NODE_PHASE_BOOTSTRAPPING" => "Bootstrapping",
        "NODE_PHASE_RUNNING" => "Ready",
        "NODE_PHASE_SUCCEEDED" => "Succeeded",
        "NODE_PHASE_FAILED" => "Failed",
        "NODE_PHASE_PAUSED" => "Paused",
        _ => "Unknown",
    };
}

internal sealed class TgRemediation
{
    public static readonly IComparer<TgRemediation> CreateOrder = Comparer<TgRemediation>.Create((a, b) =>
    {
        var c = a.CreateTime.UtcTicks.CompareTo(b.CreateTime.UtcTicks);
        return c != 0 ? c : a.Seq.CompareTo(b.Seq);
    });

    public required string Id { get; init; }

    public long Seq { get; init; }

    public required string ClusterId { get; init; }

    public required string InstanceId { get; init; }

    public string? InstanceName { get; init; }

    public required string Mode { get; set; }

    public required string Trigger { get; init; }

    public required string State { get; set; }

    public string? Reason { get; init; }

    public string? ActiveHealthCheckRunId { get; init; }

    public string? PassiveHealthCheckEventId { get; init; }

    public string? RequestedBy { get; init; }

    public DateTimeOffset CreateTime { get; init; }

    public string? ReviewedBy { get; set; }

    public DateTimeOffset? ReviewTime { get; set; }

    public string? ReviewComment { get; set; }

    public DateTimeOffset? StartTime { get; set; }

    public DateTimeOffset? EndTime { get; set; }

    public string? ErrorMessage { get; set; }

    public DateTimeOffset UpdateTime { get; set; }

    public IReadOnlyList<TgLinkedAlertWire>? LinkedAlerts { get; init; }

    /// <summary>What the creating request asked for (mode and reason); a repeated remediation_id must match it.</summary>
    public string? RequestFingerprint { get; init; }

    /// <summary>When it entered PENDING (on create or approve); the step clock starts here.</summary>
    public DateTimeOffset? PendingSince { get; set; }

    public bool IsActive => State is "PENDING" or "RUNNING";

    /// <summary>
    /// PENDING for one step, RUNNING for the next, then SUCCEEDED; evaluated lazily on read. The node goes
    /// through NODE_PHASE_BOOTING while RUNNING and back to NODE_PHASE_RUNNING when done.
    /// </summary>
    public void Advance(DateTimeOffset now, int stepMs, TgWorker? worker)
    {
        var step = TimeSpan.FromMilliseconds(stepMs);
        if (State == "PENDING" && PendingSince is { } pending && now >= pending + step)
        {
            State = "RUNNING";
            StartTime = pending + step;
            UpdateTime = StartTime.Value;
            worker?.EnterPhase("NODE_PHASE_BOOTING", StartTime.Value);
        }

        if (State == "RUNNING" && StartTime is { } started && now >= started + step)
        {
            State = "SUCCEEDED";
            EndTime = started + step;
            UpdateTime = EndTime.Value;
            worker?.EnterPhase("NODE_PHASE_RUNNING", EndTime.Value);
        }
    }

    public TgRemediationWire ToWire() => new(
        Id, ClusterId, InstanceId, InstanceName, Mode, Trigger, State, Reason, ActiveHealthCheckRunId, PassiveHealthCheckEventId,
        RequestedBy, CreateTime, ReviewedBy, ReviewTime, ReviewComment, StartTime, EndTime, ErrorMessage, UpdateTime, LinkedAlerts);
}
