using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using NodeOps.Emulator.Admin;
using NodeOps.Emulator.Hosting;

namespace NodeOps.Emulator.Together;

/// <summary>
/// Together AI GPU clusters and instance remediations. Remediation endpoints answer errors as grpc-gateway
/// rpcStatus <c>{code, message, details}</c>; cluster endpoints as <c>{error:{message, type, code}}</c>.
/// </summary>
internal sealed partial class TogetherApi(EmulatorState state) : IProviderApi
{
    public const string ApiUser = "api-user@example.com";

    private const int DefaultPageSize = 50;
    private const int MaxPageSize = 1000;

    private static readonly HashSet<string> Modes = new(StringComparer.Ordinal)
    {
        "REMEDIATION_MODE_VM_ONLY", "REMEDIATION_MODE_HOST_AWARE", "REMEDIATION_MODE_EVICT_WITHOUT_REPLACEMENT",
        "REMEDIATION_MODE_REBOOT_VM", "REMEDIATION_MODE_HOST_POWER_CYCLE",
    };

    private static readonly HashSet<string> States = new(StringComparer.Ordinal)
    {
        "PENDING_APPROVAL", "PENDING", "RUNNING", "SUCCEEDED", "FAILED", "CANCELLED", "AUTO_RESOLVED", "QUARANTINING", "QUARANTINED",
    };

    private static readonly HashSet<string> Triggers = new(StringComparer.Ordinal) { "REMEDIATION_TRIGGER_MANUAL", "REMEDIATION_TRIGGER_AUTOMATED" };

    private volatile TgStore _store = new();

    public Provider Provider => Provider.Together;

    public void Reseed(SeedSpec seed) => _store = TgSeeder.Seed(seed);

    public void MapRoutes(IEndpointRouteBuilder routes)
    {
        const string Remediations = "/v1/compute/clusters/{cluster_id}/instances/{instance_id}/remediations";
        routes.MapGet("/v1/compute/clusters", ListClustersAsync);
        routes.MapGet("/v1/compute/clusters/{cluster_id}", GetClusterAsync);
        routes.MapPost(Remediations, CreateRemediationAsync);
        routes.MapGet(Remediations, ListRemediationsAsync);
        routes.MapGet(Remediations + "/{remediation_id}", GetRemediationAsync);
        routes.MapPost(Remediations + "/{remediation_id}/approve", c => ReviewAsync(c, c.RouteId("remediation_id"), "approve"));
        routes.MapPost(Remediations + "/{remediation_id}/reject", c => ReviewAsync(c, c.RouteId("remediation_id"), "reject"));
        routes.MapPost(Remediations + "/{remediation_id}/cancel", c => ReviewAsync(c, c.RouteId("remediation_id"), "cancel"));
        // grpc-gateway custom-method spelling: .../remediations/{id}:approve
        routes.MapPost(Remediations + "/{remediation_action}", CustomMethodAsync);
    }

    public Task WriteErrorAsync(HttpContext context, int status, string message)
        => IsRemediationPath(context)
            ? RpcErrorAsync(context, status, GrpcCode(status), message)
            : ClusterErrorAsync(context, status, message);

    private static bool IsRemediationPath(HttpContext context)
        => (context.Request.Path.Value ?? "").Contains("/remediations", StringComparison.OrdinalIgnoreCase);

    /// <summary>google.rpc.Code for an HTTP status, as grpc-gateway maps them.</summary>
    private static int GrpcCode(int status) => status switch
    {
        400 => 3,
        401 => 16,
        403 => 7,
        404 => 5,
        405 => 12,
        409 => 6,
        412 => 9,
        429 => 8,
        499 => 1,
        501 => 12,
        502 or 503 => 14,
        504 => 4,
        _ => status >= 500 ? 13 : 2,
    };

    private static Task RpcErrorAsync(HttpContext context, int status, int code, string message)
        => context.WriteJsonAsync(status, new TgRpcStatusWire(code, message, []), WireJson.Snake);

