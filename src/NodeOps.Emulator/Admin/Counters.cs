using System.Collections.Concurrent;
using System.Text.Json.Serialization;
using NodeOps.Emulator.Faults;
using NodeOps.Emulator.Hosting;

namespace NodeOps.Emulator.Admin;

/// <summary>
/// What the server actually did: remediations created (an idempotent replay does not count), faults
/// injected and requests received, per provider.
/// </summary>
internal sealed class Counters
{
    private readonly ConcurrentDictionary<(Provider, string), int> _remediations = new();
    private readonly ConcurrentDictionary<(Provider, FaultKind), int> _faults = new();
    private readonly ConcurrentDictionary<Provider, int> _requests = new();

    // Microseconds, so concurrent requests can add with Interlocked instead of a lock.
    private readonly long[] _serverMicroseconds = new long[Providers.All.Length];
    private readonly long[] _delayMicroseconds = new long[Providers.All.Length];

    public void Remediation(Provider provider, string key) => _remediations.AddOrUpdate((provider, key), 1, (_, n) => n + 1);

    public void Fault(Provider provider, FaultKind kind)
    {
        if (kind != FaultKind.None)
        {
            _faults.AddOrUpdate((provider, kind), 1, (_, n) => n + 1);
        }
    }

    public void Request(Provider provider) => _requests.AddOrUpdate(provider, 1, (_, n) => n + 1);

    /// <summary>
    /// Adds one response's Server-Timing duration and the simulated waits it excluded (as long as they really
    /// took), so a benchmark can subtract the server's share and the added latency of a whole run.
    /// </summary>
    public void ServerTime(Provider provider, double milliseconds, double delayedMilliseconds)
    {
        Interlocked.Add(ref _serverMicroseconds[(int)provider], (long)Math.Round(milliseconds * 1000));
        Interlocked.Add(ref _delayMicroseconds[(int)provider], (long)Math.Round(delayedMilliseconds * 1000));
    }

    public void Clear()
    {
        _remediations.Clear();
        _faults.Clear();
        _requests.Clear();
        for (var i = 0; i < _serverMicroseconds.Length; i++)
        {
            Interlocked.Exchange(ref _serverMicroseconds[i], 0);
            Interlocked.Exchange(ref _delayMicroseconds[i], 0);
        }
    }

    public EmulatorCounts Snapshot()
    {
        var counts = new EmulatorCounts();
        foreach (var provider in new[] { Provider.VoltagePark, Provider.Together, Provider.SfCompute })
        {
            counts.Remediations[provider.Name()] = new SortedDictionary<string, int>(StringComparer.Ordinal);
        }

        foreach (var ((provider, key), n) in _remediations)
        {
            if (!counts.Remediations.TryGetValue(provider.Name(), out var map))
            {
                counts.Remediations[provider.Name()] = map = new SortedDictionary<string, int>(StringComparer.Ordinal);
            }

            map[key] = n;
        }

        foreach (var provider in Providers.All)
        {
            var map = new SortedDictionary<string, int>(StringComparer.Ordinal);
            foreach (var kind in FaultKinds.All)
            {
                map[kind.WireName()] = _faults.TryGetValue((provider, kind), out var n) ? n : 0;
            }

            counts.Faults[provider.Name()] = map;
            counts.Requests[provider.Name()] = _requests.TryGetValue(provider, out var r) ? r : 0;
            counts.ServerTimeMs[provider.Name()] = Interlocked.Read(ref _serverMicroseconds[(int)provider]) / 1000.0;
            counts.DelayMs[provider.Name()] = Interlocked.Read(ref _delayMicroseconds[(int)provider]) / 1000.0;
        }

        return counts;
    }
}

/// <summary>
/// <c>GET /_emulator/counts</c>: remediations per provider keyed by <c>fleetId/nodeName</c> (Voltage Park),
/// <c>clusterId/instanceId</c> (Together) and <c>nodeId</c> (SF Compute); faults per provider and kind;
/// requests per provider.
/// </summary>
[JsonObjectCreationHandling(JsonObjectCreationHandling.Populate)]
public sealed class EmulatorCounts
{
    public IDictionary<string, SortedDictionary<string, int>> Remediations { get; } = new SortedDictionary<string, SortedDictionary<string, int>>(StringComparer.Ordinal);

    public IDictionary<string, SortedDictionary<string, int>> Faults { get; } = new SortedDictionary<string, SortedDictionary<string, int>>(StringComparer.Ordinal);

    public IDictionary<string, int> Requests { get; } = new SortedDictionary<string, int>(StringComparer.Ordinal);

    /// <summary>Sum of the Server-Timing durations sent per provider (injected latency excluded), in milliseconds.</summary>
    public IDictionary<string, double> ServerTimeMs { get; } = new SortedDictionary<string, double>(StringComparer.Ordinal);

    /// <summary>Sum of the simulated waits (added latency, injected delays) per provider as they really took, in milliseconds.</summary>
    public IDictionary<string, double> DelayMs { get; } = new SortedDictionary<string, double>(StringComparer.Ordinal);

    /// <summary>Remediations created for one key, 0 when none.</summary>
    public int RemediationCount(string provider, string key)
        => Remediations.TryGetValue(provider, out var map) && map.TryGetValue(key, out var n) ? n : 0;

    public int FaultCount(string provider, string kind)
        => Faults.TryGetValue(provider, out var map) && map.TryGetValue(kind, out var n) ? n : 0;

    public int RequestCount(string provider) => Requests.TryGetValue(provider, out var n) ? n : 0;

    public double ServerTime(string provider) => ServerTimeMs.TryGetValue(provider, out var ms) ? ms : 0;

    public double Delay(string provider) => DelayMs.TryGetValue(provider, out var ms) ? ms : 0;
}
