namespace NodeOps.Engine.Providers.VoltagePark;

/// <summary>What <c>GET /v1/fleets/{fleetId}/health</c> reports.</summary>
public sealed class VoltageParkFleetHealth
{
    public required string FleetId { get; init; }

    /// <summary>The fleet's overall health <c>status</c>, verbatim.</summary>
    public string? Status { get; init; }

    /// <summary>The <c>kubernetesHealth</c> object as JSON text (its shape is not documented), or null.</summary>
    public string? KubernetesHealthJson { get; init; }

    public IReadOnlyList<VoltageParkNodeHealth> Nodes { get; init; } = [];

    public Uri? Endpoint { get; init; }

    public override string ToString() => $"VoltagePark:{FleetId} {Status}";
}

/// <summary>One <c>nodeHealth[]</c> entry.</summary>
public sealed class VoltageParkNodeHealth
{
    public required string NodeId { get; init; }

    /// <summary>healthy, unhealthy, degraded or unknown, verbatim.</summary>
    public string? Status { get; init; }

    public DateTimeOffset? LastUpdatedAt { get; init; }

    public override string ToString() => $"{NodeId} {Status}";
}
