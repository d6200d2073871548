using System.Runtime.CompilerServices;
using System.Text.Json;
using NodeOps.Engine.Http;
using NodeOps.Engine.Json;

namespace NodeOps.Engine.Providers.Together;

/// <summary>
/// Together AI GPU clusters and instance remediations (<c>/v1/compute/...</c>). The cluster's
/// <c>gpu_worker_nodes</c> are the nodes; there is no separate instance listing.
/// </summary>
public sealed class TogetherClient : INodeCatalog, IClusterCatalog, IRemediator, IRemediationTracker, IRemediationReviewer
{
    private const CloudProvider P = CloudProvider.Together;
    private static readonly TogetherJsonContext Json = TogetherJsonContext.Default;

    private readonly HttpPipeline _pipeline;

    internal TogetherClient(HttpPipeline pipeline)
    {
        _pipeline = pipeline;
    }

    private Uri Endpoint => _pipeline.Connection.Endpoint;

    // ---- clusters ---------------------------------------------------------------------------------

    public async IAsyncEnumerable<GpuCluster> ListClustersAsync(string? projectId, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var list = await ReadClustersAsync(projectId, c => TogetherMapping.ToCluster(c, Endpoint), cancellationToken).ConfigureAwait(false);
        foreach (var cluster in list)
        {
            yield return cluster;
        }
    }

    public Task<GpuCluster> GetClusterAsync(string clusterId, CancellationToken cancellationToken = default) =>
        ReadClusterAsync(clusterId, c => TogetherMapping.ToCluster(c, Endpoint), cancellationToken);

    IAsyncEnumerable<GpuCluster> IClusterCatalog.ListClustersAsync(CancellationToken cancellationToken) => ListClustersAsync(null, cancellationToken);

    // Replies are mapped by `map` inside the read, so a value that cannot be mapped fails there: its error is
    // redacted like any other reply's, and the request is retried like one whose reply cannot be parsed.
    private Task<List<T>> ReadClustersAsync<T>(string? projectId, Func<TgCluster, T> map, CancellationToken ct)
    {
        var path = "/v1/compute/clusters" + new QueryBuilder().Add("projectId", projectId);
        return _pipeline.SendAsync(
            ApiRequest.Get(path, "list clusters"),
            r =>
            {
                var list = JsonReply.Read(r, Json.TgClusterList, P, "list clusters");
                var mapped = new List<T>(list.Clusters?.Count ?? 0);
                foreach (var cluster in Wire.Entries(list.Clusters))
                {
                    mapped.Add(map(cluster));
                }

                return mapped;
            },
            ct);
    }

    private Task<T> ReadClusterAsync<T>(string clusterId, Func<TgCluster, T> map, CancellationToken ct) =>
        _pipeline.SendAsync(
            ApiRequest.Get(ApiPath.Format($"/v1/compute/clusters/{clusterId}"), "get cluster", clusterId),
            r => map(JsonReply.Read(r, Json.TgCluster, P, $"cluster '{clusterId}'")),
            ct);

    // ---- nodes ------------------------------------------------------------------------------------

    /// <summary>
    /// The GPU worker nodes of one cluster, or of every cluster when <paramref name="clusterId"/> is null.
    /// Nodes that have left the data plane (<c>deleted_gpu_worker_nodes</c>) only with <paramref name="includeDeleted"/>.
    /// </summary>
    public async IAsyncEnumerable<TogetherNode> ListNodesAsync(string? clusterId, bool includeDeleted = false, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (clusterId is not null)
        {
            foreach (var node in await ReadClusterAsync(clusterId, c => NodesOf(c, includeDeleted), cancellationToken).ConfigureAwait(false))
            {
                yield return node;
            }

            yield break;
        }

        // The list may or may not carry worker nodes; a cluster listed without them is fetched.
        var summaries = await ReadClustersAsync(
            null,
            (string? Fetch, List<TogetherNode>? Listed) (c) => c.GpuWorkerNodes is null && Wire.PathId(c.ClusterId, "cluster_id", P, "cluster") is { Length: > 0 } id ? (id, null) : (null, NodesOf(c, includeDeleted)),
            cancellationToken).ConfigureAwait(false);
        foreach (var (fetch, listed) in summaries)
        {
            var nodes = listed ?? await ReadClusterAsync(fetch!, c => NodesOf(c, includeDeleted), cancellationToken).ConfigureAwait(false);
            foreach (var node in nodes)
            {
                yield return node;
            }
        }
    }

