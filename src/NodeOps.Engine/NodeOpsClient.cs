using System.Runtime.CompilerServices;
using NodeOps.Engine.Http;
using NodeOps.Engine.Providers;

namespace NodeOps.Engine;

/// <summary>
/// The engine's facade for one connection (provider, endpoint, credential): the common operations in
/// terms of the common model. An operation the provider's API lacks fails with
/// <see cref="ErrorKind.NotSupported"/> before anything is sent.
/// </summary>
public sealed class NodeOpsClient
{
    private readonly object _provider;

    public NodeOpsClient(ProviderConnection connection, NodeOpsClientOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        Options = options ?? new NodeOpsClientOptions();
        Pipeline = new HttpPipeline(connection, Options);
        _provider = ProviderRegistry.Get(connection.Provider).CreateClient(Pipeline);
    }

    public ProviderConnection Connection => Pipeline.Connection;

    public CloudProvider Provider => Pipeline.Provider;

    public NodeOpsClientOptions Options { get; }

    internal HttpPipeline Pipeline { get; }

    /// <summary>
    /// The provider's own client, with every endpoint NodeOps covers (e.g. Voltage Park fleet health).
    /// </summary>
    public T ProviderClient<T>()
        where T : class =>
        _provider as T ?? throw new NodeOpsException(
            ErrorKind.InvalidArgument,
            $"This connection is to {Provider}; it has no {typeof(T).Name}.") { Provider = Provider };

    // ---- nodes and clusters -------------------------------------------------------------------

    public async IAsyncEnumerable<GpuNode> GetNodesAsync(NodeQuery? query = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        query ??= new NodeQuery();
        var status = query.Status is { Count: > 0 } s ? s.ToHashSet() : null;
        await foreach (var node in Capability<INodeCatalog>("list nodes").ListNodesAsync(query, cancellationToken).ConfigureAwait(false))
        {
            if (status is null || status.Contains(node.Status))
            {
                yield return node;
            }
        }
    }

    public Task<GpuNode> GetNodeAsync(string nodeId, string? clusterId = null, CancellationToken cancellationToken = default) =>
        Capability<INodeCatalog>("get a node").GetNodeAsync(nodeId, clusterId, cancellationToken);

    public IAsyncEnumerable<GpuCluster> GetClustersAsync(CancellationToken cancellationToken = default) =>
        Capability<IClusterCatalog>("list clusters").ListClustersAsync(cancellationToken);

    public Task<GpuCluster> GetClusterAsync(string clusterId, CancellationToken cancellationToken = default) =>
        Capability<IClusterCatalog>("get a cluster").GetClusterAsync(clusterId, cancellationToken);

    // ---- remediation ----------------------------------------------------------------------------

    /// <summary>
    /// Plans the requests for <paramref name="targets"/> without sending anything: what
    /// <c>-WhatIf</c> and the tests look at.
    /// </summary>
    public RemediationPlan PlanRemediation(IEnumerable<RemediationTarget> targets, RemediationSettings settings, string? operationKey = null)
    {
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentNullException.ThrowIfNull(settings);
        var remediator = Capability<IRemediator>("remediate nodes");
        remediator.Validate(settings);
        if (operationKey is not null)
        {
            IdempotencyKeys.Validate(operationKey);
        }

        return RemediationPlanner.Plan(Provider, remediator, targets, settings, operationKey ?? IdempotencyKeys.NewOperationKey());
    }

    /// <summary>
    /// Remediates the targets: one request per Voltage Park fleet, one per node elsewhere, at most
    /// <see cref="NodeOpsClientOptions.MaxConcurrency"/> at a time. Yields one outcome per distinct
    /// target as requests complete; a failed request yields an error outcome for each of its targets
    /// and the rest go on.
    /// </summary>
    public IAsyncEnumerable<RemediationOutcome> RemediateAsync(
        IEnumerable<RemediationTarget> targets,
        RemediationSettings settings,
        string? operationKey = null,
        CancellationToken cancellationToken = default) =>
        RemediateAsync(PlanRemediation(targets, settings, operationKey), cancellationToken);

