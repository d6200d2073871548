using System.Collections.Concurrent;

namespace NodeOps.Engine.Tests.Support;

public sealed class RecordingTracer(bool includeBodies = true) : IRequestTracer
{
    public ConcurrentQueue<RequestTraceEvent> Events { get; } = new();

    public bool IncludeBodies { get; } = includeBodies;

    public void Trace(RequestTraceEvent traceEvent) => Events.Enqueue(traceEvent);

    public string AllText => string.Join("\n", Events.Select(e => e.ToString()));
}
