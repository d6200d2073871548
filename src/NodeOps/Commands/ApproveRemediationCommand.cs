using System.Management.Automation;
using NodeOps.Engine;
using NodeOps.Completion;

namespace NodeOps.Commands;

/// <summary>Approve-Remediation: approves a remediation waiting for approval (Together); it then runs.</summary>
[Cmdlet(VerbsLifecycle.Approve, "Remediation", DefaultParameterSetName = InputObjectSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(Remediation))]
public sealed class ApproveRemediationCommand : RemediationReviewCmdlet
{
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Comment { get; set; }

    /// <summary>Overrides the remediation's mode (Together short name such as HostAware, or a REMEDIATION_MODE_ name).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(TogetherModeCompleter))]
    public string? Mode { get; set; }

    protected override ReviewAction Action => ReviewAction.Approve;

    protected override string ActionText => Mode is null ? "Approve (the remediation will run)" : $"Approve with mode {Mode} (the remediation will run)";

    protected override Task<Remediation> SendAsync(NodeOpsClient client, RemediationRef reference, CancellationToken cancellationToken) =>
        client.ApproveRemediationAsync(reference, Comment, Mode, cancellationToken);
}
