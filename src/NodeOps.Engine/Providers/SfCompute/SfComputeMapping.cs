using NodeOps.Engine.Json;

namespace NodeOps.Engine.Providers.SfCompute;

/// <summary>SF Compute wire objects → the common model (providers-api.md §5).</summary>
internal static class SfComputeMapping
{
    public const string RedeployAction = "redeploy";

    private const CloudProvider P = CloudProvider.SFCompute;

    /// <summary>A <c>GET /v1/nodes</c> reply's nodes, null entries skipped.</summary>
    public static List<SfComputeNode> ToNodes(SfNodeList list, Uri endpoint)
    {
        var nodes = new List<SfComputeNode>(list.Data?.Count ?? 0);
        foreach (var n in list.Data ?? [])
        {
            if (n is not null)
            {
                nodes.Add(ToNode(n, endpoint));
            }
        }

        return nodes;
    }

    public static SfComputeNode ToNode(SfNode n, Uri endpoint)
    {
        var id = Wire.Require(n.Id, "id", P, "node");
        var what = new WireSubject("node", id);
        var current = n.CurrentVm is { } c ? ToVm(c, id) : null;
        var vms = new List<SfComputeVm>(n.Vms?.Data?.Count ?? 0);
        if (n.Vms?.Data is { } data)
        {
            // A plain loop rather than Wire.Entries (null entries skipped the same way): this runs for every node.
            foreach (var v in data)
            {
                if (v is not null)
                {
                    vms.Add(ToVm(v, id));
                }
            }
        }

        return new SfComputeNode
        {
            Provider = P,
            Id = id,
            Name = n.Name,
            Status = NodeStatusOf(n.Status, current?.Status, HadEarlierVm(current, vms)),
            ProviderStatus = n.Status,
            GpuType = n.GpuType,
            GpuCount = null,
            Region = null,
            Zone = n.Zone,
            ClusterId = n.ProcurementId,
            CreatedAt = Wire.FromUnixSeconds(n.CreatedAt, P, what),
            Endpoint = endpoint,
            Owner = n.Owner,
            NodeType = n.NodeType,
            ProcurementId = n.ProcurementId,
            MaxPricePerNodeHour = n.MaxPricePerNodeHour,
            StartAt = Wire.FromUnixSeconds(n.StartAt, P, what),
            EndAt = Wire.FromUnixSeconds(n.EndAt, P, what),
            UpdatedAt = Wire.FromUnixSeconds(n.UpdatedAt, P, what),
            DeletedAt = Wire.FromUnixSeconds(n.DeletedAt, P, what),
            CurrentVm = current,
            Vms = vms,
        };
    }

    public static SfComputeVm ToVm(SfVm v, string nodeId)
    {
        var id = Wire.Require(v.Id, "id", P, ((WireSubject)"VM").Of("node", nodeId));
        var what = new WireSubject("VM", id).Of("node", nodeId);
        return new SfComputeVm
        {
            Id = id,
            Status = v.Status,
            ImageId = v.ImageId,
            Zone = v.Zone,
            CreatedAt = Wire.FromUnixSeconds(v.CreatedAt, P, what),
            StartAt = Wire.FromUnixSeconds(v.StartAt, P, what),
            EndAt = Wire.FromUnixSeconds(v.EndAt, P, what),
            UpdatedAt = Wire.FromUnixSeconds(v.UpdatedAt, P, what),
        };
    }

    /// <summary>
    /// Whether the node had a VM before its current one, i.e. the current VM came from a redeploy.
    /// <c>vms</c> lists every VM of the node, the current one included (seed 004); any other VM there
    /// is an earlier one. Without a <c>vms</c> list there is no evidence of a redeploy.
    /// </summary>
    public static bool HadEarlierVm(SfComputeVm? current, IReadOnlyList<SfComputeVm> vms) =>
        current is not null && vms.Any(v => !string.Equals(v.Id, current.Id, StringComparison.Ordinal));

