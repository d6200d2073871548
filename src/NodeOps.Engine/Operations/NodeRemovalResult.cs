namespace NodeOps.Engine;

/// <summary>What <c>Remove-GpuNode -PassThru</c> reports for each node it removed or released.</summary>
public sealed class NodeRemovalResult
{
    public required CloudProvider Provider { get; init; }

    /// <summary>The node's id; binds to <c>-Id</c> of the node commands.</summary>
    public required string Id { get; init; }

    /// <summary>Deleted (Exalsius, SF Compute delete) or Released (SF Compute release).</summary>
    public required NodeRemovalAction Action { get; init; }

    /// <summary>The node as the provider returned it (SF Compute release), otherwise null.</summary>
    public GpuNode? Node { get; init; }

    public Uri? Endpoint { get; init; }

    public DateTimeOffset Time { get; init; } = DateTimeOffset.UtcNow;

    public static NodeRemovalResult Deleted(NodeRef node)
    {
        ArgumentNullException.ThrowIfNull(node);
        return new NodeRemovalResult { Provider = node.Provider, Id = node.Id, Action = NodeRemovalAction.Deleted, Endpoint = node.Endpoint };
    }

    public static NodeRemovalResult Released(NodeRef node, GpuNode? released)
    {
        ArgumentNullException.ThrowIfNull(node);
        return new NodeRemovalResult { Provider = node.Provider, Id = node.Id, Action = NodeRemovalAction.Released, Node = released, Endpoint = released?.Endpoint ?? node.Endpoint };
    }

    public override string ToString() => $"{Provider}:{Id} {Action}";
}

public enum NodeRemovalAction
{
    Deleted,
    Released,
}