    private static Task ClusterErrorAsync(HttpContext context, int status, string message)
    {
        var (type, code) = status switch
        {
            401 => ("invalid_request_error", "invalid_api_key"),
            404 => ("invalid_request_error", "not_found"),
            429 => ("rate_limit_exceeded", "rate_limit_exceeded"),
            >= 500 => ("server_error", status == 503 ? "service_unavailable" : "internal_error"),
            _ => ("invalid_request_error", (string?)null),
        };
        return context.WriteJsonAsync(status, new TgErrorDataWire(new TgErrorDetailWire(message, type, code)), WireJson.Snake);
    }

    private Task ListClustersAsync(HttpContext context)
    {
        var project = context.Query("projectId", "project_id");
        var store = _store;
        lock (store.Gate)
        {
            var clusters = store.Clusters
                .Where(c => string.IsNullOrEmpty(project) || c.ProjectId == project)
                .Select(c =>
                {
                    Advance(c);
                    return ToWire(c);
                })
                .ToList();
            return context.WriteJsonAsync(200, new TgClusterListWire(clusters), WireJson.Snake);
        }
    }

    private Task GetClusterAsync(HttpContext context)
    {
        var store = _store;
        lock (store.Gate)
        {
            var id = context.RouteId("cluster_id");
            if (!store.ClustersById.TryGetValue(id, out var cluster))
            {
                return ClusterErrorAsync(context, 404, $"cluster {id} not found");
            }

            Advance(cluster);
            return context.WriteJsonAsync(200, ToWire(cluster), WireJson.Snake);
        }
    }

    private readonly record struct Reply(int Status, object Body);

    private static Reply Rpc(int status, int code, string message) => new(status, new TgRpcStatusWire(code, message, []));

    private static Task SendAsync(HttpContext context, Reply reply) => context.WriteJsonAsync(reply.Status, reply.Body, WireJson.Snake);

    private async Task CreateRemediationAsync(HttpContext context)
    {
        var body = await context.ReadJsonAsync().ConfigureAwait(false);
        await SendAsync(context, CreateRemediation(context, body)).ConfigureAwait(false);
    }

    private Reply CreateRemediation(HttpContext context, JsonBody body)
    {
        if (!body.Present)
        {
            return Rpc(400, 3, "request body is required: {\"mode\": ..., \"reason\": ...}");
        }

        if (body.Error is not null || body.Root.ValueKind != JsonValueKind.Object)
        {
            return Rpc(400, 3, body.Error ?? "request body must be a JSON object");
        }

        var mode = body.Root.StringProperty("mode");
        if (string.IsNullOrEmpty(mode))
        {
            return Rpc(400, 3, "mode is required");
        }

        if (!Modes.Contains(mode))
        {
            return Rpc(400, 3, $"invalid value for enum field mode: \"{mode}\"");
        }

        if (body.Root.HasProperty("reason") && body.Root.GetProperty("reason").ValueKind != JsonValueKind.String)
        {
            return Rpc(400, 3, "reason must be a string");
        }

        var reason = body.Root.StringProperty("reason");
        var requestedId = context.Query("remediation_id", "remediationId");
        if (string.IsNullOrEmpty(requestedId))
        {
            requestedId = null;
        }

        var fingerprint = mode + "\n" + (reason ?? "");
        var clusterId = context.RouteId("cluster_id");
        var instanceId = context.RouteId("instance_id");
        var store = _store;
        lock (store.Gate)
        {
            if (!store.ClustersById.TryGetValue(clusterId, out var cluster))
            {
                return Rpc(404, 5, $"cluster {clusterId} not found");
            }

            Advance(cluster);
            if (!cluster.WorkersByInstance.TryGetValue(instanceId, out var worker) || worker.DeletedAt is not null)
            {
                return Rpc(404, 5, $"instance {instanceId} not found in cluster {clusterId}");
            }

            if (requestedId is not null && store.RemediationsById.TryGetValue(requestedId, out var existing))
            {
                // Same remediation_id and same request: hand back what exists and create nothing.
                return existing.ClusterId == clusterId && existing.InstanceId == instanceId && existing.RequestFingerprint == fingerprint
                    ? new Reply(200, existing.ToWire())
                    : Rpc(409, 6, $"remediation {requestedId} already exists with a different cluster, instance or body");
            }

            var now = state.Now;
            var remediation = new TgRemediation
            {
                Id = requestedId ?? Guid.NewGuid().ToString("D"),
                Seq = store.NextSeq(),
                ClusterId = clusterId,
                InstanceId = instanceId,
                InstanceName = worker.HostName,
                Mode = mode,
                Trigger = "REMEDIATION_TRIGGER_MANUAL",
                State = "PENDING",
                Reason = reason,
                RequestedBy = ApiUser,
                CreateTime = now,
                UpdateTime = now,
                PendingSince = now,
                RequestFingerprint = fingerprint,
            };
            store.Add(cluster, remediation);
            state.Counters.Remediation(Provider.Together, clusterId + "/" + instanceId);
            return new Reply(200, remediation.ToWire());
        }
    }

