using NodeOps.Engine.Providers;

namespace NodeOps.Engine;

/// <summary>What a command was given to decide which connection to use.</summary>
public sealed class CredentialRequest
{
    public required CloudProvider Provider { get; init; }

    /// <summary>From <c>-ApiKey</c> or <c>-Credential</c>.</summary>
    public ApiCredential? Credential { get; init; }

    /// <summary>From <c>-Connection</c>.</summary>
    public ProviderConnection? Connection { get; init; }

    /// <summary>From <c>-Endpoint</c>, or the <c>Endpoint</c> property of a piped object.</summary>
    public Uri? Endpoint { get; init; }

    public string? Region { get; init; }
}

/// <summary>The connection chosen and, for the debug stream, why.</summary>
public sealed record ResolvedConnection(ProviderConnection Connection, string Explanation);

/// <summary>
/// Chooses credentials in the documented order: <c>-ApiKey</c>/<c>-Credential</c>, then <c>-Connection</c>,
/// then the session's <c>Connect-GpuCloud</c> connection (by provider and endpoint/region), then
/// environment variables (the provider's own, then <c>NODEOPS_&lt;PROVIDER&gt;_TOKEN</c>).
/// </summary>
public sealed class CredentialResolver
{
    private readonly ConnectionStore _store;
    private readonly Func<string, string?> _environment;

    public CredentialResolver(ConnectionStore store, Func<string, string?> environment)
    {
        _store = store;
        _environment = environment;
    }

    public ResolvedConnection Resolve(CredentialRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var provider = request.Provider;
        var descriptor = ProviderRegistry.Get(provider);

        if (request.Credential is { } credential)
        {
            var endpoint = request.Endpoint ?? request.Connection?.Endpoint ?? EndpointFromEnvironment(descriptor);
            var connection = ProviderConnection.Create(provider, credential, endpoint, request.Region ?? request.Connection?.Region);
            return new(connection, $"Using the credential from {credential.Source} for {connection.Provider} at {connection.Endpoint}.");
        }

        if (request.Connection is { } given)
        {
            if (given.Provider != provider)
            {
                throw new NodeOpsException(ErrorKind.InvalidArgument, $"-Connection is a {given.Provider} connection, but the command is for {provider}.") { Provider = provider };
            }

            return new(given, $"Using the -Connection object ({given.Credential.Source}) for {provider} at {given.Endpoint}.");
        }

        if (_store.Find(provider, request.Endpoint, request.Region) is { } stored)
        {
            return new(stored, $"Using the session connection from Connect-GpuCloud ({stored.Credential.Source}) for {provider} at {stored.Endpoint}.");
        }

        foreach (var variable in TokenVariables(descriptor))
        {
            if (_environment(variable) is { Length: > 0 } token)
            {
                var endpoint = request.Endpoint ?? EndpointFromEnvironment(descriptor);
                var connection = ProviderConnection.Create(provider, ApiCredential.FromToken(token, $"environment variable {variable}"), endpoint, request.Region);
                return new(connection, $"Using the token from environment variable {variable} for {provider} at {connection.Endpoint}.");
            }
        }

        var where = request.Endpoint is null ? string.Empty : $" at {request.Endpoint}";
        throw new NodeOpsException(
            ErrorKind.AuthenticationFailed,
            $"No credentials for {provider}{where}. Run Connect-GpuCloud -Provider {provider}, pass -ApiKey, or set {string.Join(" or ", TokenVariables(descriptor))}.")
        {
            Provider = provider,
        };
    }

    /// <summary>
    /// For <c>Connect-GpuCloud</c>: a new connection from <c>-ApiKey</c>/<c>-Credential</c>, or else from the
    /// environment. The session's existing connections are never reused (connecting is how they are replaced).
    /// </summary>
    public ResolvedConnection ResolveNew(CredentialRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var provider = request.Provider;
        var descriptor = ProviderRegistry.Get(provider);
        if (request.Credential is { } credential)
        {
            var endpoint = request.Endpoint ?? EndpointFromEnvironment(descriptor);
            var connection = ProviderConnection.Create(provider, credential, endpoint, request.Region);
            return new(connection, $"Using the credential from {credential.Source} for {provider} at {connection.Endpoint}.");
        }

        return FromEnvironment(descriptor, request.Endpoint, request.Region)
            ?? throw new NodeOpsException(
                ErrorKind.AuthenticationFailed,
                $"No API key for {provider}: pass -ApiKey or -Credential, or set {string.Join(" or ", TokenVariables(descriptor))}.")
            {
                Provider = provider,
            };
    }

