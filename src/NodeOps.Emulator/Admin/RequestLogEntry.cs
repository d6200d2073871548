namespace NodeOps.Emulator.Admin;

/// <summary>
/// One provider request as the emulator saw it. <see cref="Path"/> is decoded segment by segment
/// (so an id sent as <c>a%2Fb</c> shows as <c>a/b</c>); <see cref="RawTarget"/> is exactly what the client sent.
/// <see cref="Status"/> is the status the emulator produced (also for drop-after, where the client got no
/// response), 0 when no response was produced (hang, client gave up).
/// </summary>
public sealed record RequestLogEntry
{
    public long Seq { get; init; }

    public DateTimeOffset Time { get; init; }

    public string Provider { get; init; } = "";

    public string Method { get; init; } = "";

    public string Path { get; init; } = "";

    public string RawTarget { get; init; } = "";

    /// <summary>The raw query string without the leading '?', empty when there is none.</summary>
    public string Query { get; init; } = "";

    /// <summary>The Idempotency-Key header (Voltage Park), when sent.</summary>
    public string? IdempotencyKey { get; init; }

    /// <summary>The remediation_id query parameter (Together), when sent.</summary>
    public string? RemediationId { get; init; }

    public string? UserAgent { get; init; }

    /// <summary>The request body (first 4096 characters), when there was one.</summary>
    public string? Body { get; init; }

    public int Status { get; init; }

    /// <summary>none | status | ratelimit | latency | drop-after | malformed | hang.</summary>
    public string Fault { get; init; } = "none";
}
