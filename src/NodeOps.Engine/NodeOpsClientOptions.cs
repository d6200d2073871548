namespace NodeOps.Engine;

/// <summary>
/// How the engine talks to providers. The defaults suit an interactive shell and a runbook alike.
/// There is deliberately no switch to turn off TLS certificate validation.
/// </summary>
public sealed class NodeOpsClientOptions
{
    /// <summary>Retries after the first attempt, for failures that are safe to retry.</summary>
    public int MaxRetries { get; set; } = 4;

    /// <summary>First retry delay; later ones grow exponentially with jitter.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest <c>Retry-After</c> honoured; a longer one fails the call as rate limited.</summary>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long to wait before asking again about an idempotency key still in progress (Voltage Park says 5 s).</summary>
    public TimeSpan KeyInProgressDelay { get; set; } = TimeSpan.FromSeconds(5);

    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>All attempts of one call together, including waits.</summary>
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromMinutes(3);

    /// <summary>Replies larger than this fail with <see cref="ErrorKind.InvalidResponse"/> instead of exhausting memory.</summary>
    public int MaxResponseBytes { get; set; } = 32 * 1024 * 1024;

    /// <summary>
    /// Provider calls a fan-out (remediating many nodes) runs at once; also how many Voltage Park fleets a
    /// listing of every fleet reads at once (a fleet's health is read beside its first page, so up to twice as
    /// many requests).
    /// </summary>
    public int MaxConcurrency { get; set; } = 16;

    /// <summary>How often <c>Wait-Remediation</c> asks for the state.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Appended to <c>NodeOps/&lt;version&gt;</c> in the User-Agent, e.g. <c>PowerShell/7.4.6</c>.</summary>
    public string? UserAgentSuffix { get; set; }

    public IRequestTracer? Tracer { get; set; }

    /// <summary>Tests only: replaces the shared socket handler (e.g. to reach a canned-response server).</summary>
    internal HttpMessageHandler? Transport { get; set; }

    internal void Validate()
    {
        static void Positive(TimeSpan value, string name)
        {
            if (value <= TimeSpan.Zero)
            {
                throw new NodeOpsException(ErrorKind.InvalidArgument, $"{name} must be positive.");
            }
        }

        if (MaxRetries is < 0 or > 20)
        {
            throw new NodeOpsException(ErrorKind.InvalidArgument, "MaxRetries must be between 0 and 20.");
        }

        if (MaxConcurrency is < 1 or > 256)
        {
            throw new NodeOpsException(ErrorKind.InvalidArgument, "MaxConcurrency must be between 1 and 256.");
        }

        if (MaxResponseBytes < 1024)
        {
            throw new NodeOpsException(ErrorKind.InvalidArgument, "MaxResponseBytes must be at least 1024.");
        }

        Positive(RetryBaseDelay, nameof(RetryBaseDelay));
        Positive(RetryMaxDelay, nameof(RetryMaxDelay));
        Positive(AttemptTimeout, nameof(AttemptTimeout));
        Positive(TotalTimeout, nameof(TotalTimeout));
        Positive(PollInterval, nameof(PollInterval));
        Positive(KeyInProgressDelay, nameof(KeyInProgressDelay));
    }
}
