namespace NodeOps.Engine;

/// <summary>
/// A repair of one node: a Together remediation, a Voltage Park remediate request's per-node answer,
/// or an SF Compute redeploy. <see cref="Id"/>, <see cref="NodeId"/> and <see cref="ClusterId"/> bind by
/// name to the parameters of <c>Approve-Remediation</c>, <c>Wait-Remediation</c> and friends.
/// </summary>
public class Remediation
{
    public required CloudProvider Provider { get; init; }

    /// <summary>
    /// The provider's remediation id (Together), the new VM id (SF Compute), or null where the provider
    /// issues none (Voltage Park: use <see cref="IdempotencyKey"/> to correlate).
    /// </summary>
    public string? Id { get; init; }

    public required string NodeId { get; init; }

    public string? NodeName { get; init; }

    public string? ClusterId { get; init; }

    /// <summary>Together mode, Voltage Park cause, or "redeploy".</summary>
    public string? Action { get; init; }

    public string? Reason { get; init; }

    public RemediationState State { get; init; }

    public string? ProviderState { get; init; }

    /// <summary>Together's trigger (manual or automated), where known.</summary>
    public string? Trigger { get; init; }

    public string? RequestedBy { get; init; }

    public DateTimeOffset? CreatedAt { get; init; }

    public DateTimeOffset? StartedAt { get; init; }

    public DateTimeOffset? CompletedAt { get; init; }

    public string? ReviewedBy { get; init; }

    public string? ReviewComment { get; init; }

    public string? Error { get; init; }

    /// <summary>The idempotency key or remediation id NodeOps sent, so a restarted script can replay it.</summary>
    public string? IdempotencyKey { get; init; }

    public Uri? Endpoint { get; init; }

    public override string ToString() => $"{Provider}:{Id ?? NodeId}";
}
