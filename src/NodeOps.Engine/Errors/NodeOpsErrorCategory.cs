namespace NodeOps.Engine;

/// <summary>
/// The subset of PowerShell's <c>System.Management.Automation.ErrorCategory</c> NodeOps uses, with the same
/// names and numeric values, so the engine needs no reference to PowerShell. A module-surface test checks
/// that the values still match.
/// </summary>
public enum NodeOpsErrorCategory
{
    NotSpecified = 0,
    InvalidArgument = 5,
    InvalidData = 6,
    InvalidOperation = 7,
    InvalidResult = 8,
    NotImplemented = 11,
    ObjectNotFound = 13,
    OperationStopped = 14,
    OperationTimeout = 15,
    PermissionDenied = 18,
    ResourceBusy = 19,
    ResourceExists = 20,
    ResourceUnavailable = 21,
    ConnectionError = 27,
    AuthenticationError = 28,
    LimitsExceeded = 29,
}

public static class ErrorKindExtensions
{
    public static NodeOpsErrorCategory Category(this ErrorKind kind) => kind switch
    {
        ErrorKind.InvalidArgument or ErrorKind.ValidationFailed => NodeOpsErrorCategory.InvalidArgument,
        ErrorKind.NotFound => NodeOpsErrorCategory.ObjectNotFound,
        ErrorKind.AuthenticationFailed => NodeOpsErrorCategory.AuthenticationError,
        ErrorKind.PermissionDenied => NodeOpsErrorCategory.PermissionDenied,
        ErrorKind.AlreadyExists => NodeOpsErrorCategory.ResourceExists,
        ErrorKind.InvalidState => NodeOpsErrorCategory.InvalidOperation,
        ErrorKind.IdempotencyKeyInProgress => NodeOpsErrorCategory.ResourceBusy,
        ErrorKind.IdempotencyKeyMismatch => NodeOpsErrorCategory.InvalidData,
        ErrorKind.RateLimited => NodeOpsErrorCategory.LimitsExceeded,
        ErrorKind.ServerError => NodeOpsErrorCategory.ResourceUnavailable,
        ErrorKind.ConnectionFailed or ErrorKind.OutcomeUnknown => NodeOpsErrorCategory.ConnectionError,
        ErrorKind.Timeout => NodeOpsErrorCategory.OperationTimeout,
        ErrorKind.InvalidResponse => NodeOpsErrorCategory.InvalidResult,
        ErrorKind.NotSupported => NodeOpsErrorCategory.NotImplemented,
        ErrorKind.Cancelled => NodeOpsErrorCategory.OperationStopped,
        _ => NodeOpsErrorCategory.NotSpecified,
    };

    /// <summary>The stable ErrorId PowerShell error records carry for this kind.</summary>
    public static string ErrorId(this ErrorKind kind) => kind.ToString();

    /// <summary>The kind an HTTP status maps to when the provider's error code says nothing more specific.</summary>
    public static ErrorKind FromStatus(int status) => status switch
    {
        400 or 422 => ErrorKind.ValidationFailed,
        401 => ErrorKind.AuthenticationFailed,
        402 or 403 => ErrorKind.PermissionDenied,
        404 => ErrorKind.NotFound,
        408 => ErrorKind.Timeout,
        409 or 412 or 423 => ErrorKind.InvalidState,
        429 => ErrorKind.RateLimited,
        >= 500 => ErrorKind.ServerError,
        _ => ErrorKind.Unspecified,
    };
}
