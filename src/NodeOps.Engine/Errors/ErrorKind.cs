namespace NodeOps.Engine;

/// <summary>
/// What went wrong, independent of provider. Each kind is a stable PowerShell ErrorId and maps to one
/// error category (<see cref="ErrorKindExtensions.Category"/>).
/// </summary>
public enum ErrorKind
{
    Unspecified = 0,

    /// <summary>The caller's input was rejected before any request was sent.</summary>
    InvalidArgument,

    /// <summary>The provider rejected the request as invalid (400, 422).</summary>
    ValidationFailed,

    NotFound,
    AuthenticationFailed,
    PermissionDenied,
    AlreadyExists,

    /// <summary>The resource is not in a state that allows the operation (e.g. 409, FAILED_PRECONDITION).</summary>
    InvalidState,

    /// <summary>The same idempotency key is still being processed and waiting did not help.</summary>
    IdempotencyKeyInProgress,

    /// <summary>The idempotency key was used before with a different request body.</summary>
    IdempotencyKeyMismatch,

    RateLimited,
    ServerError,

    /// <summary>No connection could be made, or it broke before anything was sent.</summary>
    ConnectionFailed,

    /// <summary>
    /// A request that is not safe to repeat was sent but its answer was lost; it may or may not have
    /// taken effect. NodeOps never guesses.
    /// </summary>
    OutcomeUnknown,

    Timeout,

    /// <summary>The provider's reply could not be read (malformed, truncated, too large, missing fields).</summary>
    InvalidResponse,

    /// <summary>The provider has no API for the operation.</summary>
    NotSupported,

    Cancelled,
}
