namespace NodeOps.Engine;

/// <summary>What <c>Get-GpuNode</c> asks for. Filters a provider cannot apply server-side are applied by the engine.</summary>
public sealed class NodeQuery
{
    /// <summary>Voltage Park fleet, Together or Exalsius cluster, SF Compute procurement.</summary>
    public string? ClusterId { get; init; }

    /// <summary>SF Compute: only these ids (sent as repeated <c>id</c>).</summary>
    public IReadOnlyList<string>? Ids { get; init; }

    /// <summary>SF Compute: only these names (sent as repeated <c>name</c>).</summary>
    public IReadOnlyList<string>? Names { get; init; }

    /// <summary>Exalsius <c>node_type</c> (CLOUD, SELF_MANAGED) or SF Compute <c>type</c> (autoreserved, reserved).</summary>
    public string? NodeType { get; init; }

    /// <summary>Exalsius <c>provider</c> filter (the hosting cloud, e.g. aws).</summary>
    public string? HostingProvider { get; init; }

    /// <summary>Only nodes in one of these normalised states (applied after mapping).</summary>
    public IReadOnlyList<GpuNodeStatus>? Status { get; init; }

    /// <summary>Voltage Park page size (1–100). Others page as their APIs dictate.</summary>
    public int? PageSize { get; init; }
}
