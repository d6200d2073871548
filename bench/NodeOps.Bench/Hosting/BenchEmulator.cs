using NodeOps.Emulator.Admin;
using NodeOps.Engine;

namespace NodeOps.Bench.Hosting;

/// <summary>
/// What the emulator did during a run, per provider: requests, summed Server-Timing (its own work), and the
/// added latency as it really elapsed (a timer runs on a coarse clock: usually a little longer than asked).
/// </summary>
internal sealed record ServerShare(IReadOnlyDictionary<CloudProvider, int> Requests, IReadOnlyDictionary<CloudProvider, double> ServerMs, IReadOnlyDictionary<CloudProvider, double> DelayMs)
{
    public int TotalRequests => Requests.Values.Sum();

    public double TotalServerMs => ServerMs.Values.Sum();

    public double TotalDelayMs => DelayMs.Values.Sum();

    public static ServerShare Between(EmulatorCounts before, EmulatorCounts after)
    {
        var requests = new Dictionary<CloudProvider, int>();
        var server = new Dictionary<CloudProvider, double>();
        var delay = new Dictionary<CloudProvider, double>();
        foreach (var provider in BenchEmulator.Providers)
        {
            var name = BenchEmulator.Prefix(provider);
            requests[provider] = after.RequestCount(name) - before.RequestCount(name);
            server[provider] = after.ServerTime(name) - before.ServerTime(name);
            delay[provider] = after.Delay(name) - before.Delay(name);
        }

        return new ServerShare(requests, server, delay);
    }
}

/// <summary>
/// The emulator the benchmark talks to: in a child process (the default, so the benchmark's allocation and
/// heap figures are the client's alone) or inside this process (quicker to start, used by the smoke test).
/// </summary>
internal abstract class BenchEmulator : IAsyncDisposable
{
    public const string Token = "bench-token-3b1f";

    public static readonly CloudProvider[] Providers = [CloudProvider.VoltagePark, CloudProvider.Exalsius, CloudProvider.Together, CloudProvider.SFCompute];

    private EmulatorAdminClient? _admin;

    public abstract Uri BaseAddress { get; }

    /// <summary>Whether the emulator's allocations and heap are outside this process's figures.</summary>
    public abstract bool SeparateProcess { get; }

    public EmulatorAdminClient Admin => _admin ??= new EmulatorAdminClient(BaseAddress);

    public static string Prefix(CloudProvider provider) => provider switch
    {
        CloudProvider.VoltagePark => "voltagepark",
        CloudProvider.Exalsius => "exalsius",
        CloudProvider.Together => "together",
        CloudProvider.SFCompute => "sfcompute",
        _ => throw new ArgumentOutOfRangeException(nameof(provider)),
    };

    public static async Task<BenchEmulator> StartAsync(bool separateProcess, CancellationToken ct) =>
        separateProcess ? await ChildEmulator.StartAsync(ct).ConfigureAwait(false) : await InProcessEmulator.StartAsync(ct).ConfigureAwait(false);

    public Uri ProviderUrl(CloudProvider provider) => new(BaseAddress, Prefix(provider));

    /// <summary>Reseeds with these sizes and sets the added latency; step times stay short so nothing waits on them.</summary>
    public async Task ResetAsync(int nodesPerProvider, int nodesPerCluster, int togetherRemediationsPerCluster = 6, int latencyMs = 0)
    {
        await Admin.ResetAsync(new ResetRequest
        {
            Seed = 42,
            NodesPerProvider = nodesPerProvider,
            NodesPerCluster = nodesPerCluster,
            TogetherRemediationsPerCluster = togetherRemediationsPerCluster,
        }).ConfigureAwait(false);
        await SetLatencyAsync(latencyMs).ConfigureAwait(false);
    }

    public Task SetLatencyAsync(int latencyMs) =>
        Admin.UpdateSettingsAsync(new NodeOps.Emulator.EmulatorSettingsUpdate
        {
            LatencyMs = latencyMs,
            TogetherStepMs = 200,
            SfVmBootMs = 200,
            ExalsiusDiscoveryMs = 200,
            VpRemediationStepMs = 200,
            VpRemediateProcessingMs = 0,
        });

    public Task<EmulatorCounts> CountsAsync() => Admin.GetCountsAsync();

    public virtual ValueTask DisposeAsync()
    {
        _admin?.Dispose();
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }
}
