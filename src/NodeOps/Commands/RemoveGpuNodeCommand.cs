using System.Management.Automation;
using NodeOps.Engine;

namespace NodeOps.Commands;

/// <summary>
/// Remove-GpuNode: deletes nodes (Exalsius: from the node pool, cloud VMs are not terminated; SF Compute: the
/// node record, refused while it has VMs), or with -Release gives an SF Compute node back to its procurement
/// (desired count minus one; the node runs to its end time). Emits nothing unless -PassThru.
/// </summary>
[Cmdlet(VerbsCommon.Remove, "GpuNode", DefaultParameterSetName = DeleteSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(NodeRemovalResult))]
public sealed class RemoveGpuNodeCommand : NodeCmdlet
{
    private const string DeleteSet = "Delete";
    private const string ReleaseSet = "Release";

    private object? _provider;

    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
    public CloudProvider Provider { get => _provider is CloudProvider p ? p : default; set => _provider = value; }

    /// <summary>SF Compute: release the node from its procurement instead of deleting it.</summary>
    [Parameter(ParameterSetName = ReleaseSet, Mandatory = true)]
    public SwitchParameter Release { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        var node = new NodeRef(Provider, Id!, null, Endpoint);
        var release = Release.IsPresent;
        if (ClientFor(node, release ? NodeOperation.Release : NodeOperation.Remove) is not { } client)
        {
            return;
        }

        var action = release ? "Release (give the node back to its procurement)" : "Remove (delete the node)";
        if (!ShouldAct(node.Describe(), action, Force))
        {
            return;
        }

        var passThru = PassThru.IsPresent;
        StartWork(
            async (bridge, ct) =>
            {
                NodeRemovalResult result;
                if (release)
                {
                    result = NodeRemovalResult.Released(node, await client.ReleaseNodeAsync(node.Id, ct).ConfigureAwait(false));
                }
                else
                {
                    await client.RemoveNodeAsync(node.Id, ct).ConfigureAwait(false);
                    result = NodeRemovalResult.Deleted(node);
                }

                bridge.WriteVerbose($"{node.Describe()}: {result.Action.ToString().ToLowerInvariant()}.");
                if (passThru)
                {
                    bridge.WriteObject(result);
                }
            },
            node);
    }
}
