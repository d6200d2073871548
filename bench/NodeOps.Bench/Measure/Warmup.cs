using System.Runtime;

namespace NodeOps.Bench.Measure;

/// <summary>
/// Brings the process to steady state before measuring: repeats a warm-up pass until the JIT stops
/// compiling. A .NET process keeps recompiling hot methods (tier 0, then instrumented, then optimised
/// tier 1) for thousands of calls; a short run measured too early mostly measures the JIT, which on two
/// cores also steals time from the emulator. How much JIT a fresh process pays is the cold-start scenario's
/// business and is reported there.
/// </summary>
internal static class Warmup
{
    /// <summary>A pass that compiles fewer new methods than this counts as warm.</summary>
    private const long QuietMethods = 25;

    public static async Task RunAsync(Func<Task> pass, int maxPasses, CancellationToken ct)
    {
        for (var i = 0; i < maxPasses; i++)
        {
            var before = JitInfo.GetCompiledMethodCount();
            await pass().ConfigureAwait(false);
            await UntilJitIdleAsync(ct).ConfigureAwait(false);
            if (JitInfo.GetCompiledMethodCount() - before < QuietMethods)
            {
                return;
            }
        }
    }

    /// <summary>Waits (at most 3 s) for the background tier-1 compiler to finish what the last pass queued.</summary>
    private static async Task UntilJitIdleAsync(CancellationToken ct)
    {
        var last = JitInfo.GetCompiledMethodCount();
        for (var waited = 0; waited < 3000; waited += 150)
        {
            await Task.Delay(150, ct).ConfigureAwait(false);
            var now = JitInfo.GetCompiledMethodCount();
            if (now == last)
            {
                return;
            }

            last = now;
        }
    }
}