    private Task GetRemediationAsync(HttpContext context)
    {
        var store = _store;
        Reply reply;
        lock (store.Gate)
        {
            var (remediation, error) = Find(store, context, context.RouteId("remediation_id"));
            reply = remediation is null ? error : new Reply(200, remediation.ToWire());
        }

        return SendAsync(context, reply);
    }

    private Task CustomMethodAsync(HttpContext context)
    {
        var raw = context.RouteId("remediation_action");
        var colon = raw.LastIndexOf(':');
        var action = colon > 0 ? raw[(colon + 1)..] : "";
        if (action is not ("approve" or "reject" or "cancel"))
        {
            return SendAsync(context, Rpc(404, 5, $"no POST method for remediation path segment '{raw}'"));
        }

        return ReviewAsync(context, raw[..colon], action);
    }

    private async Task ReviewAsync(HttpContext context, string remediationId, string action)
    {
        var body = await context.ReadJsonAsync().ConfigureAwait(false);
        await SendAsync(context, Review(context, body, remediationId, action)).ConfigureAwait(false);
    }

    private Reply Review(HttpContext context, JsonBody body, string remediationId, string action)
    {
        string? comment = null;
        string? modeOverride = null;
        if (action == "approve" && !body.Present)
        {
            return Rpc(400, 3, "request body is required for approve (send {} when there is nothing to say)");
        }

        if (action != "cancel" && body.Present)
        {
            if (body.Error is not null || body.Root.ValueKind != JsonValueKind.Object)
            {
                return Rpc(400, 3, body.Error ?? "request body must be a JSON object");
            }

            comment = body.Root.StringProperty("comment");
            if (action == "approve")
            {
                modeOverride = body.Root.StringProperty("mode");
                if (modeOverride is not null && (!Modes.Contains(modeOverride) || modeOverride == "REMEDIATION_MODE_HOST_POWER_CYCLE"))
                {
                    return Rpc(400, 3, $"mode {modeOverride} cannot be used when approving a remediation");
                }
            }
        }

        var store = _store;
        lock (store.Gate)
        {
            var (remediation, error) = Find(store, context, remediationId);
            if (remediation is null)
            {
                return error;
            }

            var allowed = action == "cancel"
                ? remediation.State is "PENDING_APPROVAL" or "PENDING"
                : remediation.State == "PENDING_APPROVAL";
            if (!allowed)
            {
                var from = action == "cancel" ? "PENDING_APPROVAL or PENDING" : "PENDING_APPROVAL";
                return Rpc(400, 9, $"cannot {action} remediation {remediation.Id} in state {remediation.State}; only allowed from {from}");
            }

            var now = state.Now;
            var cluster = store.ClustersById[remediation.ClusterId];
            switch (action)
            {
                case "approve":
                    remediation.State = "PENDING";
                    remediation.PendingSince = now;
                    remediation.Mode = modeOverride ?? remediation.Mode;
                    SetReview(remediation, comment, now);
                    cluster.Active.Add(remediation);
                    break;
                case "reject":
                    remediation.State = "CANCELLED";
                    remediation.EndTime = now;
                    SetReview(remediation, comment, now);
                    break;
                default:
                    remediation.State = "CANCELLED";
                    remediation.EndTime = now;
                    cluster.Active.Remove(remediation);
                    break;
            }

            remediation.UpdateTime = now;
            return new Reply(200, remediation.ToWire());
        }
    }

