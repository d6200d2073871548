using NodeOps.Engine.Providers;

namespace NodeOps.Engine;

/// <summary>Who to talk to and as whom: a provider, its endpoint (and region) and a credential.</summary>
public sealed class ProviderConnection
{
    private ProviderConnection(CloudProvider provider, Uri endpoint, string? region, ApiCredential credential)
    {
        Provider = provider;
        Endpoint = endpoint;
        Region = region;
        Credential = credential;
    }

    public CloudProvider Provider { get; }

    /// <summary>Base URL; clients append <c>/v1/...</c>.</summary>
    public Uri Endpoint { get; }

    public string? Region { get; }

    public ApiCredential Credential { get; }

    /// <summary>
    /// Builds a connection, filling the endpoint from the provider's default (and region) when none is
    /// given, and enforcing <see cref="EndpointPolicy"/>.
    /// </summary>
    public static ProviderConnection Create(CloudProvider provider, ApiCredential credential, Uri? endpoint = null, string? region = null)
    {
        ArgumentNullException.ThrowIfNull(credential);
        var descriptor = ProviderRegistry.Get(provider);
        region = string.IsNullOrWhiteSpace(region) ? null : region.Trim();
        var resolved = EndpointPolicy.Normalize(endpoint ?? descriptor.DefaultEndpoint(region));
        return new ProviderConnection(provider, resolved, region ?? descriptor.RegionOf(resolved), credential);
    }

    /// <summary>The key a session stores connections under: provider and endpoint.</summary>
    public string Key => ConnectionKey(Provider, Endpoint);

    internal static string ConnectionKey(CloudProvider provider, Uri endpoint) =>
        $"{provider}|{endpoint.GetLeftPart(UriPartial.Path).TrimEnd('/').ToUpperInvariant()}";

    public override string ToString() => $"{Provider} {Endpoint} ({Credential.Source})";
}
