using NodeOps.Engine;

namespace NodeOps.Bench.Hosting;

/// <summary>Engine clients as the module builds them: default options and the shared socket handler.</summary>
internal static class BenchClients
{
    public static NodeOpsClient Create(BenchEmulator emulator, CloudProvider provider, int? maxConcurrency = null)
    {
        var options = new NodeOpsClientOptions { UserAgentSuffix = "NodeOps.Bench" };
        if (maxConcurrency is { } c)
        {
            options.MaxConcurrency = c;
        }

        var connection = ProviderConnection.Create(provider, ApiCredential.FromToken(BenchEmulator.Token, "bench"), emulator.ProviderUrl(provider));
        return new NodeOpsClient(connection, options);
    }
}
