using System.Management.Automation;
using NodeOps.Completion;
using NodeOps.Engine;
using UserData = NodeOps.Engine.CloudInitUserData;

namespace NodeOps.Commands;

/// <summary>
/// Invoke-NodeRemediation: repairs nodes from the pipeline. Each node is checked and confirmed on the pipeline
/// thread as it arrives; after input ends the engine plans the requests (one per Voltage Park fleet, one per
/// node elsewhere, duplicates removed) and sends them with bounded concurrency, emitting a Remediation per node
/// as requests complete. A node that fails gets a non-terminating error naming it; the rest go on.
/// </summary>
/// <remarks>
/// The operation key (-IdempotencyKey, or a generated one written to the verbose stream) derives every
/// request's idempotency key, so rerunning a restarted runbook with the same key replays instead of
/// remediating twice.
/// </remarks>
[Cmdlet(VerbsLifecycle.Invoke, "NodeRemediation", DefaultParameterSetName = UserDataSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(Remediation))]
public sealed class InvokeNodeRemediationCommand : NodeCmdlet
{
    private const string UserDataSet = "UserData";
    private const string PathSet = "Path";

    private object? _provider;
    private RemediationOperation? _operation;

    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
    public CloudProvider Provider { get => _provider is CloudProvider p ? p : default; set => _provider = value; }

    /// <summary>Fleet (Voltage Park) or cluster (Together) of the node; piped nodes carry it.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? ClusterId { get; set; }

    /// <summary>Free-text reason: Together reason, Voltage Park message (up to 2000 characters).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ValidateLength(1, 2000)]
    public string? Reason { get; set; }

    /// <summary>Together remediation mode (short name or REMEDIATION_MODE_ name); default VmOnly.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(TogetherModeCompleter))]
    public string? Mode { get; set; }

    /// <summary>Voltage Park cause (a free string the API requires; UNSPECIFIED when none is given).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Cause { get; set; }

    /// <summary>SF Compute: the image for the replacement VM.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ImageId { get; set; }

    /// <summary>SF Compute: cloud-init user data as text (base64 is detected and passed through).</summary>
    [Parameter(ParameterSetName = UserDataSet)]
    [ValidateNotNullOrEmpty]
    public string? CloudInitUserData { get; set; }

    /// <summary>SF Compute: a file with the cloud-init user data.</summary>
    [Parameter(ParameterSetName = PathSet, Mandatory = true)]
    [ValidateNotNullOrEmpty]
    public string? CloudInitPath { get; set; }

    /// <summary>SF Compute: clear settings not given instead of inheriting them.</summary>
    [Parameter]
    public SwitchParameter OverrideEmpty { get; set; }

    /// <summary>The operation key; rerunning with the same key replays the same requests instead of duplicating them.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? IdempotencyKey { get; set; }

    protected override void BeginProcessing()
    {
        try
        {
            var cloudInit = CloudInitPath is not null
                ? UserData.EncodeFile(GetUnresolvedProviderPathFromPSPath(CloudInitPath))
                : CloudInitUserData is not null ? UserData.Encode(CloudInitUserData) : null;
            _operation = new RemediationOperation(
                new RemediationSettings
                {
                    Reason = Reason,
                    Mode = Mode,
                    Cause = Cause,
                    ImageId = ImageId,
                    CloudInitUserData = cloudInit,
                    OverrideEmpty = OverrideEmpty.IsPresent ? true : null,
                },
                IdempotencyKey);
        }
        catch (NodeOpsException ex)
        {
            ThrowFailure(ex, IdempotencyKey ?? CloudInitPath);
        }

        WriteVerbose($"Operation key {_operation!.OperationKey}. If this run is interrupted, rerun it with -IdempotencyKey {_operation.OperationKey} to replay the same requests instead of remediating twice.");
    }

    protected override void ProcessRecord()
    {
        var operation = _operation!;
        var node = new NodeRef(Provider, Id!, string.IsNullOrEmpty(ClusterId) ? null : ClusterId, Endpoint);
        NodeOpsClient client;
        try
        {
            client = ClientFor(node.Provider, node.Endpoint);
        }
        catch (NodeOpsException ex)
        {
            WriteFailure(ex, node);
            return;
        }

        // Refuse nodes the provider cannot remediate (Exalsius) or settings it rejects before asking to confirm.
        if (operation.Check(client) is { } refused)
        {
            WriteFailure(refused, node);
            return;
        }

        if (ShouldAct(node.Describe(), operation.DescribeAction(node.Provider), Force))
        {
            operation.Add(client, node);
        }
    }

    protected override void EndProcessing()
    {
        var operation = _operation!;
        if (operation.Count == 0)
        {
            return;
        }

        var plans = operation.Plan();
        foreach (var plan in plans)
        {
            foreach (var duplicate in plan.Duplicates)
            {
                WriteWarning($"{duplicate.Describe()} was given more than once; it is remediated once.");
            }

            if (plan.Plan is { } p)
            {
                var nodes = p.Batches.Sum(b => b.Targets.Count);
                WriteVerbose($"{plan.Client.Provider} at {plan.Client.Connection.Endpoint}: {p.Batches.Count} request(s) for {nodes} node(s).");

                // A caller who passed a key is counting on a rerun being harmless; say where it is not.
                if (p.RerunCaveat is { } caveat)
                {
                    if (IdempotencyKey is null)
                    {
                        WriteVerbose(caveat);
                    }
                    else
                    {
                        WriteWarning(caveat);
                    }
                }
            }
        }

        RunWork(async (bridge, ct) =>
        {
            await foreach (var result in operation.RunAsync(plans, ct).ConfigureAwait(false))
            {
                if (result.Succeeded)
                {
                    await bridge.WriteObjectAsync(result.Remediation!, ct).ConfigureAwait(false);
                }
                else
                {
                    bridge.WriteError(result.Error ?? new NodeOpsException(ErrorKind.Unspecified, $"{result.Node.Describe()} was not remediated."), result.Node);
                }
            }
        });
    }
}
