namespace NodeOps.Engine;

/// <summary>A node to remediate, as taken from the pipeline.</summary>
public sealed record RemediationTarget(string NodeId, string? ClusterId = null, string? NodeName = null)
{
    public override string ToString() => ClusterId is null ? NodeId : $"{ClusterId}/{NodeId}";
}

/// <summary>How to remediate; each provider uses the fields its API has.</summary>
public sealed class RemediationSettings
{
    /// <summary>Free-text reason: Together <c>reason</c>, Voltage Park <c>message</c> (≤ 2000 characters).</summary>
    public string? Reason { get; init; }

    /// <summary>Together <c>mode</c>, e.g. REMEDIATION_MODE_VM_ONLY (the default).</summary>
    public string? Mode { get; init; }

    /// <summary>Voltage Park <c>cause</c>, a free string the provider requires.</summary>
    public string? Cause { get; init; }

    /// <summary>SF Compute redeploy <c>image_id</c>.</summary>
    public string? ImageId { get; init; }

    /// <summary>SF Compute redeploy <c>cloud_init_user_data</c>, already base64.</summary>
    public string? CloudInitUserData { get; init; }

    /// <summary>SF Compute redeploy <c>override_empty</c>.</summary>
    public bool? OverrideEmpty { get; init; }
}

/// <summary>One request's worth of targets: a Voltage Park fleet, or a single node elsewhere.</summary>
public sealed class RemediationBatch
{
    public required string? ClusterId { get; init; }

    public required IReadOnlyList<RemediationTarget> Targets { get; init; }

    public required RemediationSettings Settings { get; init; }

    /// <summary>Derived from the operation key and the batch's scope: the same on every retry and rerun.</summary>
    public required string IdempotencyKey { get; init; }
}

/// <summary>What happened to one target: a remediation, or an error naming it.</summary>
public sealed record RemediationOutcome(RemediationTarget Target, Remediation? Remediation, NodeOpsException? Error)
{
    public bool Succeeded => Error is null && Remediation is not null;
}

/// <summary>Points at one remediation. <see cref="Id"/> is null for Voltage Park, which issues none.</summary>
public sealed record RemediationRef(string? Id, string NodeId, string? ClusterId = null)
{
    public override string ToString() => Id ?? NodeId;
}

/// <summary>What <c>Get-Remediation</c> asks for.</summary>
public sealed class RemediationQuery
{
    public string? ClusterId { get; init; }

    /// <summary>One node (Together instance id); null means every node of the cluster.</summary>
    public string? NodeId { get; init; }

    public IReadOnlyList<RemediationState>? State { get; init; }

    public int? PageSize { get; init; }

    public string? OrderBy { get; init; }
}

/// <summary>SF Compute redeploy.</summary>
public sealed class RedeployRequest
{
    public required string NodeId { get; init; }

    public string? ImageId { get; init; }

    /// <summary>Base64 cloud-init user data.</summary>
    public string? CloudInitUserData { get; init; }

    public bool? OverrideEmpty { get; init; }
}
