using System.Management.Automation;
using NodeOps.Engine;

namespace NodeOps.Commands;

/// <summary>Stop-Remediation: cancels a remediation that has not started running (Together cancel).</summary>
[Cmdlet(VerbsLifecycle.Stop, "Remediation", DefaultParameterSetName = InputObjectSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(Remediation))]
public sealed class StopRemediationCommand : RemediationReviewCmdlet
{
    protected override ReviewAction Action => ReviewAction.Cancel;

    protected override string ActionText => "Stop (cancel the remediation)";

    protected override Task<Remediation> SendAsync(NodeOpsClient client, RemediationRef reference, CancellationToken cancellationToken) =>
        client.StopRemediationAsync(reference, cancellationToken);
}
