using System.Management.Automation;
using NodeOps.Engine;
using NodeOps.Session;

namespace NodeOps.Commands;

/// <summary>
/// Disconnect-GpuCloud: forgets session connections: one endpoint, one region, every connection of a provider,
/// or (with no parameters and no pipeline input) all of them. Sends no request.
/// </summary>
[Cmdlet(VerbsCommunications.Disconnect, "GpuCloud", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(ProviderConnection))]
public sealed class DisconnectGpuCloudCommand : NodeOpsCmdlet
{
    private object? _provider;

    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    public CloudProvider? Provider { get => _provider as CloudProvider?; set => _provider = value; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    public Uri? Endpoint { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? Region { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        var provider = Provider;

        // "No parameters" means all connections only when typed that way: a piped object that names no
        // connection (e.g. $null from an empty Get-GpuCloudConnection) must not wipe them all.
        if (MyInvocation.ExpectingInput && provider is null && Endpoint is null && string.IsNullOrEmpty(Region))
        {
            WriteFailure(new NodeOpsException(ErrorKind.InvalidArgument, "The piped object names no connection (no Provider, Endpoint or Region); nothing was disconnected."), null);
            return;
        }

        IReadOnlyList<ProviderConnection> matching;
        try
        {
            matching = ModuleSession.Connections.List(provider, Endpoint, string.IsNullOrEmpty(Region) ? null : Region);
        }
        catch (NodeOpsException ex)
        {
            WriteFailure(ex, Endpoint);
            return;
        }

        if (matching.Count == 0 && (provider is not null || Endpoint is not null))
        {
            var where = Endpoint is null ? string.Empty : $" at {Endpoint}";
            WriteFailure(new NodeOpsException(ErrorKind.NotFound, $"There is no session connection to {provider?.ToString() ?? "any provider"}{where}.") { Provider = provider }, provider);
            return;
        }

        foreach (var connection in matching)
        {
            if (!ShouldProcess($"{connection.Provider} at {connection.Endpoint}", "Remove session connection"))
            {
                continue;
            }

            ModuleSession.Connections.Remove(connection.Provider, connection.Endpoint);
            WriteVerbose($"Disconnected from {connection.Provider} at {connection.Endpoint}.");
            if (PassThru)
            {
                WriteObject(connection);
            }
        }
    }
}
