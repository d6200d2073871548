using System.Diagnostics;
using NodeOps.Bench.Hosting;
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
        if (IsDebugBuild())
        {
            log.WriteLine("warning: this is a Debug build; figures are only meaningful with -c Release");
        }

        var watch = Stopwatch.StartNew();
        await using var emulator = await BenchEmulator.StartAsync(options.SeparateEmulatorProcess, cancellationToken).ConfigureAwait(false);
        log.WriteLine($"emulator at {emulator.BaseAddress} ({(emulator.SeparateProcess ? "child process" : "in this process")})");

        if (options.Runs("list"))
        {
            report.Results.AddRange(await new ListScenario(emulator, options, log).RunAsync(cancellationToken).ConfigureAwait(false));
        }

        if (options.Runs("streaming"))
        {
            report.Results.AddRange(await new StreamingScenario(emulator, options, log).RunAsync(cancellationToken).ConfigureAwait(false));
        }

        if (options.Runs("fanout"))
        {
            report.Results.AddRange(await new FanOutScenario(emulator, options, log).RunAsync(cancellationToken).ConfigureAwait(false));
        }

        if (options.Runs("parse"))
        {
            report.Results.AddRange(await new ParseScenario(emulator, options, log).RunAsync(cancellationToken).ConfigureAwait(false));
        }

        if (options.Runs("cold-start"))
        {
            report.Results.AddRange(await new ColdStartScenario(emulator, options, log).RunAsync(cancellationToken).ConfigureAwait(false));
        }

        foreach (var result in report.Results)
        {
            report.JsonLines.Add(JsonLine.Write(result));
        }

        log.WriteLine($"done in {watch.Elapsed.TotalSeconds:0.0} s");
        return report;
    }

    private static bool IsDebugBuild() =>
        typeof(BenchRunner).Assembly.GetCustomAttributes(typeof(DebuggableAttribute), false)
            .OfType<DebuggableAttribute>()
            .Any(d => d.IsJITOptimizerDisabled);
}
