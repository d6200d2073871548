using NodeOps.Bench.Results;

namespace NodeOps.Bench.Tests;

/// <summary>One smoke run of the whole benchmark, shared by the tests that check its figures.</summary>
public sealed class SmokeRun : IAsyncLifetime
{
    public BenchOptions Options { get; } = BenchOptions.Smoke;

    public BenchReport Report { get; private set; } = null!;

    public string Log { get; private set; } = string.Empty;

    public TimeSpan Elapsed { get; private set; }

    public async Task InitializeAsync()
    {
        using var log = new StringWriter();
        var watch = System.Diagnostics.Stopwatch.StartNew();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        Report = await BenchRunner.RunAsync(Options, log, timeout.Token);
        Elapsed = watch.Elapsed;
        Log = log.ToString();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public ScenarioResult Single(string scenario, int latencyMs, string? variant = null) =>
        Assert.Single(Report.Results, r => r.Scenario == scenario && r.LatencyMs == latencyMs && r.Variant == variant);
}
