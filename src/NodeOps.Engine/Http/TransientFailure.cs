namespace NodeOps.Engine.Http;

/// <summary>
/// Raised inside one attempt for a failure the retry strategy should retry. Never escapes the
/// pipeline: when retries run out, <see cref="Final"/> is thrown instead.
/// </summary>
internal sealed class TransientFailure : Exception
{
    public TransientFailure(NodeOpsException final, TimeSpan? retryAfter)
        : base(final.Message, final)
    {
        Final = final;
        RetryAfter = retryAfter;
    }

    public NodeOpsException Final { get; }

    /// <summary>The delay the server asked for (Retry-After, or the in-progress wait), if any.</summary>
    public TimeSpan? RetryAfter { get; }

    /// <summary>The provider is still processing the same idempotency key: waiting is not a failure retry.</summary>
    public bool KeyInProgress { get; init; }
}
