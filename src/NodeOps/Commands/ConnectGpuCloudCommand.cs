using System.Management.Automation;
using System.Security;
using NodeOps.Engine;
using NodeOps.Session;

namespace NodeOps.Commands;

/// <summary>
/// Connect-GpuCloud: remembers a provider's credentials and endpoint for this PowerShell process. Sends no
/// request. Keyed by provider and endpoint: connecting again to the same endpoint replaces the connection,
/// another endpoint or region adds one; the most recent connection is the provider's default.
/// </summary>
[Cmdlet(VerbsCommunications.Connect, "GpuCloud", DefaultParameterSetName = ApiKeySet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(ProviderConnection))]
public sealed class ConnectGpuCloudCommand : NodeOpsCmdlet
{
    private const string ApiKeySet = "ApiKey";
    private const string CredentialSet = "Credential";

    // Boxed CloudProvider: an engine enum field would make PowerShell load the engine before OnImport.
    private object? _provider;

    [Parameter(Mandatory = true, Position = 0)]
    public CloudProvider Provider { get => _provider is CloudProvider p ? p : default; set => _provider = value; }

    /// <summary>The API token. Without -ApiKey or -Credential, the provider's environment variable is used.</summary>
    [Parameter(ParameterSetName = ApiKeySet)]
    [ValidateNotNull]
    public SecureString? ApiKey { get; set; }

    /// <summary>A credential whose password is the API token (the user name is ignored), e.g. from a secret store.</summary>
    [Parameter(Mandatory = true, ParameterSetName = CredentialSet)]
    [ValidateNotNull]
    [Credential]
    public PSCredential? Credential { get; set; }

    [Parameter]
    [ValidateNotNull]
    public Uri? Endpoint { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Region { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void EndProcessing()
    {
        ResolvedConnection resolved;
        try
        {
            ApiCredential? credential = null;
            if (ApiKey is not null)
            {
                credential = ApiCredential.FromSecureString(ApiKey, "the -ApiKey parameter");
            }
            else if (Credential is not null)
            {
                credential = ApiCredential.FromSecureString(Credential.Password, "the -Credential parameter");
            }

            resolved = ModuleSession.Resolver().ResolveNew(new CredentialRequest
            {
                Provider = Provider,
                Credential = credential,
                Endpoint = Endpoint,
                Region = Region,
            });
        }
        catch (NodeOpsException ex)
        {
            WriteFailure(ex, Provider);
            return;
        }

        var connection = resolved.Connection;
        WriteDebug(resolved.Explanation);
        if (!ShouldProcess($"{connection.Provider} at {connection.Endpoint}", "Add session connection"))
        {
            return;
        }

        ModuleSession.Connections.Add(connection);
        WriteVerbose($"Connected to {connection.Provider} at {connection.Endpoint} (credential from {connection.Credential.Source}); no request was sent.");
        if (PassThru)
        {
            WriteObject(connection);
        }
    }
}
