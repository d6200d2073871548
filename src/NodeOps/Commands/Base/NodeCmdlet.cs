using System.Management.Automation;
using NodeOps.Engine;

namespace NodeOps.Commands;

/// <summary>
/// A command that acts on nodes, one pipeline record at a time: nodes bind by property name (Provider, Id
/// (alias NodeId), ClusterId, Endpoint). Each node is checked (credentials, provider support) and
/// confirmed on the pipeline thread; the request runs in the background.
/// </summary>
public abstract class NodeCmdlet : ProviderCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("NodeId")]
    [ValidateNotNullOrEmpty]
    public string? Id { get; set; }

    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>
    /// The client for <paramref name="node"/> if its provider can do <paramref name="operation"/>; otherwise
    /// writes the error (naming the node) and returns null, before anything is confirmed or sent.
    /// </summary>
    protected NodeOpsClient? ClientFor(NodeRef node, NodeOperation operation)
    {
        try
        {
            var client = ClientFor(node.Provider, node.Endpoint);
            client.EnsureSupported(operation);
            return client;
        }
        catch (NodeOpsException ex)
        {
            WriteFailure(ex, node);
            return null;
        }
    }

    protected override void EndProcessing() => WaitForWork();
}
