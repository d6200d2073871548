using System.Management.Automation;
using NodeOps.Engine;

namespace NodeOps.Commands;

/// <summary>
/// Import-GpuNode: adds nodes to the Exalsius node pool, from a cloud offer or as a self-managed host reached
/// over SSH. Emits the ids created. Imports are not idempotent on the provider's side: a repeated SSH import
/// of the same host fails with ResourceExists instead of creating a duplicate.
/// </summary>
[Cmdlet(VerbsData.Import, "GpuNode", DefaultParameterSetName = OfferSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(NodeImportResult))]
public sealed class ImportGpuNodeCommand : ProviderCmdlet
{
    private const string OfferSet = "Offer";
    private const string SshSet = "Ssh";

    private object? _provider;

    [Parameter]
    public CloudProvider Provider { get => _provider is CloudProvider p ? p : CloudProvider.Exalsius; set => _provider = value; }

    [Parameter(ParameterSetName = OfferSet, Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? OfferId { get; set; }

    [Parameter(ParameterSetName = OfferSet)]
    [ValidateRange(1, 1000)]
    public int Amount { get; set; } = 1;

    [Parameter(ParameterSetName = OfferSet)]
    [Parameter(ParameterSetName = SshSet, Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string? Hostname { get; set; }

    /// <summary>The host's SSH address, "ip:port".</summary>
    [Parameter(ParameterSetName = SshSet, Mandatory = true)]
    [ValidateNotNullOrEmpty]
    public string? SshEndpoint { get; set; }

    [Parameter(ParameterSetName = SshSet, Mandatory = true)]
    [ValidateNotNullOrEmpty]
    public string? Username { get; set; }

    [Parameter(ParameterSetName = SshSet, Mandatory = true)]
    [ValidateNotNullOrEmpty]
    public string? SshKeyId { get; set; }

    [Parameter(ParameterSetName = SshSet)]
    public string? Description { get; set; }

    [Parameter(ParameterSetName = SshSet)]
    [ValidateRange(0.0, double.MaxValue)]
    public double? PricePerHour { get; set; }

    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override void ProcessRecord()
    {
        NodeOpsClient client;
        try
        {
            client = ClientFor(Provider, null);
            client.EnsureSupported(NodeOperation.Import);
        }
        catch (NodeOpsException ex)
        {
            WriteFailure(ex, OfferId ?? Hostname);
            return;
        }

        if (ParameterSetName == SshSet)
        {
            var request = new ImportViaSshRequest
            {
                Hostname = Hostname!,
                Endpoint = SshEndpoint!,
                Username = Username!,
                SshKeyId = SshKeyId!,
                Description = Description,
                PricePerHour = PricePerHour,
            };
            if (ShouldAct($"{client.Provider} host '{request.Hostname}' at {request.Endpoint}", "Import over SSH", Force))
            {
                StartWork(async (bridge, ct) => bridge.WriteObject(await client.ImportNodeViaSshAsync(request, ct).ConfigureAwait(false)), request.Hostname);
            }

            return;
        }

        var offer = new ImportFromOfferRequest { OfferId = OfferId!, Hostname = Hostname, Amount = Amount };
        if (ShouldAct($"{client.Provider} offer '{offer.OfferId}'", $"Import {offer.Amount} node(s)", Force))
        {
            StartWork(async (bridge, ct) => bridge.WriteObject(await client.ImportNodeFromOfferAsync(offer, ct).ConfigureAwait(false)), offer.OfferId);
        }
    }

    protected override void EndProcessing() => WaitForWork();
}
