namespace NodeOps.Emulator.Faults;

/// <summary>
/// Random fault injection for one provider. Rates are probabilities in [0, 1], drawn per request from a
/// seeded generator. At most one of status / ratelimit / drop-after / malformed applies to a request
/// (checked in that order); latency is added on top.
/// </summary>
public sealed class RandomFaultSettings
{
    /// <summary>Probability of answering with one of <see cref="ErrorCodes"/> without processing.</summary>
    public double ErrorRate { get; set; }

    /// <summary>Status codes to pick from (uniformly) for <see cref="ErrorRate"/>. Default 500, 502, 503.</summary>
    public List<int> ErrorCodes { get; set; } = [500, 502, 503];

    /// <summary>Probability of a 429 with Retry-After, without processing.</summary>
    public double RateLimitRate { get; set; }

    public int RetryAfterSeconds { get; set; } = 1;

    /// <summary>Constant delay added to every request of this provider.</summary>
    public int LatencyMs { get; set; }

    public double LatencySpikeRate { get; set; }

    public int LatencySpikeMs { get; set; }

    /// <summary>Probability of processing the request and then dropping the connection without a response.</summary>
    public double DropAfterRate { get; set; }

    /// <summary>Probability of processing the request and then answering 200 with a truncated JSON body.</summary>
    public double MalformedRate { get; set; }

    /// <summary>Seed for this provider's generator; null derives one from the emulator seed.</summary>
    public int? Seed { get; set; }

    internal RandomFaultSettings Clone() => new()
    {
        ErrorRate = ErrorRate,
        ErrorCodes = [.. ErrorCodes],
        RateLimitRate = RateLimitRate,
        RetryAfterSeconds = RetryAfterSeconds,
        LatencyMs = LatencyMs,
        LatencySpikeRate = LatencySpikeRate,
        LatencySpikeMs = LatencySpikeMs,
        DropAfterRate = DropAfterRate,
        MalformedRate = MalformedRate,
        Seed = Seed,
    };

    internal string? Validate()
    {
        foreach (var (name, rate) in new[] { ("errorRate", ErrorRate), ("rateLimitRate", RateLimitRate), ("latencySpikeRate", LatencySpikeRate), ("dropAfterRate", DropAfterRate), ("malformedRate", MalformedRate) })
        {
            if (rate is < 0 or > 1 || double.IsNaN(rate))
            {
                return $"{name} must be between 0 and 1.";
            }
        }

        if (ErrorRate > 0 && (ErrorCodes is null || ErrorCodes.Count == 0))
        {
            return "errorCodes must not be empty when errorRate > 0.";
        }

        if (ErrorCodes is not null && ErrorCodes.Exists(c => c is < 400 or > 599))
        {
            return "errorCodes must be 4xx or 5xx status codes.";
        }

        if (LatencyMs < 0 || LatencySpikeMs < 0 || RetryAfterSeconds < 0)
        {
            return "latencyMs, latencySpikeMs and retryAfterSeconds must not be negative.";
        }

        return null;
    }
}
