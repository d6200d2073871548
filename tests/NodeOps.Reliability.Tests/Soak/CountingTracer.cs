namespace NodeOps.Reliability.Tests.Soak;

/// <summary>Counts what the pipeline did (attempts, retries, answers by status) without keeping the events.</summary>
internal sealed class CountingTracer : IRequestTracer
{
    private int _sent;
    private int _retries;
    private int _failed;

    public bool IncludeBodies => false;

    public int Sent => Volatile.Read(ref _sent);

    public int Retries => Volatile.Read(ref _retries);

    /// <summary>Attempts that ended without any answer (connection dropped, reset).</summary>
    public int NoAnswer => Volatile.Read(ref _failed);

    public void Trace(RequestTraceEvent traceEvent)
    {
        switch (traceEvent.Kind)
        {
            case TraceEventKind.Sending: Interlocked.Increment(ref _sent); break;
            case TraceEventKind.Retrying: Interlocked.Increment(ref _retries); break;
            case TraceEventKind.Failed: Interlocked.Increment(ref _failed); break;
        }
    }
}