    /// <summary>Sends a plan made by <see cref="PlanRemediation"/>.</summary>
    public async IAsyncEnumerable<RemediationOutcome> RemediateAsync(RemediationPlan plan, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var remediator = Capability<IRemediator>("remediate nodes");
        foreach (var refused in plan.Refused)
        {
            yield return refused;
        }

        await foreach (var outcomes in BoundedFanOut.RunAsync(plan.Batches, Options.MaxConcurrency, (batch, ct) => SendBatchAsync(remediator, batch, ct), cancellationToken).ConfigureAwait(false))
        {
            foreach (var outcome in outcomes)
            {
                yield return outcome;
            }
        }
    }

    private async Task<IReadOnlyList<RemediationOutcome>> SendBatchAsync(IRemediator remediator, RemediationBatch batch, CancellationToken ct)
    {
        try
        {
            return await remediator.RemediateAsync(batch, ct).ConfigureAwait(false);
        }
        catch (NodeOpsException ex)
        {
            return batch.Targets.Select(t => new RemediationOutcome(t, null, ex)).ToList();
        }
    }

    public IAsyncEnumerable<Remediation> GetRemediationsAsync(RemediationQuery query, CancellationToken cancellationToken = default) =>
        Capability<IRemediationTracker>("list remediations").ListRemediationsAsync(query, cancellationToken);

    public Task<Remediation> GetRemediationAsync(RemediationRef remediation, CancellationToken cancellationToken = default) =>
        Capability<IRemediationTracker>("get a remediation").GetRemediationAsync(remediation, cancellationToken);

    public Task<Remediation> ApproveRemediationAsync(RemediationRef remediation, string? comment = null, string? mode = null, CancellationToken cancellationToken = default) =>
        Capability<IRemediationReviewer>("approve remediations").ApproveAsync(remediation, comment, mode, cancellationToken);

    public Task<Remediation> DenyRemediationAsync(RemediationRef remediation, string? comment = null, CancellationToken cancellationToken = default) =>
        Capability<IRemediationReviewer>("deny remediations").RejectAsync(remediation, comment, cancellationToken);

    public Task<Remediation> StopRemediationAsync(RemediationRef remediation, CancellationToken cancellationToken = default) =>
        Capability<IRemediationReviewer>("cancel remediations").CancelAsync(remediation, cancellationToken);

    /// <summary>
    /// Polls until the remediation reaches a terminal state, reporting every poll to
    /// <paramref name="onPoll"/>. Fails with <see cref="ErrorKind.Timeout"/> naming the remediation
    /// and its last state when <paramref name="timeout"/> passes first.
    /// </summary>
    public async Task<Remediation> WaitForRemediationAsync(
        RemediationRef remediation,
        TimeSpan timeout,
        Action<Remediation>? onPoll = null,
        CancellationToken cancellationToken = default)
    {
        var tracker = Capability<IRemediationTracker>("track remediations");
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (true)
        {
            var current = await tracker.GetRemediationAsync(remediation, cancellationToken).ConfigureAwait(false);
            onPoll?.Invoke(current);
            if (current.State.IsTerminal())
            {
                return current;
            }

            var left = deadline - DateTimeOffset.UtcNow;
            if (left <= TimeSpan.Zero)
            {
                throw new NodeOpsException(
                    ErrorKind.Timeout,
                    $"{Provider} remediation '{remediation}' of node '{remediation.NodeId}' is still {current.State} ({current.ProviderState}) after {timeout.TotalSeconds:0.#} s.")
                {
                    Provider = Provider,
                    Target = remediation.ToString(),
                };
            }

            await Task.Delay(left < Options.PollInterval ? left : Options.PollInterval, cancellationToken).ConfigureAwait(false);
        }
    }

    // ---- node lifecycle --------------------------------------------------------------------------

    public Task<Remediation> RedeployNodeAsync(RedeployRequest request, CancellationToken cancellationToken = default) =>
        Capability<INodeRedeployer>("redeploy nodes").RedeployAsync(request, cancellationToken);

    public Task RemoveNodeAsync(string nodeId, CancellationToken cancellationToken = default) =>
        Capability<INodeRemover>("remove nodes").RemoveNodeAsync(nodeId, cancellationToken);

    public Task<GpuNode> ReleaseNodeAsync(string nodeId, CancellationToken cancellationToken = default) =>
        Capability<INodeReleaser>("release nodes").ReleaseNodeAsync(nodeId, cancellationToken);

