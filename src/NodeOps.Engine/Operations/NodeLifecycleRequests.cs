namespace NodeOps.Engine;

/// <summary>Exalsius: import nodes from a cloud offer.</summary>
public sealed class ImportFromOfferRequest
{
    public required string OfferId { get; init; }

    public string? Hostname { get; init; }

    public int Amount { get; init; } = 1;
}

/// <summary>Exalsius: import a self-managed node over SSH.</summary>
public sealed class ImportViaSshRequest
{
    public required string Hostname { get; init; }

    /// <summary>"ip:port", e.g. 192.168.1.100:22.</summary>
    public required string Endpoint { get; init; }

    public required string Username { get; init; }

    public required string SshKeyId { get; init; }

    public string? Description { get; init; }

    public double? PricePerHour { get; init; }
}

/// <summary>Exalsius: new hardware/software/system facts for a node (all three are required by the API).</summary>
public sealed class NodeUpdate
{
    public required string NodeId { get; init; }

    public string? Description { get; init; }

    public required NodeHardware Hardware { get; init; }

    public required NodeSoftware Software { get; init; }

    public required NodeSystem System { get; init; }
}

public sealed class NodeHardware
{
    public int? GpuCount { get; init; }

    public string? GpuVendor { get; init; }

    public string? GpuType { get; init; }

    public int? GpuMemoryGb { get; init; }

    public int? CpuCores { get; init; }

    public int? MemoryGb { get; init; }

    public int? StorageGb { get; init; }
}

public sealed class NodeSoftware
{
    public string? Docker { get; init; }

    public string? Nvidia { get; init; }

    public string? Amd { get; init; }
}

public sealed class NodeSystem
{
    public string? Os { get; init; }

    public string? Kernel { get; init; }
}

/// <summary>
/// Exalsius's answer to a patch or heartbeat. The provider returns a fresh node-agent access token; NodeOps
/// does not keep or show it (<see cref="AccessTokenIssued"/> only says one came).
/// </summary>
public sealed class NodeUpdateResult
{
    public required CloudProvider Provider { get; init; }

    public required string NodeId { get; init; }

    public bool AccessTokenIssued { get; init; }

    public int? AccessTokenExpiresIn { get; init; }

    public DateTimeOffset Time { get; init; }

    /// <summary>The endpoint the node lives at, so the result pipes back to the same connection.</summary>
    public Uri? Endpoint { get; init; }
}

/// <summary>Exalsius: the ids an import created.</summary>
public sealed class NodeImportResult
{
    public required CloudProvider Provider { get; init; }

    public required IReadOnlyList<string> NodeIds { get; init; }

    public int Total { get; init; }

    /// <summary>The endpoint the nodes were imported at, so the result pipes back to the same connection.</summary>
    public Uri? Endpoint { get; init; }
}
