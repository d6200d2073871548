namespace NodeOps.Emulator.Faults;

/// <summary>The fault chosen for one request. <see cref="DelayMs"/> is extra latency applied before anything else.</summary>
internal readonly record struct FaultDecision(FaultKind Kind, int Status, int RetryAfterSeconds, int DelayMs)
{
    public static readonly FaultDecision None = new(FaultKind.None, 0, 0, 0);

    /// <summary>The kind to report in the request log and counts: a terminal fault wins over added latency.</summary>
    public FaultKind ReportedKind => Kind != FaultKind.None ? Kind : DelayMs > 0 ? FaultKind.Latency : FaultKind.None;
}
