using System.Management.Automation;
using NodeOps.Engine;

namespace NodeOps.Commands;

/// <summary>
/// Send-GpuNodeHeartbeat: tells Exalsius a self-managed node is alive (PATCH with an empty body). The fresh
/// node-agent token the answer carries is neither kept nor shown.
/// </summary>
[Cmdlet(VerbsCommunications.Send, "GpuNodeHeartbeat", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(NodeUpdateResult))]
public sealed class SendGpuNodeHeartbeatCommand : NodeCmdlet
{
    private object? _provider;

    [Parameter(ValueFromPipelineByPropertyName = true)]
    public CloudProvider Provider { get => _provider is CloudProvider p ? p : CloudProvider.Exalsius; set => _provider = value; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        var node = new NodeRef(Provider, Id!, null, Endpoint);
        if (ClientFor(node, NodeOperation.Update) is not { } client)
        {
            return;
        }

        if (!ShouldAct(node.Describe(), "Send heartbeat", Force))
        {
            return;
        }

        var passThru = PassThru.IsPresent;
        StartWork(
            async (bridge, ct) =>
            {
                var result = await client.SendHeartbeatAsync(node.Id, ct).ConfigureAwait(false);
                if (passThru)
                {
                    bridge.WriteObject(result);
                }
            },
            node);
    }
}
