using System.Management.Automation;
using NodeOps.Engine;

namespace NodeOps.Commands;

/// <summary>
/// Get-Remediation: lists a cluster's (or node's) remediations, gets them by id, or refreshes piped ones.
/// Piped nodes bind -Node by value: a node's Id is the node, not a remediation id, so binding it by
/// property name to -Id would ask for the wrong thing.
/// </summary>
[Cmdlet(VerbsCommon.Get, "Remediation", DefaultParameterSetName = ClusterSet)]
[OutputType(typeof(Remediation))]
public sealed class GetRemediationCommand : ProviderCmdlet
{
    private const string ClusterSet = "Cluster";
    private const string NodeSet = "Node";
    private const string IdSet = "Id";
    private const string InputObjectSet = "InputObject";

    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
    private object? _provider;
    private object? _state;

    [Parameter(ParameterSetName = ClusterSet, Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Parameter(ParameterSetName = IdSet, Mandatory = true, ValueFromPipelineByPropertyName = true)]
    public CloudProvider Provider { get => _provider is CloudProvider p ? p : default; set => _provider = value; }

    [Parameter(ParameterSetName = ClusterSet, ValueFromPipelineByPropertyName = true)]
    [Parameter(ParameterSetName = IdSet, ValueFromPipelineByPropertyName = true)]
    public string? ClusterId { get; set; }

    [Parameter(ParameterSetName = ClusterSet, ValueFromPipelineByPropertyName = true)]
    [Parameter(ParameterSetName = IdSet, ValueFromPipelineByPropertyName = true)]
    public string? NodeId { get; set; }

    [Parameter(ParameterSetName = IdSet, Mandatory = true, Position = 0)]
    [Alias("RemediationId")]
    [ValidateNotNullOrEmpty]
    public string[]? Id { get; set; }

    [Parameter(ParameterSetName = ClusterSet)]
    [Parameter(ParameterSetName = NodeSet)]
    public RemediationState[]? State { get => _state as RemediationState[]; set => _state = value; }

    [Parameter(ParameterSetName = NodeSet, Mandatory = true, ValueFromPipeline = true)]
    [ValidateNotNull]
    public GpuNode? Node { get; set; }

    [Parameter(ParameterSetName = InputObjectSet, Mandatory = true, ValueFromPipeline = true)]
    [ValidateNotNull]
    public Remediation? InputObject { get; set; }

    protected override void ProcessRecord()
    {
        switch (ParameterSetName)
        {
            case InputObjectSet:
                var r = InputObject!;
                GetOne(r.Provider, r.Endpoint, new RemediationRef(r.Id, r.NodeId, r.ClusterId), r);
                break;
            case IdSet:
                foreach (var id in Id ?? [])
                {
                    GetOne(Provider, Endpoint, new RemediationRef(id, NodeId ?? string.Empty, Blank(ClusterId)), id);
                }

                break;
            case NodeSet:
                var node = Node!;
                List(node.Provider, node.Endpoint, node.ClusterId, node.Id, new NodeRef(node.Provider, node.Id, node.ClusterId, node.Endpoint));
                break;
            default:
                List(Provider, Endpoint, Blank(ClusterId), Blank(NodeId), ClusterId);
                break;
        }
    }

    protected override void EndProcessing() => WaitForWork();

    private void GetOne(CloudProvider provider, Uri? endpoint, RemediationRef reference, object target)
    {
        if (!_seen.Add($"{provider}|{endpoint}|{reference.ClusterId}|{reference.NodeId}|{reference.Id}"))
        {
            return;
        }

        if (ClientOrError(provider, endpoint, target) is not { } client)
        {
            return;
        }

        StartWork(async (bridge, ct) => bridge.WriteObject(await client.GetRemediationAsync(reference, ct).ConfigureAwait(false)), target);
    }

    private void List(CloudProvider provider, Uri? endpoint, string? clusterId, string? nodeId, object? target)
    {
        if (!_seen.Add($"{provider}|{endpoint}|{clusterId}|{nodeId}"))
        {
            return;
        }

        if (ClientOrError(provider, endpoint, target) is not { } client)
        {
            return;
        }

        var query = new RemediationQuery { ClusterId = clusterId, NodeId = nodeId, State = State };
        StartWork(
            async (bridge, ct) =>
            {
                await foreach (var remediation in client.GetRemediationsAsync(query, ct).ConfigureAwait(false))
                {
                    await bridge.WriteObjectAsync(remediation, ct).ConfigureAwait(false);
                }
            },
            target);
    }

    private NodeOpsClient? ClientOrError(CloudProvider provider, Uri? endpoint, object? target)
    {
        try
        {
            var client = ClientFor(provider, endpoint);
            client.EnsureSupported(NodeOperation.TrackRemediation);
            return client;
        }
        catch (NodeOpsException ex)
        {
            WriteFailure(ex, target);
            return null;
        }
    }

    private static string? Blank(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
