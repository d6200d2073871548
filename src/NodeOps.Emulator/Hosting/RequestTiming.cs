using System.Diagnostics;

namespace NodeOps.Emulator.Hosting;

/// <summary>
/// Measures the emulator's own handling time for the Server-Timing header. Simulated waits (injected
/// latency, processing holds) go through <see cref="DelayAsync"/> so the benchmark can subtract only real work.
/// </summary>
internal sealed class RequestTiming
{
    private readonly Stopwatch _watch = Stopwatch.StartNew();
    private long _delayedTicks;

    public double ElapsedMilliseconds => _watch.Elapsed.TotalMilliseconds;

    /// <summary>How long the simulated waits really took (a timer runs on a coarse clock: usually a little longer than asked).</summary>
    public double DelayedMilliseconds => Stopwatch.GetElapsedTime(0, _delayedTicks).TotalMilliseconds;

    public async Task DelayAsync(int milliseconds, CancellationToken cancellationToken)
    {
        if (milliseconds <= 0)
        {
            return;
        }

        _watch.Stop();
        var started = Stopwatch.GetTimestamp();
        try
        {
            await Task.Delay(milliseconds, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _delayedTicks += Stopwatch.GetTimestamp() - started;
            _watch.Start();
        }
    }
}
