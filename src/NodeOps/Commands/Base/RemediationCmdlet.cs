using System.Management.Automation;
using NodeOps.Engine;

namespace NodeOps.Commands;

/// <summary>
/// A command about one remediation at a time: from the pipeline (a Remediation object, bound by value) or by
/// -Provider/-Id/-NodeId/-ClusterId (typed, or bound by property name from e.g. Import-Csv rows).
/// </summary>
/// <remarks>
/// Derived commands make <see cref="InputObjectSet"/> their default parameter set. With the Id set as default,
/// PowerShell latches on to it before the first piped object arrives (its mandatory parameters bind by property
/// name and no other set's do), so a piped Remediation would bind by property name: its state would be lost
/// (no local checks, no "already terminal" short cut) and a Voltage Park remediation, which has no id, would
/// not bind at all. Rows without a Remediation's type still reach the Id set by property name.
/// </remarks>
public abstract class RemediationCmdlet : ProviderCmdlet
{
    protected const string IdSet = "Id";
    protected const string InputObjectSet = "InputObject";

    private object? _provider;

    [Parameter(ParameterSetName = IdSet, Mandatory = true, ValueFromPipelineByPropertyName = true)]
    public CloudProvider Provider { get => _provider is CloudProvider p ? p : default; set => _provider = value; }

    /// <summary>The remediation id (Together).</summary>
    [Parameter(ParameterSetName = IdSet, Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("RemediationId")]
    [ValidateNotNullOrEmpty]
    public string? Id { get; set; }

    /// <summary>The node (Together instance id) the remediation is for; optional for Together.</summary>
    [Parameter(ParameterSetName = IdSet, ValueFromPipelineByPropertyName = true)]
    public string? NodeId { get; set; }

    [Parameter(ParameterSetName = IdSet, ValueFromPipelineByPropertyName = true)]
    public string? ClusterId { get; set; }

    [Parameter(ParameterSetName = InputObjectSet, Mandatory = true, ValueFromPipeline = true)]
    [ValidateNotNull]
    public Remediation? InputObject { get; set; }

    /// <summary>The remediation this record is about, its client, and what errors should name as target.</summary>
    protected (NodeOpsClient Client, RemediationRef Reference, object Target)? ResolveTarget(NodeOperation needs)
    {
        CloudProvider provider;
        Uri? endpoint;
        RemediationRef reference;
        object target;
        if (InputObject is { } remediation)
        {
            provider = remediation.Provider;
            endpoint = remediation.Endpoint;
            reference = new RemediationRef(remediation.Id, remediation.NodeId, remediation.ClusterId);
            target = remediation;
        }
        else
        {
            provider = Provider;
            endpoint = null;
            reference = new RemediationRef(Id, NodeId ?? string.Empty, string.IsNullOrEmpty(ClusterId) ? null : ClusterId);
            target = reference;
        }

        try
        {
            var client = ClientFor(provider, endpoint);
            client.EnsureSupported(needs);
            return (client, reference, target);
        }
        catch (NodeOpsException ex)
        {
            WriteFailure(ex, target);
            return null;
        }
    }

    /// <summary>How confirmation prompts name the remediation.</summary>
    protected string Describe(NodeOpsClient client, RemediationRef reference) =>
        $"{client.Provider} remediation '{reference.Id ?? "(no id)"}' of node '{(string.IsNullOrEmpty(reference.NodeId) ? "?" : reference.NodeId)}'" +
        (reference.ClusterId is null ? string.Empty : $" in cluster '{reference.ClusterId}'");
}
