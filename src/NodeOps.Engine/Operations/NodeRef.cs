namespace NodeOps.Engine;

/// <summary>
/// A node as a command received it from the pipeline or its parameters: provider, id, cluster and the
/// endpoint it came from. It is the <c>TargetObject</c> of errors about the node, and its property names match
/// the node commands' parameters, so <c>$Error[0].TargetObject | Invoke-NodeRemediation</c> retries it.
/// </summary>
public sealed record NodeRef(CloudProvider Provider, string Id, string? ClusterId = null, Uri? Endpoint = null)
{
    public RemediationTarget ToRemediationTarget() => new(Id, string.IsNullOrEmpty(ClusterId) ? null : ClusterId);

    /// <summary>How confirmation prompts and messages name the node, e.g. <c>Together node 'i-1' in cluster 'c-1'</c>.</summary>
    public string Describe() => string.IsNullOrEmpty(ClusterId)
        ? $"{Provider} node '{Id}'"
        : $"{Provider} node '{Id}' in {ClusterWord(Provider)} '{ClusterId}'";

    public override string ToString() => string.IsNullOrEmpty(ClusterId) ? $"{Provider}:{Id}" : $"{Provider}:{ClusterId}/{Id}";

    /// <summary>What the provider calls the group a node belongs to.</summary>
    public static string ClusterWord(CloudProvider provider) => provider switch
    {
        CloudProvider.VoltagePark => "fleet",
        CloudProvider.SFCompute => "procurement",
        _ => "cluster",
    };
}
