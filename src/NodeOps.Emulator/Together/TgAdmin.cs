using NodeOps.Emulator.Admin;
using NodeOps.Emulator.Hosting;

namespace NodeOps.Emulator.Together;

/// <summary>Admin hooks: add worker nodes, system-created remediations and bulk history.</summary>
internal sealed partial class TogetherApi
{
    public AdminResult AddNode(AdminNodeRequest request)
    {
        var store = _store;
        lock (store.Gate)
        {
            var cluster = ClusterFor(store, request.ClusterId, create: true);
            if (cluster is null)
            {
                return AdminResult.Error(400, "There is no cluster; give clusterId to create one.");
            }

            if (cluster.WorkersByInstance.ContainsKey(request.Id))
            {
                return AdminResult.Error(409, $"Instance '{request.Id}' already exists in cluster '{cluster.ClusterId}'.");
            }

            var name = request.Name ?? request.Id;
            var worker = new TgWorker
            {
                NodeId = Guid.NewGuid().ToString("D"),
                NodeName = name,
                HostName = name,
                InstanceId = request.Id,
                Status = "Pending",
                PublicIpv4 = "203.0.113.10",
                AutoRemediationEnabled = true,
            };
            worker.EnterPhase(request.Phase ?? "NODE_PHASE_RUNNING", state.Now);
            worker.Status = request.Status ?? worker.Status;
            cluster.AddWorker(worker);
            return new AdminResult(201, ToWire(worker), true);
        }
    }

    public AdminResult AddSystemRemediation(AdminRemediationRequest request)
    {
        var store = _store;
        lock (store.Gate)
        {
            if (!store.ClustersById.TryGetValue(request.ClusterId, out var cluster))
            {
                return AdminResult.Error(404, $"Cluster '{request.ClusterId}' not found.");
            }

            if (!cluster.WorkersByInstance.TryGetValue(request.InstanceId, out var worker))
            {
                return AdminResult.Error(404, $"Instance '{request.InstanceId}' not found in cluster '{request.ClusterId}'.");
            }

            var id = string.IsNullOrEmpty(request.Id) ? Guid.NewGuid().ToString("D") : request.Id;
            if (store.RemediationsById.ContainsKey(id))
            {
                return AdminResult.Error(409, $"Remediation '{id}' already exists.");
            }

            Advance(cluster);
            var now = state.Now;
            var remediationState = request.State ?? "PENDING_APPROVAL";
            var remediation = new TgRemediation
            {
                Id = id,
                Seq = store.NextSeq(),
                ClusterId = cluster.ClusterId,
                InstanceId = worker.InstanceId,
                InstanceName = worker.HostName,
                Mode = request.Mode ?? "REMEDIATION_MODE_VM_ONLY",
                Trigger = request.Trigger ?? "REMEDIATION_TRIGGER_AUTOMATED",
                State = remediationState,
                Reason = request.Reason ?? "Passive health check: GPU Xid 79 on GPU 0",
                RequestedBy = TgSeeder.SystemRequester,
                PassiveHealthCheckEventId = "phc-" + Guid.NewGuid().ToString("N")[..12],
                CreateTime = now,
                UpdateTime = now,
                PendingSince = remediationState == "PENDING" ? now : null,
                StartTime = remediationState == "RUNNING" ? now : null,
            };
            store.Add(cluster, remediation);
            return new AdminResult(201, remediation.ToWire(), true);
        }
    }

    public AdminResult AddBulkHistory(string clusterId, int count)
    {
        if (count is < 1 or > 2_000_000)
        {
            return AdminResult.Error(400, "count must be between 1 and 2000000.");
        }

        var store = _store;
        lock (store.Gate)
        {
            if (!store.ClustersById.TryGetValue(clusterId, out var cluster))
            {
                return AdminResult.Error(404, $"Cluster '{clusterId}' not found.");
            }

            var random = new SeedRandom(SeedRandom.For(state.CurrentSeed.Seed, "together-bulk|" + clusterId + "|" + cluster.Remediations.Count));
            TgSeeder.AddHistory(store, cluster, count, random, state.Now.AddDays(-1));
            return new AdminResult(201, new BulkResult(cluster.ClusterId, count, cluster.Remediations.Count), false);
        }
    }

    private TgCluster? ClusterFor(TgStore store, string? clusterId, bool create)
    {
        if (string.IsNullOrEmpty(clusterId))
        {
            return store.Clusters.Count > 0 ? store.Clusters[0] : null;
        }

        if (store.ClustersById.TryGetValue(clusterId, out var cluster) || !create)
        {
            return cluster;
        }

        var now = state.Now;
        cluster = new TgCluster
        {
            ClusterId = clusterId,
            Name = "admin-" + clusterId,
            Region = "us-central-8",
            ProjectId = "proj_admin",
            GpuType = "H100_SXM",
            Status = "Ready",
            BillingType = "ON_DEMAND",
            ClusterType = "KUBERNETES",
            CreatedAt = now,
        };
        TgSeeder.AddClusterPhases(cluster, now, degraded: false);
        store.Add(cluster);
        return cluster;
    }

    private sealed record BulkResult(string ClusterId, int Added, int Total);
}