    /// <summary>
    /// For listings across providers. With <c>-Connection</c>: that connection. With providers named: each
    /// provider's session connections (all of them, e.g. every Voltage Park region connected), or its
    /// <see cref="Resolve"/> result when an endpoint, region or credential narrows it. With no provider: every
    /// session connection, plus an environment-variable connection for each other provider whose token is
    /// set. A provider that cannot be reached is reported in <see cref="ConnectionSet.Errors"/> so the others
    /// still list.
    /// </summary>
    public ConnectionSet ResolveAll(ConnectionQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var providers = query.Providers is { Count: > 0 } p ? p.Distinct().ToList() : null;
        var connections = new List<ResolvedConnection>();
        var errors = new List<NodeOpsException>();

        if (query.Connection is { } given)
        {
            if (providers is not null && !providers.Contains(given.Provider))
            {
                throw new NodeOpsException(ErrorKind.InvalidArgument, $"-Connection is a {given.Provider} connection, but -Provider is {string.Join(", ", providers)}.") { Provider = given.Provider };
            }

            connections.Add(new(given, $"Using the -Connection object ({given.Credential.Source}) for {given.Provider} at {given.Endpoint}."));
            return new ConnectionSet(connections, errors);
        }

        if (providers is null or { Count: > 1 } && (query.Credential is not null || query.Endpoint is not null))
        {
            var what = query.Credential is not null ? "-ApiKey or -Credential" : "-Endpoint";
            throw new NodeOpsException(ErrorKind.InvalidArgument, $"{what} belongs to one provider: pass exactly one -Provider with it.");
        }

        if (providers is null)
        {
            foreach (var stored in _store.List(region: query.Region))
            {
                connections.Add(SessionConnection(stored));
            }

            foreach (var descriptor in ProviderRegistry.All)
            {
                if (_store.List(descriptor.Provider).Count == 0 && FromEnvironment(descriptor, null, query.Region) is { } fromEnvironment)
                {
                    connections.Add(fromEnvironment);
                }
            }

            if (connections.Count == 0)
            {
                var variables = ProviderRegistry.All.SelectMany(TokenVariables);
                throw new NodeOpsException(
                    ErrorKind.AuthenticationFailed,
                    $"No connections. Run Connect-GpuCloud -Provider <provider>, or set one of {string.Join(", ", variables)}.");
            }

            return new ConnectionSet(connections, errors);
        }

        foreach (var provider in providers)
        {
            try
            {
                var stored = query.Credential is null && query.Endpoint is null && query.Region is null
                    ? _store.List(provider)
                    : [];
                if (stored.Count > 0)
                {
                    connections.AddRange(stored.Select(SessionConnection));
                }
                else
                {
                    connections.Add(Resolve(new CredentialRequest
                    {
                        Provider = provider,
                        Credential = query.Credential,
                        Endpoint = query.Endpoint,
                        Region = query.Region,
                    }));
                }
            }
            catch (NodeOpsException ex)
            {
                errors.Add(ex);
            }
        }

        return new ConnectionSet(connections, errors);
    }

    private static ResolvedConnection SessionConnection(ProviderConnection stored) =>
        new(stored, $"Using the session connection from Connect-GpuCloud ({stored.Credential.Source}) for {stored.Provider} at {stored.Endpoint}.");

    private ResolvedConnection? FromEnvironment(ProviderDescriptor descriptor, Uri? endpoint, string? region)
    {
        foreach (var variable in TokenVariables(descriptor))
        {
            if (_environment(variable) is { Length: > 0 } token)
            {
                var connection = ProviderConnection.Create(descriptor.Provider, ApiCredential.FromToken(token, $"environment variable {variable}"), endpoint ?? EndpointFromEnvironment(descriptor), region);
                return new(connection, $"Using the token from environment variable {variable} for {descriptor.Provider} at {connection.Endpoint}.");
            }
        }

        return null;
    }

    /// <summary>The environment variables tried for a provider's token, in order.</summary>
    public static IReadOnlyList<string> TokenVariables(CloudProvider provider) => TokenVariables(ProviderRegistry.Get(provider));

    private static IReadOnlyList<string> TokenVariables(ProviderDescriptor descriptor) =>
        [.. descriptor.TokenVariables, $"NODEOPS_{descriptor.Provider.ToString().ToUpperInvariant()}_TOKEN"];

    private Uri? EndpointFromEnvironment(ProviderDescriptor descriptor)
    {
        IEnumerable<string> names = [.. descriptor.EndpointVariables, $"NODEOPS_{descriptor.Provider.ToString().ToUpperInvariant()}_ENDPOINT"];
        foreach (var name in names)
        {
            if (_environment(name) is { Length: > 0 } value)
            {
                return Uri.TryCreate(value, UriKind.Absolute, out var uri)
                    ? uri
                    : throw new NodeOpsException(ErrorKind.InvalidArgument, $"Environment variable {name} is not an absolute URL.");
            }
        }

        return null;
    }
}
