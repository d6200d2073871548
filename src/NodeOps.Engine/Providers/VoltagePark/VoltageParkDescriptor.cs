using System.Text.RegularExpressions;

namespace NodeOps.Engine.Providers.VoltagePark;

/// <summary>
/// Voltage Park has one API host per region, <c>https://api.&lt;region&gt;.voltagepark.com</c> (sea1,
/// iad1, ord1, and the beta sea1.beta); a token is valid for one region only.
/// </summary>
internal static partial class VoltageParkDescriptor
{
    /// <summary>The SDK's default region, "Seattle (sea1)".</summary>
    public const string DefaultRegion = "sea1";

    private const string HostSuffix = ".voltagepark.com";

    public static readonly ProviderDescriptor Instance = new()
    {
        Provider = CloudProvider.VoltagePark,
        TokenVariables = ["VPCLOUD_ACCESS_TOKEN"],
        DefaultEndpoint = static region => EndpointFor(region),
        RegionOf = static endpoint => RegionOfEndpoint(endpoint),
        CreateClient = static pipeline => new VoltageParkClient(pipeline),
    };

    public static Uri EndpointFor(string? region)
    {
        var name = string.IsNullOrWhiteSpace(region) ? DefaultRegion : region.Trim().ToLowerInvariant();
        if (!RegionPattern().IsMatch(name))
        {
            throw new NodeOpsException(
                ErrorKind.InvalidArgument,
                $"-Region '{region}' is not a Voltage Park region: use a host label such as sea1, iad1, ord1 or sea1.beta.")
            {
                Provider = CloudProvider.VoltagePark,
            };
        }

        return new Uri($"https://api.{name}{HostSuffix}");
    }

    /// <summary>"api.iad1.voltagepark.com" → "iad1"; any other host (an emulator, a proxy) → null.</summary>
    public static string? RegionOfEndpoint(Uri endpoint)
    {
        var host = endpoint.IdnHost.ToLowerInvariant();
        // "api.voltagepark.com" overlaps prefix and suffix: it names no region.
        if (host.Length <= "api.".Length + HostSuffix.Length
            || !host.StartsWith("api.", StringComparison.Ordinal)
            || !host.EndsWith(HostSuffix, StringComparison.Ordinal))
        {
            return null;
        }

        var region = host["api.".Length..^HostSuffix.Length];
        return RegionPattern().IsMatch(region) ? region : null;
    }

    // One or more DNS labels: letters, digits and inner hyphens, e.g. sea1 or sea1.beta.
    [GeneratedRegex("^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$", RegexOptions.CultureInvariant)]
    private static partial Regex RegionPattern();
}