    private static void SetReview(TgRemediation remediation, string? comment, DateTimeOffset now)
    {
        remediation.ReviewedBy = ApiUser;
        remediation.ReviewTime = now;
        remediation.ReviewComment = comment ?? "";
    }

    /// <summary>Looks a remediation up by cluster, instance (or <c>-</c>) and id; on failure returns the error reply.</summary>
    private (TgRemediation? Remediation, Reply Error) Find(TgStore store, HttpContext context, string remediationId)
    {
        var clusterId = context.RouteId("cluster_id");
        var instanceId = context.RouteId("instance_id");
        if (!store.ClustersById.TryGetValue(clusterId, out var cluster))
        {
            return (null, Rpc(404, 5, $"cluster {clusterId} not found"));
        }

        Advance(cluster);
        if (!store.RemediationsById.TryGetValue(remediationId, out var remediation)
            || remediation.ClusterId != clusterId
            || (instanceId != "-" && remediation.InstanceId != instanceId))
        {
            return (null, Rpc(404, 5, $"remediation {remediationId} not found"));
        }

        return (remediation, default);
    }

    private void Advance(TgCluster cluster)
    {
        if (cluster.Active.Count == 0)
        {
            return;
        }

        var now = state.Now;
        var step = state.Settings.TogetherStepMs;
        foreach (var remediation in cluster.Active.ToList())
        {
            cluster.WorkersByInstance.TryGetValue(remediation.InstanceId, out var worker);
            remediation.Advance(now, step, worker);
            if (!remediation.IsActive)
            {
                cluster.Active.Remove(remediation);
            }
        }
    }

    private static TgClusterWire ToWire(TgCluster cluster)
    {
        var cp = cluster.ControlPlane;
        var controlPlane = cp is null
            ? []
            : new List<TgControlPlaneNodeWire>
            {
                new(cp.NodeId, cp.HostName, "Ready", 16, 64, "10.0.0.0/16", cp.PublicIpv4, [new TgPhaseTransitionWire("NODE_PHASE_RUNNING", cp.ReadyAt)]),
            };
        return new TgClusterWire(
            cluster.ClusterId,
            cluster.Name,
            cluster.ClusterType,
            cluster.Region,
            cluster.ProjectId,
            cluster.GpuType,
            cluster.Status,
            cluster.Workers.Sum(w => w.NumGpus),
            cluster.BillingType == "RESERVED" ? cluster.Workers.Sum(w => w.NumGpus) : 0,
            0,
            0,
            0,
            0,
            cluster.BillingType,
            cluster.CreatedAt,
            "12.4",
            "550.90.07",
            "apiVersion: v1\nkind: Config\nclusters: []\n",
            [],
            controlPlane,
            cluster.Workers.Select(ToWire).ToList(),
            cluster.DeletedWorkers.Select(ToWire).ToList(),
            cluster.Phases.Select(p => new TgPhaseTransitionWire(p.Phase, p.Time)).ToList(),
            [new TgVolumeWire("vol-" + cluster.ClusterId[..Math.Min(8, cluster.ClusterId.Length)], "shared", 10, "Bound")]);
    }

    private static TgWorkerNodeWire ToWire(TgWorker worker) => new(
        worker.NodeId,
        worker.NodeName,
        worker.HostName,
        worker.Status,
        208,
        worker.NumGpus,
        1843.2,
        ["10.1.0.0/16"],
        worker.InstanceId,
        worker.PublicIpv4,
        worker.AutoRemediationEnabled,
        worker.Latest?.ToWire(),
        worker.MarkedForDeletion,
        worker.Phases.Select(p => new TgPhaseTransitionWire(p.Phase, p.Time)).ToList(),
        8,
        "ConnectX-7",
        4,
        "NVSwitch-Gen4",
        worker.DeletedAt);
}
