using System.Management.Automation;
using NodeOps.Engine;

namespace NodeOps.Commands;

/// <summary>
/// Approve-, Deny- and Stop-Remediation: a review transition per remediation. A piped remediation whose state
/// is already past the transition is refused without a request (<see cref="RemediationChecks"/>); the rest
/// are confirmed on the pipeline thread and sent in the background, at most MaxConcurrency at once.
/// </summary>
public abstract class RemediationReviewCmdlet : RemediationCmdlet
{
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Which transition this command asks for.</summary>
    protected abstract ReviewAction Action { get; }

    /// <summary>The ShouldProcess action text.</summary>
    protected abstract string ActionText { get; }

    /// <summary>Sends the transition.</summary>
    protected abstract Task<Remediation> SendAsync(NodeOpsClient client, RemediationRef reference, CancellationToken cancellationToken);

    protected override void ProcessRecord()
    {
        if (ResolveTarget(NodeOperation.ReviewRemediation) is not var (client, reference, target))
        {
            return;
        }

        if (InputObject is { } remediation && RemediationChecks.CheckReview(remediation, Action) is { } refused)
        {
            WriteFailure(refused, remediation);
            return;
        }

        if (!ShouldAct(Describe(client, reference), ActionText, Force))
        {
            return;
        }

        StartWork(async (bridge, ct) => bridge.WriteObject(await SendAsync(client, reference, ct).ConfigureAwait(false)), target);
    }

    protected override void EndProcessing() => WaitForWork();
}
