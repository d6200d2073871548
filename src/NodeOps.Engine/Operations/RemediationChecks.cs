namespace NodeOps.Engine;

/// <summary>The review transitions <c>Approve-</c>, <c>Deny-</c> and <c>Stop-Remediation</c> ask for.</summary>
public enum ReviewAction
{
    Approve,
    Deny,
    Cancel,
}

/// <summary>
/// State checks on remediation objects a command received from the pipeline. Remediation states only move
/// forward (pending approval, pending, running, a terminal state), so an object that is already past the
/// state an action needs can be refused without a request; an object that looks eligible is sent and the
/// provider has the last word.
/// </summary>
public static class RemediationChecks
{
    /// <summary>Whether <c>Wait-Remediation</c> must poll; false for terminal states such as Voltage Park's Accepted.</summary>
    public static bool NeedsPolling(Remediation remediation)
    {
        ArgumentNullException.ThrowIfNull(remediation);
        return !remediation.State.IsTerminal();
    }

    /// <summary>Null when <paramref name="action"/> may be sent for <paramref name="remediation"/>; otherwise the error to report.</summary>
    public static NodeOpsException? CheckReview(Remediation remediation, ReviewAction action)
    {
        ArgumentNullException.ThrowIfNull(remediation);
        var state = remediation.State;
        var allowed = action switch
        {
            ReviewAction.Approve or ReviewAction.Deny => state is RemediationState.PendingApproval or RemediationState.Unknown,
            _ => state is RemediationState.PendingApproval or RemediationState.Pending or RemediationState.Unknown,
        };
        if (allowed)
        {
            return null;
        }

        var needs = action == ReviewAction.Cancel ? "PendingApproval or Pending" : "PendingApproval";
        var verb = action switch
        {
            ReviewAction.Approve => "approved",
            ReviewAction.Deny => "denied",
            _ => "stopped",
        };
        return new NodeOpsException(
            ErrorKind.InvalidState,
            $"{remediation.Provider} remediation '{remediation.Id ?? remediation.NodeId}' of node '{remediation.NodeId}' is {state}; only a remediation in state {needs} can be {verb}.")
        {
            Provider = remediation.Provider,
            Target = remediation.Id ?? remediation.NodeId,
            RecommendedAction = "Refresh it with Get-Remediation; nothing was sent.",
        };
    }
}
