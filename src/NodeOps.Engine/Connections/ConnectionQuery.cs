namespace NodeOps.Engine;

/// <summary>What a listing command (<c>Get-GpuNode</c>, <c>Get-GpuCluster</c>) was given to choose its connections.</summary>
public sealed class ConnectionQuery
{
    /// <summary>From <c>-Provider</c>; null or empty means every provider NodeOps can reach.</summary>
    public IReadOnlyCollection<CloudProvider>? Providers { get; init; }

    /// <summary>From <c>-ApiKey</c> or <c>-Credential</c>; needs exactly one provider.</summary>
    public ApiCredential? Credential { get; init; }

    /// <summary>From <c>-Connection</c>.</summary>
    public ProviderConnection? Connection { get; init; }

    /// <summary>From <c>-Endpoint</c> (or a piped object's <c>Endpoint</c>); needs exactly one provider.</summary>
    public Uri? Endpoint { get; init; }

    public string? Region { get; init; }
}

/// <summary>The connections a listing uses, and the providers it could not reach (reported as non-terminating errors).</summary>
public sealed record ConnectionSet(IReadOnlyList<ResolvedConnection> Connections, IReadOnlyList<NodeOpsException> Errors);
