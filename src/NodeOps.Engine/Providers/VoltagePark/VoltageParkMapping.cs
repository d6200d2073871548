using NodeOps.Engine.Json;

namespace NodeOps.Engine.Providers.VoltagePark;

/// <summary>One node's entry in its fleet's health, its time already read.</summary>
internal readonly record struct HealthEntry(string? Status, DateTimeOffset? UpdatedAt);

/// <summary>Voltage Park wire objects → the common model (providers-api.md §5).</summary>
internal static class VoltageParkMapping
{
    private const CloudProvider P = CloudProvider.VoltagePark;

    public static VoltageParkNode ToNode(VpNode n, string fleetId, string? region, Uri endpoint, HealthEntry? health = null, string? fleetName = null) =>
        Build(n, Wire.Require(n.NodeName, "nodeName", P, new WireSubject("node of fleet", fleetId)), fleetId, region, endpoint, health, fleetName);

    /// <summary>
    /// The node from its wire object and the id already required of it. Nothing left here can be invalid
    /// (health comes with its time already read), so it cannot fail: a node mapped in its reply's read can be
    /// rebuilt with health that arrived beside it, after both reads, where no error would be redacted.
    /// </summary>
    public static VoltageParkNode Build(VpNode n, string id, string fleetId, string? region, Uri endpoint, HealthEntry? health, string? fleetName)
    {
        // The node's own fleetId is optional (FleetNode has none); the fleet of the path the node was
        // read from is the one its node paths (and remediation) need.
        var fleet = fleetId;
        return new VoltageParkNode
        {
            Provider = P,
            Id = id,
            Name = id,
            Status = NodeStatusOf(n.State, health?.Status),
            ProviderStatus = n.State,
            GpuType = n.GpuType,
            GpuCount = null,
            Region = region,
            ClusterId = fleet,
            CreatedAt = null,
            Endpoint = endpoint,
            PublicIp = n.PublicIp,
            FleetId = fleet,
            State = n.State,
            Health = health?.Status,
            HealthUpdatedAt = health?.UpdatedAt,
            FleetName = fleetName,
        };
    }

    /// <summary>
    /// Node health by node id, for joining to nodes: entries without an id are skipped, and the first entry
    /// for an id wins. Each time is read here, in the health reply's read, so a bad one fails that reply
    /// (retried, and redacted, like any unreadable reply) rather than the join.
    /// </summary>
    public static Dictionary<string, HealthEntry> HealthByNode(VpFleetHealthResponse health)
    {
        var index = new Dictionary<string, HealthEntry>(StringComparer.Ordinal);
        foreach (var n in health.NodeHealth ?? [])
        {
            if (n?.NodeId is { Length: > 0 } id && !index.ContainsKey(id))
            {
                index.Add(id, new HealthEntry(n.Status, Wire.FromUnixMilliseconds(n.LastUpdatedAt, P, new WireSubject("health of node", id))));
            }
        }

        return index;
    }

    /// <summary>
    /// Node <c>state</c> → <see cref="GpuNodeStatus"/>, exactly per §5 (state names are matched as
    /// documented, upper case). A fleet health status of unhealthy or degraded lowers Ready and InUse
    /// to Degraded; it never raises a status, and it cannot override Provisioning, Terminating and the like.
    /// </summary>
    public static GpuNodeStatus NodeStatusOf(string? state, string? health)
    {
        var status = state switch
        {
            "PROVISIONING" or "ONBOARDING" or "CONFIGURING" or "BASELINING" or "TESTING" or "VALIDATION" => GpuNodeStatus.Provisioning,
            "READY" => GpuNodeStatus.Ready,
            "ACTIVE" => GpuNodeStatus.InUse,
            "UNHEALTHY" => GpuNodeStatus.Degraded,
            "FAILED_PROVISIONING" => GpuNodeStatus.Failed,

            // CONTRACTING is undocumented beyond its name; §5 treats it as on the way out (judgment).
            "CONTRACTING" or "TERMINATING" => GpuNodeStatus.Terminating,
            "TERMINATED" => GpuNodeStatus.Terminated,
            _ => GpuNodeStatus.Unknown,
        };

        // Health status is a plain string in the SDK (no enum validator), so it is compared without case.
        if (status is GpuNodeStatus.Ready or GpuNodeStatus.InUse
            && (string.Equals(health, "unhealthy", StringComparison.OrdinalIgnoreCase) || string.Equals(health, "degraded", StringComparison.OrdinalIgnoreCase)))
        {
            return GpuNodeStatus.Degraded;
        }

        return status;
    }

    /// <summary>
    /// FleetStatus → <see cref="ClusterStatus"/>. Judgment calls: INACTIVE → Paused (the fleet exists
    /// but does not run), DECOMMISSIONED → Terminated (retired for good), TERMINATING → Deleting.
    /// </summary>
    public static ClusterStatus ClusterStatusOf(string? status) => status switch
    {
        "ACTIVE" => ClusterStatus.Ready,
        "INACTIVE" => ClusterStatus.Paused,
        "PROVISIONING" => ClusterStatus.Provisioning,
        "SCALING_UP" or "SCALING_DOWN" => ClusterStatus.Scaling,
        "TERMINATING" => ClusterStatus.Deleting,
        "DECOMMISSIONED" or "TERMINATED" => ClusterStatus.Terminated,
        _ => ClusterStatus.Unknown,
    };

