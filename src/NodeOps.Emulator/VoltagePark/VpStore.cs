namespace NodeOps.Emulator.VoltagePark;

/// <summary>All Voltage Park data of one seeding. Guarded by <see cref="Gate"/>.</summary>
internal sealed class VpStore
{
    public object Gate { get; } = new();

    public List<VpFleet> Fleets { get; } = [];

    public Dictionary<string, VpFleet> FleetsById { get; } = new(StringComparer.Ordinal);

    public IdempotencyCache Idempotency { get; } = new();

    public void Add(VpFleet fleet)
    {
        Fleets.Add(fleet);
        FleetsById[fleet.FleetId] = fleet;
    }
}

internal sealed class VpFleet
{
    public required string FleetId { get; init; }

    public required string Name { get; init; }

    public required string Status { get; set; }

    public long RequestedAt { get; init; }

    public long? ProvisionedAt { get; init; }

    public long CreatedAt { get; init; }

    public long UpdatedAt { get; set; }

    public required string InstanceType { get; init; }

    public required string Network { get; init; }

    public required string MachineImage { get; init; }

    public List<VpNode> Nodes { get; } = [];

    public Dictionary<string, VpNode> NodesByName { get; } = new(StringComparer.Ordinal);

    public void Add(VpNode node)
    {
        Nodes.Add(node);
        NodesByName[node.NodeName] = node;
    }
}

internal sealed class VpNode
{
    public required string NodeName { get; init; }

    public required string FleetId { get; init; }

    public required string State { get; set; }

    public required string PublicIp { get; init; }

    public string? GpuType { get; init; }

    /// <summary>Health while the node is ACTIVE/READY: healthy or degraded.</summary>
    public string SteadyHealth { get; set; } = "healthy";

    public long HealthUpdatedAt { get; set; }

    /// <summary>When an accepted remediation began; null when none is running.</summary>
    public DateTimeOffset? RemediationStartedAt { get; set; }

    /// <summary>
    /// Moves an accepted remediation along: PROVISIONING for one step, VALIDATION for a second, then READY.
    /// Evaluated lazily on every read so no timers run.
    /// </summary>
    public void Advance(DateTimeOffset now, int stepMs)
    {
        if (RemediationStartedAt is not { } started)
        {
            return;
        }

        var elapsed = (now - started).TotalMilliseconds;
        if (elapsed >= 2.0 * stepMs)
        {
            State = "READY";
            SteadyHealth = "healthy";
            HealthUpdatedAt = started.AddMilliseconds(2.0 * stepMs).ToUnixTimeMilliseconds();
            RemediationStartedAt = null;
        }
        else if (elapsed >= stepMs)
        {
            State = "VALIDATION";
        }
    }

    public string Health => State switch
    {
        "ACTIVE" or "READY" => SteadyHealth,
        "UNHEALTHY" => "unhealthy",
        _ => "unknown",
    };
}
