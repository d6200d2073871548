namespace NodeOps.Emulator.Faults;

/// <summary>What the fault injector did to a request. Wire names: none, status, ratelimit, latency, drop-after, malformed, hang.</summary>
internal enum FaultKind
{
    None,
    Status,
    RateLimit,
    Latency,
    DropAfter,
    Malformed,
    Hang,
}

internal static class FaultKinds
{
    public static readonly FaultKind[] All =
        [FaultKind.Status, FaultKind.RateLimit, FaultKind.Latency, FaultKind.DropAfter, FaultKind.Malformed, FaultKind.Hang];

    public static string WireName(this FaultKind kind) => kind switch
    {
        FaultKind.None => "none",
        FaultKind.Status => "status",
        FaultKind.RateLimit => "ratelimit",
        FaultKind.Latency => "latency",
        FaultKind.DropAfter => "drop-after",
        FaultKind.Malformed => "malformed",
        FaultKind.Hang => "hang",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    public static bool TryParse(string? name, out FaultKind kind)
    {
        var normalized = name?.Trim().ToLowerInvariant().Replace("_", "-", StringComparison.Ordinal);
        kind = normalized switch
        {
            "status" or "error" => FaultKind.Status,
            "ratelimit" or "rate-limit" => FaultKind.RateLimit,
            "latency" or "delay" => FaultKind.Latency,
            "drop-after" or "drop" or "dropafter" => FaultKind.DropAfter,
            "malformed" => FaultKind.Malformed,
            "hang" => FaultKind.Hang,
            "none" => FaultKind.None,
            _ => (FaultKind)(-1),
        };
        return Enum.IsDefined(kind);
    }
}
