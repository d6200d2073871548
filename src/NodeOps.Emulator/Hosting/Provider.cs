using Microsoft.AspNetCore.Http;

namespace NodeOps.Emulator.Hosting;

/// <summary>The four emulated provider APIs. The wire name doubles as the URL prefix.</summary>
internal enum Provider
{
    VoltagePark,
    Exalsius,
    Together,
    SfCompute,
}

internal static class Providers
{
    public static readonly Provider[] All = [Provider.VoltagePark, Provider.Exalsius, Provider.Together, Provider.SfCompute];

    public static string Name(this Provider provider) => provider switch
    {
        Provider.VoltagePark => "voltagepark",
        Provider.Exalsius => "exalsius",
        Provider.Together => "together",
        Provider.SfCompute => "sfcompute",
        _ => throw new ArgumentOutOfRangeException(nameof(provider)),
    };

    public static string Prefix(this Provider provider) => "/" + provider.Name();

    public static bool TryParse(string? name, out Provider provider)
    {
        foreach (var p in All)
        {
            if (string.Equals(p.Name(), name, StringComparison.OrdinalIgnoreCase))
            {
                provider = p;
                return true;
            }
        }

        provider = default;
        return false;
    }

    public static bool TryMatch(PathString path, out Provider provider)
    {
        foreach (var p in All)
        {
            if (path.StartsWithSegments(p.Prefix(), StringComparison.OrdinalIgnoreCase))
            {
                provider = p;
                return true;
            }
        }

        provider = default;
        return false;
    }
}
