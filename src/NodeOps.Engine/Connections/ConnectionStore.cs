namespace NodeOps.Engine;

/// <summary>
/// The connections a PowerShell session made with <c>Connect-GpuCloud</c>, keyed by provider and endpoint.
/// Process-scoped, in memory only. The most recent connection to a provider is its default.
/// </summary>
public sealed class ConnectionStore
{
    private readonly object _gate = new();
    private readonly List<ProviderConnection> _connections = [];

    /// <summary>Adds the connection, replacing one with the same provider and endpoint; it becomes the provider's default.</summary>
    public ProviderConnection Add(ProviderConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        lock (_gate)
        {
            _connections.RemoveAll(c => c.Key == connection.Key);
            _connections.Add(connection);
        }

        return connection;
    }

    /// <summary>Removes matching connections (all of a provider when no endpoint/region is given) and returns them.</summary>
    public IReadOnlyList<ProviderConnection> Remove(CloudProvider? provider = null, Uri? endpoint = null, string? region = null)
    {
        lock (_gate)
        {
            var removed = _connections.Where(c => Matches(c, provider, endpoint, region)).ToList();
            _connections.RemoveAll(removed.Contains);
            return removed;
        }
    }

    public IReadOnlyList<ProviderConnection> List(CloudProvider? provider = null, Uri? endpoint = null, string? region = null)
    {
        lock (_gate)
        {
            return _connections.Where(c => Matches(c, provider, endpoint, region)).ToList();
        }
    }

    /// <summary>
    /// The connection for <paramref name="provider"/> at <paramref name="endpoint"/> (exactly), or in
    /// <paramref name="region"/>, or else the provider's most recent one. Null when there is none: a
    /// connection to another endpoint is never used for an object that came from a different one.
    /// </summary>
    public ProviderConnection? Find(CloudProvider provider, Uri? endpoint = null, string? region = null)
    {
        lock (_gate)
        {
            for (var i = _connections.Count - 1; i >= 0; i--)
            {
                if (Matches(_connections[i], provider, endpoint, region))
                {
                    return _connections[i];
                }
            }

            return null;
        }
    }

    private static bool Matches(ProviderConnection c, CloudProvider? provider, Uri? endpoint, string? region)
    {
        if (provider is not null && c.Provider != provider)
        {
            return false;
        }

        if (endpoint is not null)
        {
            Uri normalized;
            try
            {
                normalized = EndpointPolicy.Normalize(endpoint);
            }
            catch (NodeOpsException)
            {
                return false;
            }

            return c.Key == ProviderConnection.ConnectionKey(c.Provider, normalized);
        }

        return region is null || string.Equals(c.Region, region, StringComparison.OrdinalIgnoreCase);
    }
}