    public Task<NodeImportResult> ImportNodeFromOfferAsync(ImportFromOfferRequest request, CancellationToken cancellationToken = default) =>
        Capability<INodeImporter>("import nodes").ImportFromOfferAsync(request, cancellationToken);

    public Task<NodeImportResult> ImportNodeViaSshAsync(ImportViaSshRequest request, CancellationToken cancellationToken = default) =>
        Capability<INodeImporter>("import nodes").ImportViaSshAsync(request, cancellationToken);

    public Task<NodeUpdateResult> UpdateNodeAsync(NodeUpdate update, CancellationToken cancellationToken = default) =>
        Capability<INodeUpdater>("update nodes").UpdateNodeAsync(update, cancellationToken);

    public Task<NodeUpdateResult> SendHeartbeatAsync(string nodeId, CancellationToken cancellationToken = default) =>
        Capability<INodeUpdater>("send node heartbeats").SendHeartbeatAsync(nodeId, cancellationToken);

    /// <summary>The providers this build of NodeOps can talk to.</summary>
    public static IReadOnlyList<CloudProvider> AvailableProviders => ProviderRegistry.All.Select(d => d.Provider).ToList();

    /// <summary>
    /// Throws the same <see cref="ErrorKind.NotSupported"/> error (with its recommended action) the operation
    /// itself would, so a command can refuse an input before asking for confirmation.
    /// </summary>
    public void EnsureSupported(NodeOperation operation)
    {
        if (Supports(operation))
        {
            return;
        }

        var what = operation switch
        {
            NodeOperation.ListNodes => "list nodes",
            NodeOperation.ListClusters => "list clusters",
            NodeOperation.Remediate => "remediate nodes",
            NodeOperation.TrackRemediation => "track remediations",
            NodeOperation.ReviewRemediation => "approve remediations",
            NodeOperation.Redeploy => "redeploy nodes",
            NodeOperation.Remove => "remove nodes",
            NodeOperation.Release => "release nodes",
            NodeOperation.Import => "import nodes",
            NodeOperation.Update => "update nodes",
            _ => operation.ToString(),
        };
        throw new NodeOpsException(ErrorKind.NotSupported, $"{Provider} has no API to {what}.")
        {
            Provider = Provider,
            RecommendedAction = NotSupportedHint(what),
        };
    }

    /// <summary>Whether the provider supports an operation, by the verb <see cref="Supports"/> names.</summary>
    public bool Supports(NodeOperation operation) => operation switch
    {
        NodeOperation.ListNodes => _provider is INodeCatalog,
        NodeOperation.ListClusters => _provider is IClusterCatalog,
        NodeOperation.Remediate => _provider is IRemediator,
        NodeOperation.TrackRemediation => _provider is IRemediationTracker,
        NodeOperation.ReviewRemediation => _provider is IRemediationReviewer,
        NodeOperation.Redeploy => _provider is INodeRedeployer,
        NodeOperation.Remove => _provider is INodeRemover,
        NodeOperation.Release => _provider is INodeReleaser,
        NodeOperation.Import => _provider is INodeImporter,
        NodeOperation.Update => _provider is INodeUpdater,
        _ => false,
    };

    private T Capability<T>(string what)
        where T : class =>
        _provider as T ?? throw new NodeOpsException(
            ErrorKind.NotSupported,
            $"{Provider} has no API to {what}.")
        {
            Provider = Provider,
            RecommendedAction = NotSupportedHint(what),
        };

    private string? NotSupportedHint(string what) => (Provider, what) switch
    {
        (CloudProvider.Exalsius, "remediate nodes") =>
            "Exalsius offers no remediation: detach the node from its cluster, remove it (Remove-GpuNode) and import it again (Import-GpuNode).",
        (CloudProvider.VoltagePark, "track remediations" or "get a remediation" or "list remediations") =>
            "Voltage Park returns no remediation id; watch the node's Status with Get-GpuNode.",
        _ => null,
    };
}

/// <summary>The operations a provider may or may not support (see <see cref="NodeOpsClient.Supports"/>).</summary>
public enum NodeOperation
{
    ListNodes,
    ListClusters,
    Remediate,
    TrackRemediation,
    ReviewRemediation,
    Redeploy,
    Remove,
    Release,
    Import,
    Update,
}
