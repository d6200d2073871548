using System.Management.Automation;
using NodeOps.Engine;

namespace NodeOps.Commands;

/// <summary>Deny-Remediation: rejects a remediation waiting for approval (Together reject); nothing runs.</summary>
[Cmdlet(VerbsLifecycle.Deny, "Remediation", DefaultParameterSetName = InputObjectSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(Remediation))]
public sealed class DenyRemediationCommand : RemediationReviewCmdlet
{
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Comment { get; set; }

    protected override ReviewAction Action => ReviewAction.Deny;

    protected override string ActionText => "Deny (reject; the remediation will not run)";

    protected override Task<Remediation> SendAsync(NodeOpsClient client, RemediationRef reference, CancellationToken cancellationToken) =>
        client.DenyRemediationAsync(reference, Comment, cancellationToken);
}
