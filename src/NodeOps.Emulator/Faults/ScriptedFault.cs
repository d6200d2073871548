namespace NodeOps.Emulator.Faults;

/// <summary>
/// One queued fault, applied to the next request(s) that match <see cref="Method"/> and
/// <see cref="PathContains"/> before any random fault is drawn.
/// </summary>
public sealed class ScriptedFault
{
    /// <summary>status | ratelimit | latency | drop-after | malformed | hang.</summary>
    public string Kind { get; set; } = "status";

    /// <summary>For <c>status</c>: the status code to answer with (default 503).</summary>
    public int? Status { get; set; }

    /// <summary>For <c>ratelimit</c>: the Retry-After value in seconds (default 1).</summary>
    public int? RetryAfterSeconds { get; set; }

    /// <summary>For <c>latency</c>: the delay before normal processing (default 1000).</summary>
    public int? DelayMs { get; set; }

    /// <summary>Only requests with this HTTP method (case-insensitive) match.</summary>
    public string? Method { get; set; }

    /// <summary>Only requests whose decoded path or raw target contains this text (ordinal) match.</summary>
    public string? PathContains { get; set; }

    /// <summary>How many matching requests this fault applies to (default 1).</summary>
    public int? Count { get; set; }
}
