using System.Management.Automation;
using NodeOps.Engine;
using NodeOps.Session;

namespace NodeOps.Commands;

/// <summary>Get-GpuCloudConnection: the session's connections. Shows where each token came from, never the token.</summary>
[Cmdlet(VerbsCommon.Get, "GpuCloudConnection")]
[OutputType(typeof(ProviderConnection))]
public sealed class GetGpuCloudConnectionCommand : NodeOpsCmdlet
{
    private object? _providers;

    [Parameter(Position = 0)]
    public CloudProvider[]? Provider { get => (CloudProvider[]?)_providers; set => _providers = value; }

    [Parameter]
    public Uri? Endpoint { get; set; }

    [Parameter]
    public string? Region { get; set; }

    protected override void EndProcessing()
    {
        var providers = Provider;
        IReadOnlyList<ProviderConnection> connections;
        try
        {
            connections = ModuleSession.Connections.List(endpoint: Endpoint, region: string.IsNullOrEmpty(Region) ? null : Region);
        }
        catch (NodeOpsException ex)
        {
            WriteFailure(ex, Endpoint);
            return;
        }

        foreach (var connection in connections)
        {
            if (providers is not { Length: > 0 } || providers.Contains(connection.Provider))
            {
                WriteObject(connection);
            }
        }
    }
}