    /// <summary>
    /// Node <c>status</c> (lowercase on the wire; compared case-insensitively all the same), refined by
    /// the current VM while the node is <c>running</c>.
    /// </summary>
    public static GpuNodeStatus NodeStatusOf(string? status, string? vmStatus, bool redeployed)
    {
        if (Is(status, "running"))
        {
            if (Is(vmStatus, "Pending"))
            {
                // A new VM on a running node: a redeploy in progress, or the first VM still booting.
                return redeployed ? GpuNodeStatus.Remediating : GpuNodeStatus.Provisioning;
            }

            return Is(vmStatus, "NodeFailure") ? GpuNodeStatus.Failed : GpuNodeStatus.Ready;
        }

        return status?.ToUpperInvariant() switch
        {
            "PENDING" or "AWAITINGCAPACITY" => GpuNodeStatus.Provisioning,

            // Judgement (§5): a released autoreserved node runs on until its end_at.
            "RELEASED" => GpuNodeStatus.Terminating,
            "TERMINATED" or "DELETED" => GpuNodeStatus.Terminated,
            "FAILED" => GpuNodeStatus.Failed,
            _ => GpuNodeStatus.Unknown,
        };
    }

    /// <summary>
    /// A redeploy's state from its VM's status: Pending → Running, Running → Succeeded,
    /// NodeFailure → Failed. Destroyed → Failed (a judgement, see <see cref="DestroyedError"/>):
    /// a destroyed VM never comes back, so the state must be terminal or a wait would spin until it
    /// times out; and a redeploy whose VM is gone did not leave the node running it.
    /// Unspecified and anything new → Unknown.
    /// </summary>
    public static RemediationState RemediationStateOf(string? vmStatus) =>
        vmStatus?.ToUpperInvariant() switch
        {
            "PENDING" => RemediationState.Running,
            "RUNNING" => RemediationState.Succeeded,
            "NODEFAILURE" => RemediationState.Failed,
            "DESTROYED" => RemediationState.Failed,
            _ => RemediationState.Unknown,
        };

    /// <summary>The redeploy whose new VM is <paramref name="vm"/>, on <paramref name="node"/>.</summary>
    public static SfComputeRemediation ToRemediation(SfComputeVm vm, SfComputeNode node)
    {
        var state = RemediationStateOf(vm.Status);
        return new SfComputeRemediation
        {
            Provider = P,
            Id = vm.Id,
            NodeId = node.Id,
            NodeName = node.Name,
            ClusterId = node.ClusterId,
            Action = RedeployAction,
            State = state,
            ProviderState = vm.Status,
            CreatedAt = vm.CreatedAt,
            StartedAt = vm.StartAt,

            // The VM's last change is when it reached its final status; SF Compute records no other time.
            CompletedAt = state.IsTerminal() ? vm.UpdatedAt : null,
            Error = state == RemediationState.Failed ? FailureText(vm, node) : null,
            Endpoint = node.Endpoint,
            ImageId = vm.ImageId,
            Zone = vm.Zone,
        };
    }

    /// <summary>
    /// The redeploy a redeploy reply describes. The reply is the node with its new VM as
    /// <c>current_vm</c>; without one there is nothing to track, so the redeploy is reported as
    /// accepted with no id.
    /// </summary>
    public static SfComputeRemediation ToRedeploy(SfComputeNode node)
    {
        if (node.CurrentVm is { } vm)
        {
            return ToRemediation(vm, node);
        }

        return new SfComputeRemediation
        {
            Provider = P,
            Id = null,
            NodeId = node.Id,
            NodeName = node.Name,
            ClusterId = node.ClusterId,
            Action = RedeployAction,
            State = RemediationState.Accepted,
            Endpoint = node.Endpoint,
        };
    }

    private static string? FailureText(SfComputeVm vm, SfComputeNode node)
    {
        if (Is(vm.Status, "NodeFailure"))
        {
            return $"VM '{vm.Id}' reports {vm.Status}.";
        }

        return DestroyedError(vm, node);
    }

    /// <summary>Why a destroyed VM counts as a failed redeploy, and what replaced it.</summary>
    private static string DestroyedError(SfComputeVm vm, SfComputeNode node)
    {
        var successor = node.CurrentVm is { } current && current.Id != vm.Id ? current.Id : null;
        return successor is null
            ? $"VM '{vm.Id}' was destroyed and the node has no VM running in its place; it may have run before that, but SF Compute keeps no record of it."
            : $"VM '{vm.Id}' was destroyed and replaced by VM '{successor}' (a later redeploy); it may have run before that, but SF Compute keeps no record of it.";
    }

    private static bool Is(string? value, string expected) => string.Equals(value, expected, StringComparison.OrdinalIgnoreCase);
}
