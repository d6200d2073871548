namespace NodeOps.Engine.Http;

/// <summary>Whether a request may be sent again after a failure whose outcome is unknown.</summary>
internal enum RetrySafety
{
    /// <summary>Safe by HTTP semantics (GET) or because it carries an idempotency key/id.</summary>
    Safe,

    /// <summary>
    /// A mutation the provider cannot deduplicate: retried only when the server certainly did not act
    /// on it (429, or a connection that could not be opened).
    /// </summary>
    Unsafe,
}

/// <summary>One provider call, described independently of any attempt to send it.</summary>
internal sealed class ApiRequest
{
    public required HttpMethod Method { get; init; }

    /// <summary>Escaped path (from <see cref="ApiPath"/>) plus query, relative to the endpoint base.</summary>
    public required string PathAndQuery { get; init; }

    /// <summary>Short name for traces and errors, e.g. "list nodes".</summary>
    public required string Operation { get; init; }

    /// <summary>The node, remediation or cluster this call is about, for error messages.</summary>
    public string? Target { get; init; }

    public byte[]? Body { get; init; }

    public string? IdempotencyKey { get; init; }

    public RetrySafety Safety { get; init; } = RetrySafety.Safe;

    /// <summary>
    /// Voltage Park answers 409 while the same idempotency key is still being processed; such requests
    /// wait and try again with the same key.
    /// </summary>
    public bool RetryWhileKeyInProgress { get; init; }

    /// <summary>How many attempts the pipeline made; more than one means an earlier one may have taken effect.</summary>
    public int AttemptsMade { get; internal set; }

    public static ApiRequest Get(string pathAndQuery, string operation, string? target = null) => new()
    {
        Method = HttpMethod.Get,
        PathAndQuery = pathAndQuery,
        Operation = operation,
        Target = target,
    };
}
