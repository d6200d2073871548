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