    public async Task<TogetherNode> GetNodeAsync(string nodeId, string? clusterId, CancellationToken cancellationToken = default)
    {
        PathSegment.Escape(nodeId, "Id");
        if (clusterId is not null)
        {
            return await ReadClusterAsync(clusterId, c => FindNode(c, nodeId), cancellationToken).ConfigureAwait(false)
                ?? throw NodeNotFound(nodeId, $"cluster '{clusterId}'");
        }

        await foreach (var node in ListNodesAsync(null, includeDeleted: true, cancellationToken).ConfigureAwait(false))
        {
            if (node.Id == nodeId || node.WorkerNodeId == nodeId)
            {
                return node;
            }
        }

        throw NodeNotFound(nodeId, "any cluster");
    }

    IAsyncEnumerable<GpuNode> INodeCatalog.ListNodesAsync(NodeQuery query, CancellationToken cancellationToken) =>
        ListNodesAsync(query.ClusterId, includeDeleted: false, cancellationToken);

    async Task<GpuNode> INodeCatalog.GetNodeAsync(string nodeId, string? clusterId, CancellationToken cancellationToken) =>
        await GetNodeAsync(nodeId, clusterId, cancellationToken).ConfigureAwait(false);

    private List<TogetherNode> NodesOf(TgCluster cluster, bool includeDeleted)
    {
        var nodes = new List<TogetherNode>((cluster.GpuWorkerNodes?.Count ?? 0) + (includeDeleted ? cluster.DeletedGpuWorkerNodes?.Count ?? 0 : 0));
        nodes.AddRange(MapNodes(cluster, includeDeleted));
        return nodes;
    }

    private IEnumerable<TogetherNode> MapNodes(TgCluster cluster, bool includeDeleted)
    {
        foreach (var n in Wire.Entries(cluster.GpuWorkerNodes))
        {
            yield return TogetherMapping.ToNode(n, cluster, Endpoint, deleted: false);
        }

        if (includeDeleted)
        {
            foreach (var n in Wire.Entries(cluster.DeletedGpuWorkerNodes))
            {
                yield return TogetherMapping.ToNode(n, cluster, Endpoint, deleted: true);
            }
        }
    }

    /// <summary>Maps nodes only up to the one asked for, so a broken node listed after it does not fail the look-up.</summary>
    private TogetherNode? FindNode(TgCluster cluster, string nodeId)
    {
        foreach (var node in MapNodes(cluster, includeDeleted: true))
        {
            if (node.Id == nodeId || node.WorkerNodeId == nodeId)
            {
                return node;
            }
        }

        return null;
    }

    private static NodeOpsException NodeNotFound(string nodeId, string where) =>
        new(ErrorKind.NotFound, $"Together has no GPU worker node with instance id '{nodeId}' in {where}.") { Provider = P, Target = nodeId };

    // ---- remediations -----------------------------------------------------------------------------

    /// <summary>
    /// Creates a remediation. <paramref name="remediationId"/> makes the call idempotent: retries and
    /// reruns with the same id create nothing new.
    /// </summary>
    public Task<Remediation> CreateRemediationAsync(string clusterId, string instanceId, string? mode, string? reason, string remediationId, CancellationToken cancellationToken = default)
    {
        // The id is what makes the retries below safe: without a usable one (empty is sent as
        // "remediation_id=" and deduplicates nothing) a lost answer would be resent as a second remediation.
        IdempotencyKeys.Validate(remediationId, "RemediationId");
        var body = new TgCreateRemediationBody { Mode = TogetherModes.ToWire(mode), Reason = reason };
        var request = new ApiRequest
        {
            Method = HttpMethod.Post,
            PathAndQuery = ApiPath.Format($"/v1/compute/clusters/{clusterId}/instances/{instanceId}/remediations")
                + new QueryBuilder().Add("remediation_id", remediationId),
            Operation = "create remediation for node",
            Target = instanceId,
            Body = JsonSerializer.SerializeToUtf8Bytes(body, Json.TgCreateRemediationBody),
            Safety = RetrySafety.Safe,
        };
        return _pipeline.SendAsync(
            request,
            r => TogetherMapping.ToRemediation(JsonReply.Read(r, Json.TgRemediation, P, $"remediation of node '{instanceId}'"), Endpoint, clusterId, instanceId, remediationId),
            cancellationToken);
    }

