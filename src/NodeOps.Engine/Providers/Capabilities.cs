namespace NodeOps.Engine.Providers;

// What a provider can do. Each provider folder implements the interfaces its API supports; the facade
// (NodeOpsClient) turns a missing one into a clear NotSupported error naming the provider.

internal interface INodeCatalog
{
    IAsyncEnumerable<GpuNode> ListNodesAsync(NodeQuery query, CancellationToken cancellationToken);

    Task<GpuNode> GetNodeAsync(string nodeId, string? clusterId, CancellationToken cancellationToken);
}

internal interface IClusterCatalog
{
    IAsyncEnumerable<GpuCluster> ListClustersAsync(CancellationToken cancellationToken);

    Task<GpuCluster> GetClusterAsync(string clusterId, CancellationToken cancellationToken);
}

/// <summary>How a provider's remediate call is scoped.</summary>
internal enum RemediationGrouping
{
    /// <summary>One request carries every node of a cluster (Voltage Park fleet batch).</summary>
    PerCluster,

    /// <summary>One request per node.</summary>
    PerNode,
}

internal interface IRemediator
{
    RemediationGrouping Grouping { get; }

    /// <summary>Whether each target must name its cluster (the provider's paths include it).</summary>
    bool RequiresClusterId { get; }

    /// <summary>
    /// Whether the provider recognises a repeated request (an idempotency key or a client-chosen id), so a
    /// rerun with the same operation key replays instead of remediating again.
    /// </summary>
    bool RecognisesRepeats { get; }

    /// <summary>
    /// Checks settings before anything is sent (e.g. a required field, a length limit); throws
    /// <see cref="ErrorKind.InvalidArgument"/> naming the parameter.
    /// </summary>
    void Validate(RemediationSettings settings);

    /// <summary>
    /// Sends one batch. Returns one outcome per target: a provider that answers per node (Voltage Park)
    /// reports rejected nodes as outcomes with errors; a failure of the whole call is thrown.
    /// </summary>
    Task<IReadOnlyList<RemediationOutcome>> RemediateAsync(RemediationBatch batch, CancellationToken cancellationToken);
}

internal interface IRemediationTracker
{
    IAsyncEnumerable<Remediation> ListRemediationsAsync(RemediationQuery query, CancellationToken cancellationToken);

    Task<Remediation> GetRemediationAsync(RemediationRef remediation, CancellationToken cancellationToken);
}

internal interface IRemediationReviewer
{
    Task<Remediation> ApproveAsync(RemediationRef remediation, string? comment, string? mode, CancellationToken cancellationToken);

    Task<Remediation> RejectAsync(RemediationRef remediation, string? comment, CancellationToken cancellationToken);

    Task<Remediation> CancelAsync(RemediationRef remediation, CancellationToken cancellationToken);
}

internal interface INodeRedeployer
{
    Task<Remediation> RedeployAsync(RedeployRequest request, CancellationToken cancellationToken);
}

internal interface INodeRemover
{
    /// <summary>Removes the node; returns it as it was just before, when the provider says.</summary>
    Task RemoveNodeAsync(string nodeId, CancellationToken cancellationToken);
}

internal interface INodeReleaser
{
    Task<GpuNode> ReleaseNodeAsync(string nodeId, CancellationToken cancellationToken);
}

internal interface INodeImporter
{
    Task<NodeImportResult> ImportFromOfferAsync(ImportFromOfferRequest request, CancellationToken cancellationToken);

    Task<NodeImportResult> ImportViaSshAsync(ImportViaSshRequest request, CancellationToken cancellationToken);
}

internal interface INodeUpdater
{
    Task<NodeUpdateResult> UpdateNodeAsync(NodeUpdate update, CancellationToken cancellationToken);

    Task<NodeUpdateResult> SendHeartbeatAsync(string nodeId, CancellationToken cancellationToken);
}
