using System.Diagnostics;

namespace NodeOps.Bench.Measure;

/// <summary>What one measured run cost the benchmark's process.</summary>
/// <param name="JitTime">Time the JIT spent compiling during the run (in any thread): near zero once warm.</param>
internal sealed record RunCost(TimeSpan Wall, long AllocatedBytes, TimeSpan Cpu, long PeakHeapBytes, long BaselineHeapBytes, int Gen0, int Gen1, int Gen2, TimeSpan JitTime);

/// <summary>
/// Measures wall time, bytes allocated by every thread of the process, process CPU time and the peak managed
/// heap of one run. Starts from a collected heap so runs do not inherit each other's garbage.
/// </summary>
internal sealed class RunMeter : IDisposable
{
    /// <summary>Set by <c>--alloc-profile</c>: records the allocation profile of every measured run.</summary>
    public static AllocationProfiler? Profiler { get; set; }

    private readonly HeapSampler _sampler;
    private readonly long _baseline;
    private readonly long _allocated;
    private readonly TimeSpan _cpu;
    private readonly int _gen0;
    private readonly int _gen1;
    private readonly int _gen2;
    private readonly long _started;
    private readonly TimeSpan _jit;
    private RunCost? _cost;

    private RunMeter()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        _baseline = GC.GetTotalMemory(false);
        _gen0 = GC.CollectionCount(0);
        _gen1 = GC.CollectionCount(1);
        _gen2 = GC.CollectionCount(2);
        _sampler = new HeapSampler();
        _cpu = Process.GetCurrentProcess().TotalProcessorTime;
        _allocated = GC.GetTotalAllocatedBytes(precise: true);
        _jit = System.Runtime.JitInfo.GetCompilationTime();
        Profiler?.Start();
        _started = Stopwatch.GetTimestamp();
    }

    public HeapSampler Heap => _sampler;

    public static RunMeter Start() => new();

    public RunCost Stop()
    {
        if (_cost is not null)
        {
            return _cost;
        }

        var wall = Stopwatch.GetElapsedTime(_started);
        Profiler?.Stop();
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - _allocated;
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - _cpu;
        _sampler.Dispose();
        _cost = new RunCost(
            wall,
            allocated,
            cpu,
            _sampler.PeakBytes,
            _baseline,
            GC.CollectionCount(0) - _gen0,
            GC.CollectionCount(1) - _gen1,
            GC.CollectionCount(2) - _gen2,
            System.Runtime.JitInfo.GetCompilationTime() - _jit);
        return _cost;
    }

    public void Dispose() => Stop();
}