    /// <summary>
    /// Lists remediations of one instance, or of the whole cluster when <paramref name="instanceId"/> is
    /// null (the <c>-</c> wildcard), page by page until <c>has_next</c> is false.
    /// </summary>
    public async IAsyncEnumerable<Remediation> ListRemediationsAsync(
        string clusterId,
        string? instanceId = null,
        IEnumerable<string>? states = null,
        int? pageSize = null,
        string? orderBy = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (pageSize is < 1 or > 1000)
        {
            throw new NodeOpsException(ErrorKind.InvalidArgument, "-PageSize must be between 1 and 1000.") { Provider = P };
        }

        var stateList = states?.ToList();
        var basePath = ApiPath.Format($"/v1/compute/clusters/{clusterId}/instances/{instanceId ?? "-"}/remediations");
        string? token = null;
        var seenTokens = new HashSet<string>(StringComparer.Ordinal);
        do
        {
            var path = basePath + new QueryBuilder()
                .Add("pageSize", pageSize)
                .Add("pageToken", token)
                .Add("orderBy", orderBy)
                .AddEach("state", stateList);
            // Each page is mapped inside its read, and then streamed.
            var page = await _pipeline.SendAsync(
                ApiRequest.Get(path, "list remediations of cluster", clusterId),
                r => MapRemediations(JsonReply.Read(r, Json.TgRemediationList, P, $"remediations of cluster '{clusterId}'"), clusterId),
                cancellationToken).ConfigureAwait(false);

            foreach (var item in page.Items)
            {
                yield return item;
            }

            if (page.HasNext != true)
            {
                yield break;
            }

            token = page.NextPageToken;

            // A server that says "more" without a new token would otherwise loop forever.
            if (string.IsNullOrEmpty(token) || !seenTokens.Add(token))
            {
                throw JsonReply.Invalid(P, $"remediations of cluster '{clusterId}'", "has_next is true but next_page_token is missing or repeats");
            }
        }
        while (true);
    }

    private (List<Remediation> Items, bool? HasNext, string? NextPageToken) MapRemediations(TgRemediationList page, string clusterId)
    {
        var items = new List<Remediation>(page.Remediations?.Count ?? 0);
        foreach (var item in Wire.Entries(page.Remediations))
        {
            items.Add(TogetherMapping.ToRemediation(item, Endpoint, clusterId));
        }

        return (items, page.HasNext, page.NextPageToken);
    }

    public Task<Remediation> GetRemediationAsync(string clusterId, string? instanceId, string remediationId, CancellationToken cancellationToken = default) =>
        _pipeline.SendAsync(
            ApiRequest.Get(
                ApiPath.Format($"/v1/compute/clusters/{clusterId}/instances/{instanceId ?? "-"}/remediations/{remediationId}"),
                "get remediation",
                remediationId),
            r => TogetherMapping.ToRemediation(JsonReply.Read(r, Json.TgRemediation, P, $"remediation '{remediationId}'"), Endpoint, clusterId, instanceId),
            cancellationToken);

    public Task<Remediation> ApproveRemediationAsync(string clusterId, string? instanceId, string remediationId, string? comment, string? mode, CancellationToken cancellationToken = default) =>
        ReviewAsync(clusterId, instanceId, remediationId, "approve", new TgReviewBody { Comment = comment, Mode = mode is null ? null : TogetherModes.ToWire(mode) },
            r => r.ProviderState != "PENDING_APPROVAL" && !string.IsNullOrEmpty(r.ReviewedBy), cancellationToken);

    public Task<Remediation> RejectRemediationAsync(string clusterId, string? instanceId, string remediationId, string? comment, CancellationToken cancellationToken = default) =>
        ReviewAsync(clusterId, instanceId, remediationId, "reject", new TgReviewBody { Comment = comment },
            r => r.State == RemediationState.Rejected, cancellationToken);

    public Task<Remediation> CancelRemediationAsync(string clusterId, string? instanceId, string remediationId, CancellationToken cancellationToken = default) =>
        ReviewAsync(clusterId, instanceId, remediationId, "cancel", null,
            r => r.ProviderState == "CANCELLED", cancellationToken);

    /// <summary>
    /// Approve, reject and cancel are state transitions: repeating one cannot do it twice, so they are
    /// retried. If a retry meets "wrong state" because the first attempt did go through, the
    /// remediation is read back and returned when it shows the transition happened.
    /// </summary>
    private async Task<Remediation> ReviewAsync(
        string clusterId,
        string? instanceId,
        string remediationId,
        string verb,
        TgReviewBody? body,
        Func<Remediation, bool> happened,
        CancellationToken ct)
    {
        var request = new ApiRequest
        {
            Method = HttpMethod.Post,
            PathAndQuery = ApiPath.Format($"/v1/compute/clusters/{clusterId}/instances/{instanceId ?? "-"}/remediations/{remediationId}/") + verb,
            Operation = verb + " remediation",
            Target = remediationId,
            Body = body is null ? null : JsonSerializer.SerializeToUtf8Bytes(body, Json.TgReviewBody),
            Safety = RetrySafety.Safe,
        };
        try
        {
            return await _pipeline.SendAsync(
                request,
                r => TogetherMapping.ToRemediation(JsonReply.Read(r, Json.TgRemediation, P, $"remediation '{remediationId}'"), Endpoint, clusterId, instanceId),
                ct).ConfigureAwait(false);
        }
        catch (NodeOpsApiException ex) when (ex.Kind == ErrorKind.InvalidState && request.AttemptsMade > 1)
        {
            var current = await GetRemediationAsync(clusterId, instanceId, remediationId, ct).ConfigureAwait(false);
            if (happened(current))
            {
                return current;
            }

            throw;
        }
    }

