namespace NodeOps.Engine;

/// <summary>
/// Everything a PowerShell <c>ErrorRecord</c> needs, decided here so xunit reaches it: a stable ErrorId, the
/// category (same numbers as <c>ErrorCategory</c>), the message, a recommended action and the target.
/// </summary>
public sealed record ErrorReport(
    string ErrorId,
    NodeOpsErrorCategory Category,
    string Message,
    string? RecommendedAction,
    object? Target,
    Exception Exception)
{
    /// <summary>ErrorId for exceptions that are not <see cref="NodeOpsException"/> (programming errors).</summary>
    public const string UnexpectedErrorId = "UnexpectedError";

    /// <summary>
    /// Builds the report for <paramref name="exception"/>. <paramref name="target"/> (the node or remediation
    /// the command was working on) wins over the exception's own <see cref="NodeOpsException.Target"/> id.
    /// </summary>
    public static ErrorReport From(Exception exception, object? target = null)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (exception is AggregateException { InnerExceptions.Count: 1 } aggregate)
        {
            exception = aggregate.InnerExceptions[0];
        }

        if (exception is NodeOpsException ex)
        {
            return new ErrorReport(ex.ErrorId, ex.Category, ex.Message, ex.RecommendedAction ?? DefaultAction(ex), target ?? ex.Target, ex);
        }

        var kind = exception switch
        {
            OperationCanceledException => ErrorKind.Cancelled,
            TimeoutException => ErrorKind.Timeout,
            ArgumentException or FormatException => ErrorKind.InvalidArgument,
            _ => ErrorKind.Unspecified,
        };
        var id = kind == ErrorKind.Unspecified ? UnexpectedErrorId : kind.ErrorId();
        return new ErrorReport(id, kind.Category(), exception.Message, null, target, exception);
    }

    /// <summary>What to do next when the engine did not say anything more specific.</summary>
    public static string? DefaultAction(NodeOpsException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var provider = exception.Provider?.ToString() ?? "<provider>";
        return exception.Kind switch
        {
            ErrorKind.AuthenticationFailed =>
                $"Check the token: run Connect-GpuCloud -Provider {provider} with a valid API key, pass -ApiKey, or set the provider's token environment variable.",
            ErrorKind.PermissionDenied => "The token is valid but may not do this; use a token with the needed scope or project.",
            ErrorKind.NotFound => "Check the id; Get-GpuNode, Get-GpuCluster and Get-Remediation list what exists.",
            ErrorKind.InvalidState => "Refresh the object with Get-GpuNode or Get-Remediation and check its state before retrying.",
            ErrorKind.RateLimited => "The provider is rate limiting; wait and retry, or send fewer requests at once.",
            ErrorKind.ServerError => "The provider failed to handle the request; retry later.",
            ErrorKind.ConnectionFailed => "Check the endpoint and network connectivity, then retry.",
            ErrorKind.OutcomeUnknown =>
                "The request may or may not have taken effect. Check with Get-GpuNode or Get-Remediation before retrying; rerunning with the same -IdempotencyKey is safe where the provider supports keys.",
            ErrorKind.IdempotencyKeyInProgress => "Retry later with the same -IdempotencyKey.",
            ErrorKind.IdempotencyKeyMismatch => "Use a new -IdempotencyKey (or none) for a different set of nodes or settings.",
            ErrorKind.Timeout => "Retry, or allow more time.",
            ErrorKind.InvalidResponse => "The provider's reply could not be read; retry, and report it if it persists.",
            _ => null,
        };
    }
}
