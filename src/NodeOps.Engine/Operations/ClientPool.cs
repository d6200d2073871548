namespace NodeOps.Engine;

/// <summary>A client for a command to use, and (once, for the debug stream) which credentials it got.</summary>
public sealed record ResolvedClient(NodeOpsClient Client, string Explanation, bool IsNew);

/// <summary>
/// The clients one command invocation uses: credentials are resolved once per distinct request (provider,
/// endpoint, region, <c>-Connection</c>, <c>-ApiKey</c>) and the client is reused for every node that asks the
/// same, so a fleet piped through a command resolves credentials a handful of times, not per node.
/// Not thread-safe: the pipeline thread resolves, background work uses the clients.
/// </summary>
public sealed class ClientPool
{
    private readonly CredentialResolver _resolver;
    private readonly NodeOpsClientOptions _options;
    private readonly Dictionary<RequestKey, NodeOpsClient> _byRequest = [];
    private readonly Dictionary<ProviderConnection, NodeOpsClient> _byConnection = new(ReferenceEqualityComparer.Instance);

    public ClientPool(CredentialResolver resolver, NodeOpsClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(resolver);
        ArgumentNullException.ThrowIfNull(options);
        _resolver = resolver;
        _options = options;
    }

    public NodeOpsClientOptions Options => _options;

    public CredentialResolver Resolver => _resolver;

    /// <summary>Resolves <paramref name="request"/> (see <see cref="CredentialResolver.Resolve"/>) and returns its client.</summary>
    public ResolvedClient Get(CredentialRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var key = new RequestKey(request.Provider, request.Endpoint?.AbsoluteUri, request.Region, request.Connection, request.Credential);
        if (_byRequest.TryGetValue(key, out var cached))
        {
            return new ResolvedClient(cached, string.Empty, false);
        }

        var resolved = _resolver.Resolve(request);
        var result = For(resolved);
        _byRequest[key] = result.Client;
        return result;
    }

    /// <summary>The client for an already resolved connection (e.g. one of <see cref="CredentialResolver.ResolveAll"/>).</summary>
    public ResolvedClient For(ResolvedConnection resolved)
    {
        ArgumentNullException.ThrowIfNull(resolved);
        if (_byConnection.TryGetValue(resolved.Connection, out var client))
        {
            return new ResolvedClient(client, string.Empty, false);
        }

        client = new NodeOpsClient(resolved.Connection, _options);
        _byConnection[resolved.Connection] = client;
        return new ResolvedClient(client, resolved.Explanation, true);
    }

    private readonly record struct RequestKey(CloudProvider Provider, string? Endpoint, string? Region, ProviderConnection? Connection, ApiCredential? Credential);
}