    // ---- capability adapters ------------------------------------------------------------------

    RemediationGrouping IRemediator.Grouping => RemediationGrouping.PerNode;

    bool IRemediator.RequiresClusterId => true;

    bool IRemediator.RecognisesRepeats => true;

    void IRemediator.Validate(RemediationSettings settings) => TogetherModes.ToWire(settings.Mode);

    async Task<IReadOnlyList<RemediationOutcome>> IRemediator.RemediateAsync(RemediationBatch batch, CancellationToken cancellationToken)
    {
        var target = batch.Targets[0];
        var remediation = await CreateRemediationAsync(batch.ClusterId!, target.NodeId, batch.Settings.Mode, batch.Settings.Reason, batch.IdempotencyKey, cancellationToken).ConfigureAwait(false);
        return [new RemediationOutcome(target, remediation, null)];
    }

    IAsyncEnumerable<Remediation> IRemediationTracker.ListRemediationsAsync(RemediationQuery query, CancellationToken cancellationToken)
    {
        var clusterId = query.ClusterId ?? throw new NodeOpsException(ErrorKind.InvalidArgument, "Together remediations are listed per cluster: pass -ClusterId.") { Provider = P };
        return FilterAsync(query, clusterId, cancellationToken);
    }

    private async IAsyncEnumerable<Remediation> FilterAsync(RemediationQuery query, string clusterId, [EnumeratorCancellation] CancellationToken ct)
    {
        // Filter by wire state on the server where every asked state has one; always re-check the
        // normalised state here, because Rejected and Cancelled share CANCELLED on the wire.
        var wanted = query.State is { Count: > 0 } s ? s.ToHashSet() : null;
        List<string>? wire = null;
        if (wanted is not null)
        {
            wire = [];
            foreach (var state in wanted)
            {
                if (TogetherMapping.WireStates(state) is not { } names)
                {
                    wire = null;
                    break;
                }

                wire.AddRange(names);
            }
        }

        await foreach (var r in ListRemediationsAsync(clusterId, query.NodeId, wire?.Distinct(), query.PageSize, query.OrderBy, ct).ConfigureAwait(false))
        {
            if (wanted is null || wanted.Contains(r.State))
            {
                yield return r;
            }
        }
    }

    Task<Remediation> IRemediationTracker.GetRemediationAsync(RemediationRef remediation, CancellationToken cancellationToken) =>
        GetRemediationAsync(RequireCluster(remediation), NullIfEmpty(remediation.NodeId), RequireId(remediation), cancellationToken);

    Task<Remediation> IRemediationReviewer.ApproveAsync(RemediationRef remediation, string? comment, string? mode, CancellationToken cancellationToken) =>
        ApproveRemediationAsync(RequireCluster(remediation), NullIfEmpty(remediation.NodeId), RequireId(remediation), comment, mode, cancellationToken);

    Task<Remediation> IRemediationReviewer.RejectAsync(RemediationRef remediation, string? comment, CancellationToken cancellationToken) =>
        RejectRemediationAsync(RequireCluster(remediation), NullIfEmpty(remediation.NodeId), RequireId(remediation), comment, cancellationToken);

    Task<Remediation> IRemediationReviewer.CancelAsync(RemediationRef remediation, CancellationToken cancellationToken) =>
        CancelRemediationAsync(RequireCluster(remediation), NullIfEmpty(remediation.NodeId), RequireId(remediation), cancellationToken);

    private static string RequireCluster(RemediationRef r) =>
        r.ClusterId is { Length: > 0 } c ? c : throw new NodeOpsException(ErrorKind.InvalidArgument, $"Together remediation '{r}' needs -ClusterId.") { Provider = P, Target = r.ToString() };

    private static string RequireId(RemediationRef r) =>
        r.Id is { Length: > 0 } id ? id : throw new NodeOpsException(ErrorKind.InvalidArgument, $"A Together remediation of node '{r.NodeId}' needs -Id.") { Provider = P, Target = r.NodeId };

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
