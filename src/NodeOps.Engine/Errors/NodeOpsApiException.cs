namespace NodeOps.Engine;

/// <summary>A provider answered with an error status. Built from all four providers' error shapes.</summary>
public sealed class NodeOpsApiException : NodeOpsException
{
    public NodeOpsApiException(ErrorKind kind, string message, int statusCode)
        : base(kind, message)
    {
        StatusCode = statusCode;
    }

    public int StatusCode { get; }

    /// <summary>The provider's own error code or type (e.g. <c>not_found</c>, <c>FAILED_PRECONDITION</c>).</summary>
    public string? ProviderCode { get; init; }

    /// <summary>The provider's own error message.</summary>
    public string? ProviderMessage { get; init; }

    public string? RequestId { get; init; }

    /// <summary>The response body, trimmed and with secrets redacted.</summary>
    public string? RawBody { get; init; }

    public string? Method { get; init; }

    public string? RequestPath { get; init; }

    public TimeSpan? RetryAfter { get; init; }
}
