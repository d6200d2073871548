using System.Globalization;
using NodeOps.Emulator.Hosting;

namespace NodeOps.Emulator.Together;

/// <summary>
/// Generates clusters of <c>NodesPerCluster</c> GPU workers, one deleted worker and one control-plane node
/// each; two automated remediations waiting in PENDING_APPROVAL per cluster (on workers 1 and 2) and
/// <c>TogetherRemediationsPerCluster</c> terminal-state history entries (states cycle through SUCCEEDED,
/// FAILED, CANCELLED, AUTO_RESOLVED, QUARANTINED, CANCELLED).
/// </summary>
internal static class TgSeeder
{
    public const string SystemRequester = "together-health-monitor";

    private static readonly string[] GpuTypes = ["H100_SXM", "H200_SXM", "B200_SXM"];
    private static readonly string[] Regions = ["us-central-8", "us-west-2", "eu-north-1"];
    private static readonly string[] HistoryStates = ["SUCCEEDED", "FAILED", "CANCELLED", "AUTO_RESOLVED", "QUARANTINED", "CANCELLED"];
    private static readonly string[] HistoryModes =
    [
        "REMEDIATION_MODE_VM_ONLY", "REMEDIATION_MODE_HOST_AWARE", "REMEDIATION_MODE_REBOOT_VM",
        "REMEDIATION_MODE_VM_ONLY", "REMEDIATION_MODE_HOST_POWER_CYCLE",
    ];

    private static readonly string[] Reasons =
    [
        "Xid 79: GPU has fallen off the bus (GPU 3)",
        "Xid 48: double-bit ECC error (GPU 5)",
        "NCCL all-reduce bandwidth below threshold",
        "InfiniBand link flapping on mlx5_2",
        "Node NotReady for more than 10 minutes",
    ];

    public static TgStore Seed(SeedSpec spec)
    {
        var store = new TgStore();
        var random = new SeedRandom(SeedRandom.For(spec.Seed, "together"));
        var clusterCount = (spec.NodesPerProvider + spec.NodesPerCluster - 1) / spec.NodesPerCluster;
        var nodeIndex = 0;
        for (var c = 0; c < clusterCount; c++)
        {
            var created = spec.Anchor.AddDays(-45 + c);
            var degraded = clusterCount > 1 && c == clusterCount - 1;
            var cluster = new TgCluster
            {
                ClusterId = random.Uuid(),
                Name = string.Create(CultureInfo.InvariantCulture, $"tg-cluster-{c + 1:D2}"),
                Region = Regions[c % Regions.Length],
                ProjectId = "proj_" + random.Hex(16),
                GpuType = GpuTypes[c % GpuTypes.Length],
                Status = degraded ? "Degraded" : "Ready",
                BillingType = c % 2 == 0 ? "RESERVED" : "ON_DEMAND",
                ClusterType = c % 3 == 2 ? "SLURM" : "KUBERNETES",
                CreatedAt = created,
            };
            AddClusterPhases(cluster, created, degraded);
            cluster.ControlPlane = new TgControlPlane
            {
                NodeId = random.Uuid(),
                HostName = cluster.Name + "-cp-0",
                PublicIpv4 = SeedRandom.Ip(38, 60_000 + c),
                ReadyAt = created.AddMinutes(12),
            };
            store.Add(cluster);

            var size = Math.Min(spec.NodesPerCluster, spec.NodesPerProvider - nodeIndex);
            for (var k = 0; k < size; k++, nodeIndex++)
            {
                var worker = NewWorker(random, cluster, k, nodeIndex, created.AddMinutes(15 + k), deletedAt: null, markedForDeletion: k == 5);
                var finalPhase = k switch
                {
                    3 => "NODE_PHASE_FAILED",
                    4 => "NODE_PHASE_BOOTSTRAPPING",
                    < 6 => "NODE_PHASE_RUNNING",
                    _ => random.NextDouble() switch
                    {
                        < 0.90 => "NODE_PHASE_RUNNING",
                        < 0.94 => "NODE_PHASE_FAILED",
                        < 0.97 => "NODE_PHASE_BOOTING",
                        _ => "NODE_PHASE_BOOTSTRAPPING",
                    },
                };
                AddWorkerPhases(worker, created.AddMinutes(15 + k), finalPhase);
                cluster.AddWorker(worker);
            }

            if (size > 0)
            {
                var gone = NewWorker(random, cluster, size, 1_000_000 + c, created.AddMinutes(14), deletedAt: spec.Anchor.AddDays(-3), markedForDeletion: true);
                AddWorkerPhases(gone, created.AddMinutes(14), "NODE_PHASE_RUNNING");
                gone.EnterPhase("NODE_PHASE_SUCCEEDED", spec.Anchor.AddDays(-3));
                cluster.AddWorker(gone);

                AddHistory(store, cluster, spec.TogetherRemediationsPerCluster, random, spec.Anchor.AddHours(-2));
                for (var p = 0; p < 2; p++)
                {
                    var target = cluster.Workers[Math.Min(p + 1, cluster.Workers.Count - 1)];
                    var at = spec.Anchor.AddMinutes(-30 + (10 * p));
                    store.Add(cluster, PendingApproval(store, random, cluster, target, at, p));
                }
            }
        }

        return store;
    }

