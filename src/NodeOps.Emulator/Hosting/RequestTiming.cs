using System.Diagnostics;

namespace NodeOps.Emulator.Hosting;

/// <summary>
/// Measures the emulator's own handling time for the Server-Timing header. Simulated waits (injected
/// latency, processing holds) go through <see cref="DelayAsync"/> so the benchmark can subtract only real work.
/// </summary>
internal sealed class RequestTiming
{
    private readonly Stopwatch _watch = Stopwatch.StartNew();

    public double ElapsedMilliseconds => _watch.Elapsed.TotalMilliseconds;

    public async Task DelayAsync(int milliseconds, CancellationToken cancellationToken)
    {
        if (milliseconds <= 0)
        {
            return;
        }

        _watch.Stop();
        try
        {
            await Task.Delay(milliseconds, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _watch.Start();
        }
    }
}
