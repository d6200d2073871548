using System.Management.Automation;
using NodeOps.Engine;
using UserData = NodeOps.Engine.CloudInitUserData;

namespace NodeOps.Commands;

/// <summary>
/// Reset-GpuNode (alias Redeploy-GpuNode): replaces a node's VM (SF Compute redeploy), optionally with
/// another image or cloud-init user data. Emits the redeploy as a Remediation, which Wait-Remediation can
/// follow. "Redeploy" is not an approved verb; the alias keeps the name without an import warning.
/// </summary>
[Cmdlet(VerbsCommon.Reset, "GpuNode", DefaultParameterSetName = UserDataSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[Alias("Redeploy-GpuNode")]
[OutputType(typeof(Remediation))]
public sealed class ResetGpuNodeCommand : NodeCmdlet
{
    private const string UserDataSet = "UserData";
    private const string PathSet = "Path";

    private object? _provider;
    private string? _cloudInit;

    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
    public CloudProvider Provider { get => _provider is CloudProvider p ? p : default; set => _provider = value; }

    /// <summary>The image for the new VM (SF Compute vmi_…); by default the current VM's.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ImageId { get; set; }

    /// <summary>Cloud-init user data as text (base64 is detected and passed through).</summary>
    [Parameter(ParameterSetName = UserDataSet)]
    [ValidateNotNullOrEmpty]
    public string? CloudInitUserData { get; set; }

    /// <summary>A file with the cloud-init user data, sent byte for byte.</summary>
    [Parameter(ParameterSetName = PathSet, Mandatory = true)]
    [ValidateNotNullOrEmpty]
    public string? CloudInitPath { get; set; }

    /// <summary>Clear settings not given here instead of inheriting them from the current VM.</summary>
    [Parameter]
    public SwitchParameter OverrideEmpty { get; set; }

    protected override void BeginProcessing()
    {
        try
        {
            _cloudInit = CloudInitPath is not null
                ? UserData.EncodeFile(GetUnresolvedProviderPathFromPSPath(CloudInitPath))
                : CloudInitUserData is not null ? UserData.Encode(CloudInitUserData) : null;
        }
        catch (NodeOpsException ex)
        {
            ThrowFailure(ex, CloudInitPath ?? (object?)"CloudInitUserData");
        }
    }

    protected override void ProcessRecord()
    {
        var node = new NodeRef(Provider, Id!, null, Endpoint);
        if (ClientFor(node, NodeOperation.Redeploy) is not { } client)
        {
            return;
        }

        var what = ImageId is null ? "Redeploy (replace the VM)" : $"Redeploy (replace the VM with image {ImageId})";
        if (!ShouldAct(node.Describe(), what, Force))
        {
            return;
        }

        var request = new RedeployRequest
        {
            NodeId = node.Id,
            ImageId = ImageId,
            CloudInitUserData = _cloudInit,
            OverrideEmpty = OverrideEmpty.IsPresent ? true : null,
        };
        StartWork(async (bridge, ct) => bridge.WriteObject(await client.RedeployNodeAsync(request, ct).ConfigureAwait(false)), node);
    }
}