    /// <summary>Terminal-state history for <paramref name="cluster"/>, newest at <paramref name="newest"/>, one minute apart.</summary>
    public static void AddHistory(TgStore store, TgCluster cluster, int count, SeedRandom random, DateTimeOffset newest)
    {
        if (count <= 0 || cluster.WorkersByInstance.Count == 0)
        {
            return;
        }

        var live = cluster.Workers.Count > 0 ? cluster.Workers : cluster.DeletedWorkers;
        var deleted = cluster.DeletedWorkers.Count > 0 ? cluster.DeletedWorkers[0] : live[0];
        var list = new List<TgRemediation>(count);
        for (var i = 0; i < count; i++)
        {
            // Workers 0-2 get no history among the first entries, so tests start from clean nodes; the deleted worker gets some.
            var target = i % 6 == 3 ? deleted : live[((i * 7) + 3) % live.Count];
            var stateName = HistoryStates[i % HistoryStates.Length];
            var created = newest.AddMinutes(-(count - i));
            var automated = i % 2 == 1;
            var rejected = stateName == "CANCELLED" && automated;
            var reviewed = automated && stateName != "AUTO_RESOLVED";
            var started = created.AddSeconds(40);
            var remediation = new TgRemediation
            {
                Id = random.Uuid(),
                Seq = store.NextSeq(),
                ClusterId = cluster.ClusterId,
                InstanceId = target.InstanceId,
                InstanceName = target.HostName,
                Mode = HistoryModes[i % HistoryModes.Length],
                Trigger = automated ? "REMEDIATION_TRIGGER_AUTOMATED" : "REMEDIATION_TRIGGER_MANUAL",
                State = stateName,
                Reason = Reasons[i % Reasons.Length],
                RequestedBy = automated ? SystemRequester : "ops@example.com",
                PassiveHealthCheckEventId = automated ? "phc-" + random.Hex(12) : null,
                CreateTime = created,
                ReviewedBy = reviewed ? "ops@example.com" : null,
                ReviewTime = reviewed ? created.AddSeconds(20) : null,
                ReviewComment = rejected ? "Not needed: the job owner is draining the node." : reviewed ? "approved" : null,
                StartTime = stateName is "SUCCEEDED" or "FAILED" or "QUARANTINED" ? started : null,
                EndTime = stateName == "QUARANTINED" ? null : created.AddSeconds(50),
                ErrorMessage = stateName == "FAILED" ? "Replacement VM failed health checks after boot." : null,
                UpdateTime = created.AddSeconds(50),
            };
            list.Add(remediation);
        }

        store.AddMany(cluster, list);
    }

