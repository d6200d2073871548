namespace NodeOps.Engine;

/// <summary>A remediation's state normalised across providers.</summary>
public enum RemediationState
{
    Unknown = 0,
    PendingApproval,
    Pending,
    Running,
    Succeeded,
    Failed,
    Cancelled,
    Rejected,
    AutoResolved,

    /// <summary>Accepted by a provider that offers no way to track it further (Voltage Park).</summary>
    Accepted,
}

public static class RemediationStateExtensions
{
    /// <summary>True when the provider will not move the remediation on by itself.</summary>
    public static bool IsTerminal(this RemediationState state) => state switch
    {
        RemediationState.Succeeded or RemediationState.Failed or RemediationState.Cancelled
            or RemediationState.Rejected or RemediationState.AutoResolved or RemediationState.Accepted => true,
        _ => false,
    };
}
