namespace NodeOps.Engine;

/// <summary>
/// The one exception type the engine raises for anything that is not a programming error.
/// <see cref="Target"/> names the node, remediation or cluster the failure concerns.
/// </summary>
public class NodeOpsException : Exception
{
    public NodeOpsException(ErrorKind kind, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Kind = kind;
    }

    public ErrorKind Kind { get; }

    public CloudProvider? Provider { get; init; }

    /// <summary>The id of the node, remediation or cluster the failure concerns, when there is one.</summary>
    public string? Target { get; init; }

    public NodeOpsErrorCategory Category => Kind.Category();

    public string ErrorId => Kind.ErrorId();

    /// <summary>A hint on what to do next, when NodeOps knows one.</summary>
    public string? RecommendedAction { get; init; }
}