    private static TgRemediation PendingApproval(TgStore store, SeedRandom random, TgCluster cluster, TgWorker target, DateTimeOffset at, int p) => new()
    {
        Id = random.Uuid(),
        Seq = store.NextSeq(),
        ClusterId = cluster.ClusterId,
        InstanceId = target.InstanceId,
        InstanceName = target.HostName,
        Mode = p == 0 ? "REMEDIATION_MODE_VM_ONLY" : "REMEDIATION_MODE_HOST_AWARE",
        Trigger = "REMEDIATION_TRIGGER_AUTOMATED",
        State = "PENDING_APPROVAL",
        Reason = Reasons[p],
        RequestedBy = SystemRequester,
        PassiveHealthCheckEventId = p == 0 ? "phc-" + random.Hex(12) : null,
        ActiveHealthCheckRunId = p == 1 ? random.Uuid() : null,
        CreateTime = at,
        UpdateTime = at,
        LinkedAlerts = p == 0
            ?
            [
                new TgLinkedAlertWire(
                    "GPUFellOffTheBus",
                    new Dictionary<string, string>(StringComparer.Ordinal) { ["summary"] = Reasons[0], ["gpu"] = "3" },
                    cluster.ClusterId,
                    "alert-" + random.Hex(10),
                    "PHC_SEVERITY_CRITICAL",
                    at.AddMinutes(-2),
                    target.HostName,
                    target.InstanceId,
                    null),
            ]
            : null,
    };

    public static TgWorker NewWorker(SeedRandom random, TgCluster cluster, int k, int nodeIndex, DateTimeOffset created, DateTimeOffset? deletedAt, bool markedForDeletion)
    {
        var host = string.Create(CultureInfo.InvariantCulture, $"{cluster.Name}-gpu-{k:D3}");
        return new TgWorker
        {
            NodeId = random.Uuid(),
            NodeName = host,
            HostName = host,
            InstanceId = "i-0" + random.Hex(16),
            Status = "Pending",
            PublicIpv4 = SeedRandom.Ip(38, nodeIndex),
            AutoRemediationEnabled = k % 3 != 0,
            MarkedForDeletion = markedForDeletion,
            DeletedAt = deletedAt,
        };
    }

    public static void AddWorkerPhases(TgWorker worker, DateTimeOffset start, string finalPhase)
    {
        worker.EnterPhase("NODE_PHASE_PENDING", start);
        worker.EnterPhase("NODE_PHASE_SCHEDULING", start.AddSeconds(20));
        worker.EnterPhase("NODE_PHASE_BOOTING", start.AddMinutes(1));
        worker.EnterPhase("NODE_PHASE_BOOTSTRAPPING", start.AddMinutes(4));
        if (finalPhase is "NODE_PHASE_BOOTING" or "NODE_PHASE_BOOTSTRAPPING")
        {
            worker.Phases.RemoveAll(p => finalPhase == "NODE_PHASE_BOOTING" && p.Phase == "NODE_PHASE_BOOTSTRAPPING");
            worker.Status = TgWorker.StatusFor(finalPhase);
            return;
        }

        worker.EnterPhase("NODE_PHASE_RUNNING", start.AddMinutes(9));
        if (finalPhase != "NODE_PHASE_RUNNING")
        {
            worker.EnterPhase(finalPhase, start.AddDays(20));
        }
    }

    public static void AddClusterPhases(TgCluster cluster, DateTimeOffset created, bool degraded)
    {
        string[] phases =
        [
            "CLUSTER_PHASE_QUEUED", "CLUSTER_PHASE_SCHEDULED", "CLUSTER_PHASE_WAITING_FOR_CONTROL_PLANE_NODES",
            "CLUSTER_PHASE_WAITING_FOR_DATA_PLANE_NODES", "CLUSTER_PHASE_INSTALLING_DRIVERS",
            "CLUSTER_PHASE_RUNNING_ACCEPTANCE_TESTS", "CLUSTER_PHASE_READY",
        ];
        for (var i = 0; i < phases.Length; i++)
        {
            cluster.Phases.Add(new TgPhase(phases[i], created.AddMinutes(5 * i)));
        }

        if (degraded)
        {
            cluster.Phases.Add(new TgPhase("CLUSTER_PHASE_DEGRADED", created.AddDays(30)));
        }
    }
}
