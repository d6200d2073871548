namespace NodeOps.Engine.Providers.SfCompute;

/// <summary>
/// An SF Compute node (Nodes API v1). <see cref="GpuNode.Id"/> is its <c>id</c> (<c>n_…</c>; the API
/// also takes the name in paths), <see cref="GpuNode.ClusterId"/> its <c>procurement_id</c>.
/// <see cref="GpuNode.GpuCount"/> is always null: the node object has no GPU count field. SF Compute
/// sells 8-GPU nodes, but no API field states it (providers-api.md §4, UNCONFIRMED), and a guessed
/// number would be wrong the day they sell another shape.
/// </summary>
public sealed class SfComputeNode : GpuNode
{
    public string? Owner { get; init; }

    /// <summary><c>autoreserved</c> or <c>reserved</c>.</summary>
    public string? NodeType { get; init; }

    /// <summary>The procurement (<c>proc_…</c>); the same value as <see cref="GpuNode.ClusterId"/>.</summary>
    public string? ProcurementId { get; init; }

    /// <summary>The most the node may cost per hour, in cents.</summary>
    public long? MaxPricePerNodeHour { get; init; }

    public DateTimeOffset? StartAt { get; init; }

    public DateTimeOffset? EndAt { get; init; }

    public DateTimeOffset? UpdatedAt { get; init; }

    public DateTimeOffset? DeletedAt { get; init; }

    /// <summary>The VM now on the node; a redeploy replaces it.</summary>
    public SfComputeVm? CurrentVm { get; init; }

    /// <summary>The current VM's status verbatim (<c>Running</c>, <c>running</c>, <c>Pending</c>, …), for tables.</summary>
    public string? VmStatus => CurrentVm?.Status;

    /// <summary>Every VM the node has had, as the API lists them (earlier VMs are destroyed).</summary>
    public IReadOnlyList<SfComputeVm> Vms { get; init; } = [];
}

/// <summary>One VM of an SF Compute node. A redeploy creates a new one; its id identifies the redeploy.</summary>
public sealed class SfComputeVm
{
    public required string Id { get; init; }

    /// <summary>Verbatim: the SDK says <c>Pending, Running, Destroyed, NodeFailure, Unspecified</c>, the docs show lowercase.</summary>
    public string? Status { get; init; }

    public string? ImageId { get; init; }

    public string? Zone { get; init; }

    public DateTimeOffset? CreatedAt { get; init; }

    public DateTimeOffset? StartAt { get; init; }

    public DateTimeOffset? EndAt { get; init; }

    public DateTimeOffset? UpdatedAt { get; init; }

    public override string ToString() => Id;
}

/// <summary>
/// An SF Compute redeploy seen as a remediation: <see cref="Remediation.Id"/> is the new VM's id,
/// <see cref="Remediation.ProviderState"/> that VM's status.
/// </summary>
public sealed class SfComputeRemediation : Remediation
{
    /// <summary>The image the new VM runs (<c>vmi_…</c>), when the API says.</summary>
    public string? ImageId { get; init; }

    public string? Zone { get; init; }
}
