using System.Management.Automation;
using NodeOps.Engine;

namespace NodeOps.Commands;

/// <summary>
/// Get-GpuNode: lists nodes of every provider NodeOps can reach (or of -Provider), streaming page by page and
/// provider by provider as answers arrive; or gets nodes by id; or refreshes piped nodes.
/// </summary>
/// <remarks>
/// -Id is deliberately not bound by property name: a piped cluster has an Id too (its own), and must list
/// its nodes, not look up a node with the cluster's id. Piped nodes bind -InputObject instead.
/// </remarks>
[Cmdlet(VerbsCommon.Get, "GpuNode", DefaultParameterSetName = QuerySet)]
[OutputType(typeof(GpuNode))]
public sealed class GetGpuNodeCommand : ProviderCmdlet
{
    private const string QuerySet = "Query";
    private const string IdSet = "Id";
    private const string InputObjectSet = "InputObject";

    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
    private object? _providers;
    private object? _status;

    [Parameter(ParameterSetName = QuerySet, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Parameter(ParameterSetName = IdSet, Mandatory = true, ValueFromPipelineByPropertyName = true)]
    public CloudProvider[]? Provider { get => _providers as CloudProvider[]; set => _providers = value; }

    [Parameter(ParameterSetName = IdSet, Mandatory = true, Position = 0)]
    [Alias("NodeId")]
    [ValidateNotNullOrEmpty]
    public string[]? Id { get; set; }

    [Parameter(ParameterSetName = QuerySet, ValueFromPipelineByPropertyName = true)]
    [Parameter(ParameterSetName = IdSet, ValueFromPipelineByPropertyName = true)]
    public string? ClusterId { get; set; }

    [Parameter(ParameterSetName = QuerySet)]
    public GpuNodeStatus[]? Status { get => _status as GpuNodeStatus[]; set => _status = value; }

    [Parameter(ParameterSetName = QuerySet)]
    [ValidateNotNullOrEmpty]
    public string? NodeType { get; set; }

    [Parameter(ParameterSetName = QuerySet)]
    [ValidateNotNullOrEmpty]
    public string? HostingProvider { get; set; }

    [Parameter(ParameterSetName = QuerySet)]
    [ValidateRange(1, 100)]
    public int PageSize { get; set; }

    [Parameter(ParameterSetName = InputObjectSet, Mandatory = true, ValueFromPipeline = true)]
    [ValidateNotNull]
    public GpuNode? InputObject { get; set; }

    protected override void ProcessRecord()
    {
        switch (ParameterSetName)
        {
            case InputObjectSet:
                Refresh(InputObject!);
                break;
            case IdSet:
                GetById();
                break;
            default:
                List();
                break;
        }
    }

    protected override void EndProcessing() => WaitForWork();

    private void Refresh(GpuNode node)
    {
        var target = new NodeRef(node.Provider, node.Id, node.ClusterId, node.Endpoint);
        if (!_seen.Add(target.ToString() + "|" + node.Endpoint))
        {
            return;
        }

        Get(target);
    }

    private void GetById()
    {
        foreach (var provider in Provider ?? [])
        {
            foreach (var id in Id ?? [])
            {
                var target = new NodeRef(provider, id, string.IsNullOrEmpty(ClusterId) ? null : ClusterId, Endpoint);
                if (_seen.Add(target.ToString() + "|" + Endpoint))
                {
                    Get(target);
                }
            }
        }
    }

    private void Get(NodeRef target)
    {
        NodeOpsClient client;
        try
        {
            client = ClientFor(target.Provider, target.Endpoint);
        }
        catch (NodeOpsException ex)
        {
            WriteFailure(ex, target);
            return;
        }

        StartWork(async (bridge, ct) => bridge.WriteObject(await client.GetNodeAsync(target.Id, target.ClusterId, ct).ConfigureAwait(false)), target);
    }

    private void List()
    {
        var providers = Provider;
        var key = string.Join(",", providers ?? []) + "|" + ClusterId + "|" + Endpoint;
        if (!_seen.Add(key))
        {
            return;
        }

        IReadOnlyList<NodeOpsClient> clients;
        try
        {
            clients = ClientsFor(providers);
        }
        catch (NodeOpsException ex)
        {
            WriteFailure(ex, providers);
            return;
        }

        var query = new NodeQuery
        {
            ClusterId = string.IsNullOrEmpty(ClusterId) ? null : ClusterId,
            Status = Status,
            NodeType = NodeType,
            HostingProvider = HostingProvider,
            PageSize = PageSize > 0 ? PageSize : null,
        };
        foreach (var client in clients)
        {
            StartWork(
                async (bridge, ct) =>
                {
                    await foreach (var node in client.GetNodesAsync(query, ct).ConfigureAwait(false))
                    {
                        await bridge.WriteObjectAsync(node, ct).ConfigureAwait(false);
                    }
                },
                client.Provider);
        }
    }
}
