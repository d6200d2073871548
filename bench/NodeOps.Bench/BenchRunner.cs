using System.Diagnostics;
using NodeOps.Bench.Hosting;
using NodeOps.Bench.Measure;
using NodeOps.Bench.Results;
using NodeOps.Bench.Scenarios;

namespace NodeOps.Bench;

/// <summary>Runs the scenarios against one emulator, printing progress to <c>log</c> and returning every figure.</summary>
public static class BenchRunner
{
    public static async Task<BenchReport> RunAsync(BenchOptions options, TextWriter log, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(log);
        var report = new BenchReport { Machine = MachineInfo.Current() };
        log.WriteLine($"NodeOps benchmark{(options.IsSmoke ? " (smoke)" : string.Empty)} on {report.Machine}");
        if (options.IsSmoke)
        {
            log.WriteLine("smoke mode: tiny sizes and no warm-up, to check that every scenario runs; its goal columns say nothing about performance");
        }

        if (IsDebugBuild())
        {
            log.WriteLine("warning: this is a Debug build; figures are only meaningful with -c Release");
        }

        WarnIfBusy(log, report.Machine, "at start");
        var watch = Stopwatch.StartNew();
        await using var emulator = await BenchEmulator.StartAsync(options.SeparateEmulatorProcess, cancellationToken).ConfigureAwait(false);
        log.WriteLine($"emulator at {emulator.BaseAddress} ({(emulator.SeparateProcess ? "child process" : "in this process")})");

        using var profiler = options.AllocationProfile ? new AllocationProfiler() : null;
        RunMeter.Profiler = profiler;
        try
        {
            var scenarios = new (string Name, Func<Task<IReadOnlyList<ScenarioResult>>> Run)[]
            {
                ("list", () => new ListScenario(emulator, options, log).RunAsync(cancellationToken)),
                ("streaming", () => new StreamingScenario(emulator, options, log).RunAsync(cancellationToken)),
                ("fanout", () => new FanOutScenario(emulator, options, log).RunAsync(cancellationToken)),
                ("parse", () => new ParseScenario(emulator, options, log).RunAsync(cancellationToken)),
                ("cold-start", () => new ColdStartScenario(emulator, options, log).RunAsync(cancellationToken)),
            };
            foreach (var (name, run) in scenarios.Where(s => options.Runs(s.Name)))
            {
                report.Results.AddRange(await run().ConfigureAwait(false));
                if (profiler?.Top(15) is { Count: > 0 } top)
                {
                    log.WriteLine($"  allocation profile of {name}: " + string.Join(", ", top.Select(t => $"{t.Type} {t.Share:P0}")));
                    profiler.Clear();
                }
            }
        }
        finally
        {
            RunMeter.Profiler = null;
        }

        foreach (var result in report.Results)
        {
            report.JsonLines.Add(JsonLine.Write(result));
        }

        WarnIfBusy(log, report.Machine, "at the end");
        log.WriteLine($"done in {watch.Elapsed.TotalSeconds:0.0} s");
        return report;
    }

    private static void WarnIfBusy(TextWriter log, MachineInfo machine, string when)
    {
        if (MachineInfo.LoadAverage() is { } load)
        {
            log.WriteLine(load > machine.Cores
                ? $"warning: load average {load:0.0} {when} is above the {machine.Cores} cores: other processes compete with the benchmark, figures are not comparable"
                : $"load average {load:0.0} {when}");
        }
    }

    private static bool IsDebugBuild() =>
        typeof(BenchRunner).Assembly.GetCustomAttributes(typeof(DebuggableAttribute), false)
            .OfType<DebuggableAttribute>()
            .Any(d => d.IsJITOptimizerDisabled);
}
