namespace NodeOps.Bench.Measure;

/// <summary>
/// Samples the managed heap (<see cref="GC.GetTotalMemory(bool)"/> without collecting, so garbage not yet
/// collected counts: what the process really holds) on its own thread every millisecond, keeping the peak.
/// A dedicated thread, not a timer, so a busy thread pool cannot starve the sampling.
/// </summary>
internal sealed class HeapSampler : IDisposable
{
    private readonly Thread _thread;
    private volatile bool _stop;
    private long _peak;
    private long _samples;

    public HeapSampler()
    {
        _peak = GC.GetTotalMemory(false);
        _thread = new Thread(Run) { IsBackground = true, Name = "bench heap sampler", Priority = ThreadPriority.AboveNormal };
        _thread.Start();
    }

    public long PeakBytes => Interlocked.Read(ref _peak);

    public long Samples => Interlocked.Read(ref _samples);

    /// <summary>Takes one more sample now (e.g. at a checkpoint) and returns the peak so far.</summary>
    public long Sample()
    {
        var now = GC.GetTotalMemory(false);
        long seen;
        while (now > (seen = Interlocked.Read(ref _peak)) && Interlocked.CompareExchange(ref _peak, now, seen) != seen)
        {
        }

        Interlocked.Increment(ref _samples);
        return Interlocked.Read(ref _peak);
    }

    /// <summary>Starts a new peak from the current heap size.</summary>
    public void ResetPeak() => Interlocked.Exchange(ref _peak, GC.GetTotalMemory(false));

    public void Dispose()
    {
        _stop = true;
        _thread.Join();
        Sample();
    }

    private void Run()
    {
        while (!_stop)
        {
            Sample();
            Thread.Sleep(1);
        }
    }
}
