using System.Management.Automation;
using NodeOps.Engine;

namespace NodeOps.Commands;

/// <summary>
/// Get-GpuCluster: Voltage Park fleets, Together clusters and whatever the other providers group nodes into.
/// Piped nodes bind -ClusterId (by its own name, before the alias Id), so <c>Get-GpuNode | Get-GpuCluster</c>
/// gets each node's cluster once.
/// </summary>
[Cmdlet(VerbsCommon.Get, "GpuCluster")]
[OutputType(typeof(GpuCluster))]
public sealed class GetGpuClusterCommand : ProviderCmdlet
{
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
    private object? _providers;

    [Parameter(ValueFromPipelineByPropertyName = true)]
    public CloudProvider[]? Provider { get => _providers as CloudProvider[]; set => _providers = value; }

    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Id")]
    public string[]? ClusterId { get; set; }

    protected override void ProcessRecord()
    {
        var providers = Provider;
        var ids = ClusterId?.Where(id => !string.IsNullOrEmpty(id)).ToArray() ?? [];
        if (!_seen.Add(string.Join(",", providers ?? []) + "|" + string.Join(",", ids) + "|" + Endpoint))
        {
            return;
        }

        // A piped node outside any cluster (an Exalsius pool node) has an empty ClusterId: it has no cluster
        // to get, and must not turn into "list every cluster".
        if (MyInvocation.ExpectingInput && ids.Length == 0 && MyInvocation.BoundParameters.ContainsKey(nameof(ClusterId)))
        {
            WriteVerbose("A piped object has no cluster id; skipped.");
            return;
        }

        if (ids.Length > 0 && providers is not { Length: > 0 })
        {
            WriteFailure(new NodeOpsException(ErrorKind.InvalidArgument, "-ClusterId needs -Provider: cluster ids are per provider."), ids);
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

        foreach (var client in clients)
        {
            // Listing everything, or following piped objects, skips providers without clusters (SF Compute,
            // whose ClusterId is a procurement); naming one on the command line is answered with the error.
            if ((providers is not { Length: > 0 } || MyInvocation.ExpectingInput) && !client.Supports(NodeOperation.ListClusters))
            {
                WriteVerbose($"{client.Provider} has no clusters to list; skipped.");
                continue;
            }

            if (ids.Length == 0)
            {
                StartWork(
                    async (bridge, ct) =>
                    {
                        await foreach (var cluster in client.GetClustersAsync(ct).ConfigureAwait(false))
                        {
                            await bridge.WriteObjectAsync(cluster, ct).ConfigureAwait(false);
                        }
                    },
                    client.Provider);
                continue;
            }

            foreach (var id in ids)
            {
                StartWork(async (bridge, ct) => bridge.WriteObject(await client.GetClusterAsync(id, ct).ConfigureAwait(false)), id);
            }
        }
    }

    protected override void EndProcessing() => WaitForWork();
}
