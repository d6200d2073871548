using NodeOps.Emulator;
using NodeOps.Emulator.Faults;
using NodeOps.Engine.Tests.Support;

namespace NodeOps.Reliability.Tests.Soak;

/// <summary>
/// An emulator of its own for the fault-heavy tests (faults are per emulator), with a small seeded
/// fleet: the tests add the nodes they remediate.
/// </summary>
public sealed class SoakEmulator : EmulatorFixture
{
    protected override EmulatorOptions CreateOptions()
    {
        var options = base.CreateOptions();
        options.NodesPerProvider = 8;
        options.NodesPerCluster = 4;
        return options;
    }

    /// <summary>
    /// Every fault kind the emulator draws at random, each at <paramref name="rate"/>, on the providers
    /// whose remediations the soak sends. Seeded, so a run's fault sequence repeats (the order requests
    /// arrive in under concurrency does not).
    /// </summary>
    public Task InjectEveryFaultAsync(double rate, int seed) =>
        Task.WhenAll(
            Admin.SetFaultsAsync("voltagepark", EveryFault(rate, seed)),
            Admin.SetFaultsAsync("together", EveryFault(rate, seed + 1)));

    public Task ClearFaultsAsync() => Admin.ClearFaultsAsync("*");

    private static RandomFaultSettings EveryFault(double rate, int seed) => new()
    {
        ErrorRate = rate,
        ErrorCodes = [500, 502, 503],
        RateLimitRate = rate,
        RetryAfterSeconds = 1,
        LatencySpikeRate = rate,
        LatencySpikeMs = 250,
        DropAfterRate = rate,
        MalformedRate = rate,
        Seed = seed,
    };
}
