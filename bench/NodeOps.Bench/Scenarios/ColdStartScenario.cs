using System.Diagnostics;
using System.Globalization;
using NodeOps.Bench.Hosting;
using NodeOps.Bench.Measure;
using NodeOps.Bench.Results;
using NodeOps.Engine;

namespace NodeOps.Bench.Scenarios;

/// <summary>
/// Scenario 5: a fresh process (this assembly with <see cref="ColdStartChild.Switch"/>) from the moment it is
/// started until its first engine call has completed and said so on standard output.
/// </summary>
internal sealed class ColdStartScenario(BenchEmulator emulator, BenchOptions options, TextWriter log)
{
    public async Task<IReadOnlyList<ScenarioResult>> RunAsync(CancellationToken ct)
    {
        await emulator.ResetAsync(40, 20).ConfigureAwait(false);
        var endpoint = emulator.ProviderUrl(CloudProvider.Together).ToString();
        var totals = new List<double>();
        var calls = new List<double>();
        var constructs = new List<double>();
        var jitted = new List<double>();
        var nodes = 0;
        for (var run = 0; run < options.ColdStartRuns; run++)
        {
            var (total, call, listed, construct, methods) = await OnceAsync(endpoint, options.ColdStartFrom, ct).ConfigureAwait(false);
            totals.Add(total);
            calls.Add(call);
            constructs.Add(construct);
            jitted.Add(methods);
            nodes = listed;
        }

        var result = new ScenarioResult { Scenario = "cold-start", Variant = options.ColdStartFrom is null ? null : "from " + options.ColdStartFrom, LatencyMs = 0 };
        result.Add("runs", totals.Count, "processes")
            .Add("nodesListed", nodes, "nodes")
            .Add("totalMs", Stats.Median(totals), "ms")
            .Add("totalMinMs", totals.Min(), "ms")
            .Add("firstCallMs", Stats.Median(calls), "ms")
            .Add("clientConstructionMs", Stats.Median(constructs), "ms")
            .Add("runtimeStartMs", Stats.Median(totals.Zip(calls, (t, c) => t - c)), "ms")
            .Add("jitMethods", Stats.Median(jitted), "methods");
        result.Notes.Add("totalMs: process start to the first completed call (Together nodes, one request), seen by the parent; firstCallMs: the call alone, timed inside the child (connection and client construction included, then JIT of the engine path and the first connection); runtimeStartMs: the rest (host, runtime, assembly loading); jitMethods: methods the child compiled in all");
        log.WriteLine($"  cold-start: {result["totalMs"]:0} ms");
        return [result];
    }

    private static async Task<(double TotalMs, double CallMs, int Nodes, double ConstructMs, double JitMethods)> OnceAsync(string endpoint, string? from, CancellationToken ct)
    {
        var info = ChildProcess.StartInfo([ColdStartChild.Switch, endpoint], from);
        var watch = Stopwatch.StartNew();
        using var process = Process.Start(info) ?? throw new InvalidOperationException("The cold-start process did not start.");
        string? line;
        while ((line = await process.StandardOutput.ReadLineAsync(ct).ConfigureAwait(false)) is not null && !line.StartsWith(ColdStartChild.ResultPrefix, StringComparison.Ordinal))
        {
        }

        var total = watch.Elapsed.TotalMilliseconds;
        var errors = await process.StandardError.ReadToEndAsync(ct).ConfigureAwait(false);
        await process.WaitForExitAsync(ct).ConfigureAwait(false);
        if (line is null || process.ExitCode != 0)
        {
            throw new InvalidOperationException($"The cold-start process failed (exit code {process.ExitCode}): {errors}");
        }

        var parts = line[ColdStartChild.ResultPrefix.Length..].Split(' ');
        return (
            total,
            double.Parse(parts[0], CultureInfo.InvariantCulture),
            int.Parse(parts[1], CultureInfo.InvariantCulture),
            double.Parse(parts[2], CultureInfo.InvariantCulture),
            double.Parse(parts[3], CultureInfo.InvariantCulture));
    }
}
