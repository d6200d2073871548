namespace NodeOps.Engine;

public enum TraceEventKind
{
    /// <summary>An attempt is about to be sent.</summary>
    Sending,

    /// <summary>An attempt got an answer (any status).</summary>
    Received,

    /// <summary>An attempt failed without an answer (connection, timeout).</summary>
    Failed,

    /// <summary>NodeOps will try again after a delay.</summary>
    Retrying,

    /// <summary>Debug-level detail: a request or response body, redacted.</summary>
    Body,
}

/// <summary>
/// One step of a provider call, for <c>-Verbose</c>/<c>-Debug</c>. Every string in it has passed the
/// redactor: no token, no secret-looking JSON value.
/// </summary>
public sealed record RequestTraceEvent(
    TraceEventKind Kind,
    CloudProvider Provider,
    string Method,
    string Url,
    int Attempt,
    int? Status = null,
    TimeSpan? Elapsed = null,
    TimeSpan? Delay = null,
    string? Detail = null)
{
    public override string ToString()
    {
        var attempt = Attempt > 1 ? $" (attempt {Attempt})" : string.Empty;
        return Kind switch
        {
            TraceEventKind.Sending => $"{Provider}: {Method} {Url}{attempt}",
            TraceEventKind.Received => $"{Provider}: {Method} {Url} -> {Status} in {Elapsed?.TotalMilliseconds:0} ms{attempt}",
            TraceEventKind.Failed => $"{Provider}: {Method} {Url} failed after {Elapsed?.TotalMilliseconds:0} ms{attempt}: {Detail}",
            TraceEventKind.Retrying => $"{Provider}: {Method} {Url}: retrying in {Delay?.TotalMilliseconds:0} ms ({Detail})",
            _ => $"{Provider}: {Method} {Url}: {Detail}",
        };
    }
}

/// <summary>Receives trace events. Called from any thread; implementations must be thread-safe and quick.</summary>
public interface IRequestTracer
{
    /// <summary>Whether bodies are wanted (Debug); building them costs time, so they are skipped otherwise.</summary>
    bool IncludeBodies { get; }

    void Trace(RequestTraceEvent traceEvent);
}
