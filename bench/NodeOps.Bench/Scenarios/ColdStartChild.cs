using System.Diagnostics;
using System.Globalization;
using NodeOps.Bench.Hosting;
using NodeOps.Engine;

namespace NodeOps.Bench.Scenarios;

/// <summary>
/// The fresh process of the cold-start scenario: one engine call (list Together's nodes, one request),
/// then one line on standard output with the call's own duration. Nothing else runs before it.
/// </summary>
internal static class ColdStartChild
{
    public const string Switch = "--cold-start-child";
    public const string ResultPrefix = "cold-start-result ";

    public static async Task<int> RunAsync(string endpoint)
    {
        var started = Stopwatch.GetTimestamp();
        var connection = ProviderConnection.Create(CloudProvider.Together, ApiCredential.FromToken(BenchEmulator.Token, "bench"), new Uri(endpoint));
        var client = new NodeOpsClient(connection);
        var constructed = Stopwatch.GetElapsedTime(started);
        var nodes = 0;
        await foreach (var node in client.GetNodesAsync().ConfigureAwait(false))
        {
            nodes += node.Id.Length > 0 ? 1 : 0;
        }

        var call = Stopwatch.GetElapsedTime(started);
        Console.Out.WriteLine(ResultPrefix + string.Create(CultureInfo.InvariantCulture, $"{call.TotalMilliseconds:0.###} {nodes} {constructed.TotalMilliseconds:0.###} {System.Runtime.JitInfo.GetCompiledMethodCount()}"));
        Console.Out.Flush();
        return 0;
    }
}
