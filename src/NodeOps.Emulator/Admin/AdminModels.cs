namespace NodeOps.Emulator.Admin;

/// <summary>
/// <c>POST /_emulator/{provider}/nodes</c>: adds a node with this exact <see cref="Id"/> (any characters) and
/// raw <see cref="Status"/> string (unknown enum values welcome). Meaning per provider:
/// Voltage Park: id = nodeName, status = state, clusterId = fleetId (created as an ACTIVE fleet when new, default: first fleet).
/// Exalsius: id = node id, name = hostname, status = node_status, clusterId = cluster joined as worker, nodeType = CLOUD|SELF_MANAGED.
/// Together: id = instance_id, name = node_name/host_name, status = worker status, clusterId = cluster (created when new, default: first), phase = latest node phase.
/// SF Compute: id = node id, name = node name, status = node status, clusterId = procurement_id, vmStatus = current VM status (none when omitted and status is not running).
/// </summary>
public sealed class AdminNodeRequest
{
    public string Id { get; set; } = "";

    public string? Name { get; set; }

    public string? Status { get; set; }

    public string? ClusterId { get; set; }

    public string? GpuType { get; set; }

    public string? NodeType { get; set; }

    public string? Phase { get; set; }

    public string? VmStatus { get; set; }
}

/// <summary><c>POST /_emulator/reset</c> (body optional): reseed, optionally with other sizes or seed; they stick for later resets.</summary>
public sealed class ResetRequest
{
    public int? Seed { get; set; }

    public int? NodesPerProvider { get; set; }

    public int? NodesPerCluster { get; set; }

    public int? TogetherRemediationsPerCluster { get; set; }
}

/// <summary><c>POST /_emulator/together/remediations/bulk</c>: adds <see cref="Count"/> terminal-state history remediations.</summary>
public sealed class BulkRemediationsRequest
{
    public string ClusterId { get; set; } = "";

    public int Count { get; set; }
}

/// <summary>
/// <c>POST /_emulator/together/remediations</c>: adds one remediation as the Together system would
/// (default: an automated one waiting in PENDING_APPROVAL).
/// </summary>
public sealed class AdminRemediationRequest
{
    public string ClusterId { get; set; } = "";

    public string InstanceId { get; set; } = "";

    public string? Id { get; set; }

    public string? State { get; set; }

    public string? Mode { get; set; }

    public string? Trigger { get; set; }

    public string? Reason { get; set; }
}

/// <summary>Faults of one provider: random settings and what is left of the scripted queue.</summary>
public sealed class ProviderFaultState
{
    public string Provider { get; set; } = "";

    public Faults.RandomFaultSettings Random { get; set; } = new();

    public List<Faults.ScriptedFault> Script { get; set; } = [];
}
