using System.Management.Automation;
using System.Security;
using NodeOps.Engine;
using NodeOps.Session;

namespace NodeOps.Commands;

/// <summary>
/// A command that talks to a provider. Adds the shared connection parameters and turns them, with the
/// provider and endpoint of each input, into an engine client through the engine's
/// <see cref="CredentialResolver"/> (-ApiKey, then -Connection, then the session, then environment variables).
/// Which source was used goes to the debug stream.
/// </summary>
public abstract class ProviderCmdlet : NodeOpsCmdlet
{
    private ClientPool? _clients;
    private ApiCredential? _apiKeyCredential;

    /// <summary>A connection object from Connect-GpuCloud -PassThru or Get-GpuCloudConnection.</summary>
    [Parameter]
    [ValidateNotNull]
    public ProviderConnection? Connection { get; set; }

    /// <summary>The API token, overriding session connections and environment variables.</summary>
    [Parameter]
    [ValidateNotNull]
    public SecureString? ApiKey { get; set; }

    /// <summary>
    /// The API base URL. Bound from a piped object's Endpoint, so an object goes back to the endpoint (and
    /// region) it was read from.
    /// </summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public Uri? Endpoint { get; set; }

    /// <summary>The provider region (Voltage Park: sea1, iad1, ord1) when no endpoint is given.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Region { get; set; }

    /// <summary>Clients for this invocation, one per distinct provider/endpoint/credential.</summary>
    protected ClientPool Clients => _clients ??= new ClientPool(ModuleSession.Resolver(), CreateClientOptions());

    /// <summary>The -ApiKey as an engine credential (converted once).</summary>
    protected ApiCredential? ApiKeyCredential =>
        ApiKey is null ? null : _apiKeyCredential ??= ApiCredential.FromSecureString(ApiKey, "the -ApiKey parameter");

    /// <summary>Options for every client of this invocation: the User-Agent suffix and the bridge as request tracer.</summary>
    protected virtual NodeOpsClientOptions CreateClientOptions() => new()
    {
        UserAgentSuffix = UserAgentSuffix,
        Tracer = Bridge,
    };

    /// <summary>
    /// The client for <paramref name="provider"/> at <paramref name="endpoint"/> (a piped object's, or
    /// -Endpoint). Throws <see cref="NodeOpsException"/> when no credentials are found.
    /// </summary>
    protected NodeOpsClient ClientFor(CloudProvider provider, Uri? endpoint)
    {
        var resolved = Clients.Get(new CredentialRequest
        {
            Provider = provider,
            Credential = ApiKeyCredential,
            Connection = Connection,
            Endpoint = endpoint ?? Endpoint,
            Region = Region,
        });
        Explain(resolved);
        return resolved.Client;
    }

    /// <summary>The clients for a listing across providers; unreachable providers are written as errors.</summary>
    protected IReadOnlyList<NodeOpsClient> ClientsFor(IReadOnlyCollection<CloudProvider>? providers)
    {
        var set = Clients.Resolver.ResolveAll(new ConnectionQuery
        {
            Providers = providers,
            Credential = ApiKeyCredential,
            Connection = Connection,
            Endpoint = Endpoint,
            Region = Region,
        });
        foreach (var error in set.Errors)
        {
            WriteFailure(error, error.Provider);
        }

        var clients = new List<NodeOpsClient>();
        foreach (var connection in set.Connections)
        {
            var resolved = Clients.For(connection);
            Explain(resolved);
            clients.Add(resolved.Client);
        }

        return clients;
    }

    private void Explain(ResolvedClient resolved)
    {
        if (resolved.IsNew)
        {
            WriteDebug(resolved.Explanation);
        }
    }
}