    public static VoltageParkFleet ToFleet(VpFleet f, string? region, Uri endpoint)
    {
        var id = Wire.Require(f.FleetId, "fleetId", P, "fleet");
        var what = new WireSubject("fleet", id);
        var spec = f.MinimumFootprint?.GpuNodes;
        var nodes = spec?.Nodes is { } listed ? Wire.Entries(listed).ToList() : null;
        var names = new List<string>();
        if (nodes is not null)
        {
            names.AddRange(nodes.Select(n => n.NodeName).OfType<string>().Where(s => s.Length > 0));
        }
        else if (spec?.ReservedNodes is { } reserved)
        {
            names.AddRange(reserved.Where(s => !string.IsNullOrEmpty(s)));
        }

        // The fleet has no GPU type of its own; use its nodes' gpuType when they all agree.
        var gpuTypes = nodes?.Select(n => n.GpuType).Where(t => !string.IsNullOrEmpty(t)).Distinct(StringComparer.Ordinal).ToList();
        return new VoltageParkFleet
        {
            Provider = P,
            Id = id,
            Name = f.Name,
            Status = ClusterStatusOf(f.Status),
            ProviderStatus = f.Status,
            Region = region,
            GpuType = gpuTypes is [var single] ? single : null,
            GpuCount = null,
            NodeCount = nodes?.Count ?? spec?.ReservedNodes?.Count ?? spec?.Replicas,
            CreatedAt = Wire.FromUnixMilliseconds(f.CreatedAt, P, what),
            Endpoint = endpoint,
            ComputeType = f.ComputeType,
            InstanceType = spec?.InstanceType,
            Network = f.Infrastructure?.Network,
            NodeNames = names,
            RequestedAt = Wire.FromUnixMilliseconds(f.RequestedAt, P, what),
            ProvisionedAt = Wire.FromUnixMilliseconds(f.ProvisionedAt, P, what),
            UpdatedAt = Wire.FromUnixMilliseconds(f.UpdatedAt, P, what),
        };
    }

    public static VoltageParkFleetHealth ToFleetHealth(VpFleetHealthResponse h, string fleetId, Uri endpoint)
    {
        var what = new WireSubject("health of fleet", fleetId);
        var nodes = new List<VoltageParkNodeHealth>();
        foreach (var n in Wire.Entries(h.NodeHealth))
        {
            nodes.Add(new VoltageParkNodeHealth
            {
                NodeId = Wire.Require(n.NodeId, "nodeHealth[].nodeId", P, what),
                Status = n.Status,
                LastUpdatedAt = Wire.FromUnixMilliseconds(n.LastUpdatedAt, P, what),
            });
        }

        return new VoltageParkFleetHealth
        {
            FleetId = string.IsNullOrEmpty(h.FleetId) ? fleetId : h.FleetId,
            Status = h.Status,
            KubernetesHealthJson = h.KubernetesHealth is { ValueKind: not System.Text.Json.JsonValueKind.Null and not System.Text.Json.JsonValueKind.Undefined } k ? k.GetRawText() : null,
            Nodes = nodes,
            Endpoint = endpoint,
        };
    }

    /// <summary>
    /// One <c>RemediateNodeResponse</c> → <see cref="Remediation"/>. Voltage Park issues no id: the
    /// idempotency key sent is the correlation id. A non-empty <c>rejectionCause</c> → Rejected (even
    /// if the status also says accepted: a contradictory answer is not reported as success);
    /// <c>accepted</c> → Accepted; <c>rejected</c> without a cause → Rejected; anything else → Unknown
    /// with the raw value kept.
    /// </summary>
    public static Remediation ToRemediation(VpRemediateNodeResponse r, string nodeId, string fleetId, string message, string cause, string idempotencyKey, Uri endpoint) => new()
    {
        Provider = P,
        Id = null,
        NodeId = nodeId,
        NodeName = nodeId,
        ClusterId = fleetId,
        Action = cause,
        Reason = message,
        State = RemediationStateOf(r.RemediateStatus, r.RejectionCause),
        ProviderState = r.RemediateStatus,
        Error = string.IsNullOrEmpty(r.RejectionCause) ? null : r.RejectionCause,
        IdempotencyKey = idempotencyKey,
        Endpoint = endpoint,
    };

    public static RemediationState RemediationStateOf(string? remediateStatus, string? rejectionCause)
    {
        if (!string.IsNullOrEmpty(rejectionCause))
        {
            return RemediationState.Rejected;
        }

        return remediateStatus switch
        {
            "accepted" => RemediationState.Accepted,
            "rejected" => RemediationState.Rejected,
            _ => RemediationState.Unknown,
        };
    }
}
