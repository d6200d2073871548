using System.Runtime.CompilerServices;
using System.Text.Json;
using NodeOps.Engine.Http;
using NodeOps.Engine.Json;

namespace NodeOps.Engine.Providers.SfCompute;

/// <summary>
/// SF Compute Nodes API v1 (<c>/v1/nodes</c>): list, get, redeploy, release and delete nodes.
/// A redeploy (a new VM on the node) is SF Compute's remediation; its new VM id identifies it.
/// </summary>
/// <remarks>
/// No v1 mutation takes an idempotency key or any other id the server could deduplicate by
/// (providers-api.md §4, "Idempotency: none documented"), so every mutation is
/// <see cref="RetrySafety.Unsafe"/>: the pipeline repeats it only after a 429 or a connection that never
/// opened, when the server certainly did not act. A lost answer becomes
/// <see cref="ErrorKind.OutcomeUnknown"/> instead of a resend, because a resent redeploy would replace
/// the VM a second time (killing the one the first request just started), and a resent release or
/// delete would turn a success into a confusing 404 or 409.
/// </remarks>
public sealed class SfComputeClient : INodeCatalog, INodeRedeployer, INodeReleaser, INodeRemover, IRemediator, IRemediationTracker
{
    private const CloudProvider P = CloudProvider.SFCompute;
    private static readonly SfComputeJsonContext Json = SfComputeJsonContext.Default;

    private readonly HttpPipeline _pipeline;

    internal SfComputeClient(HttpPipeline pipeline)
    {
        _pipeline = pipeline;
    }

    private Uri Endpoint => _pipeline.Connection.Endpoint;

    // ---- nodes ------------------------------------------------------------------------------------

    /// <summary>
    /// <c>GET /v1/nodes</c>, optionally filtered by ids (repeated <c>id</c>), names (repeated
    /// <c>name</c>) or node type (<c>type</c>: autoreserved, reserved). The API accepts one kind of
    /// filter per request; a combination is refused before anything is sent.
    /// </summary>
    public async IAsyncEnumerable<SfComputeNode> ListNodesAsync(
        IEnumerable<string>? ids = null,
        IEnumerable<string>? names = null,
        string? type = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var path = "/v1/nodes" + ListQuery(ids, names, type);
        var nodes = await _pipeline.SendAsync(
            ApiRequest.Get(path, "list nodes"),
            r => SfComputeMapping.ToNodes(JsonReply.Read(r, Json.SfNodeList, P, "list nodes"), Endpoint),
            cancellationToken).ConfigureAwait(false);
        foreach (var node in nodes)
        {
            yield return node;
        }
    }

    /// <summary><c>GET /v1/nodes/{id}</c>; <paramref name="id"/> may also be the node's name.</summary>
    public Task<SfComputeNode> GetNodeAsync(string id, CancellationToken cancellationToken = default) =>
        _pipeline.SendAsync(
            ApiRequest.Get(ApiPath.Format($"/v1/nodes/{id}"), "get node", id),
            r => SfComputeMapping.ToNode(JsonReply.Read(r, Json.SfNode, P, $"node '{id}'"), Endpoint),
            cancellationToken);

    /// <summary>
    /// <c>PUT /v1/nodes/{id}/redeploy</c>: replaces the node's VM with a new one. Fields left null are
    /// not sent; with <paramref name="overrideEmpty"/> false (the API's default) the new VM inherits
    /// them from the current one, with true they are cleared. <paramref name="cloudInitUserData"/> must
    /// already be base64. Never resent after a lost answer (see the class remarks).
    /// </summary>
    public async Task<SfComputeRemediation> RedeployAsync(
        string id,
        string? imageId = null,
        string? cloudInitUserData = null,
        bool? overrideEmpty = null,
        CancellationToken cancellationToken = default)
    {
        var path = ApiPath.Format($"/v1/nodes/{id}/redeploy");
        ValidateImageId(imageId);
        ValidateCloudInit(cloudInitUserData);
        var body = new SfRedeployBody { ImageId = imageId, CloudInitUserData = cloudInitUserData, OverrideEmpty = overrideEmpty };
        var request = new ApiRequest
        {
            Method = HttpMethod.Put,
            PathAndQuery = path,
            Operation = "redeploy node",
            Target = id,
            Body = JsonSerializer.SerializeToUtf8Bytes(body, Json.SfRedeployBody),
            Safety = RetrySafety.Unsafe,
        };
        var node = await SendMutationAsync(request, "redeployed", cancellationToken).ConfigureAwait(false);
        return SfComputeMapping.ToRedeploy(node);
    }

    /// <summary>
    /// <c>PATCH /v1/nodes/{id}/release</c> (no body): releases an autoreserved node from its procurement,
    /// lowering the procurement's desired quantity by one. Returns the node as the API reports it.
    /// </summary>
    public Task<SfComputeNode> ReleaseAsync(string id, CancellationToken cancellationToken = default) =>
        SendMutationAsync(
            new ApiRequest
            {
                Method = HttpMethod.Patch,
                PathAndQuery = ApiPath.Format($"/v1/nodes/{id}/release"),
                Operation = "release node",
                Target = id,
                Safety = RetrySafety.Unsafe,
            },
            "released",
            cancellationToken);

    /// <summary>
    /// <c>DELETE /v1/nodes/{id}</c>. The API refuses while the node has active or pending VMs. The reply
    /// is empty (the status code is undocumented; any 2xx counts).
    /// </summary>
    public Task DeleteAsync(string id, CancellationToken cancellationToken = default) =>
        _pipeline.SendAsync(
            new ApiRequest
            {
                Method = HttpMethod.Delete,
                PathAndQuery = ApiPath.Format($"/v1/nodes/{id}"),
                Operation = "delete node",
                Target = id,
                Safety = RetrySafety.Unsafe,
            },
            cancellationToken);

    /// <summary>
    /// The redeploy that created VM <paramref name="vmId"/> on node <paramref name="nodeId"/>, as it
    /// stands now: <c>GET /v1/nodes/{nodeId}</c> and that VM's status.
    /// </summary>
    public async Task<SfComputeRemediation> GetRedeployAsync(string nodeId, string vmId, CancellationToken cancellationToken = default)
    {
        PathSegment.Escape(nodeId, "NodeId");
        PathSegment.Escape(vmId, "Id");
        var node = await GetNodeAsync(nodeId, cancellationToken).ConfigureAwait(false);
        var vm = FindVm(node, vmId) ?? throw new NodeOpsException(
            ErrorKind.NotFound,
            $"SF Compute node '{nodeId}' has no VM '{vmId}'.")
        {
            Provider = P,
            Target = vmId,
            RecommendedAction = "A redeploy's id is the id of the VM it created; see the node's Vms (Get-GpuNode).",
        };
        return SfComputeMapping.ToRemediation(vm, node);
    }

    private static SfComputeVm? FindVm(SfComputeNode node, string vmId)
    {
        if (node.CurrentVm is { } current && current.Id == vmId)
        {
            return current;
        }

        return node.Vms.FirstOrDefault(v => v.Id == vmId);
    }

    /// <summary>
    /// Sends a mutation whose reply is the node. The mutation has happened once a 2xx arrived, so an
    /// unreadable reply must say so: the caller must not simply try again.
    /// </summary>
    private async Task<SfComputeNode> SendMutationAsync(ApiRequest request, string done, CancellationToken ct)
    {
        try
        {
            return await _pipeline.SendAsync(
                request,
                r => SfComputeMapping.ToNode(JsonReply.Read(r, Json.SfNode, P, $"node '{request.Target}'"), Endpoint),
                ct).ConfigureAwait(false);
        }
        catch (NodeOpsException ex) when (ex.Kind == ErrorKind.InvalidResponse)
        {
            throw new NodeOpsException(ErrorKind.InvalidResponse, $"SF Compute {done} node '{request.Target}', but its reply could not be read: {ex.Message}", ex)
            {
                Provider = P,
                Target = request.Target,
                RecommendedAction = "Check the node (Get-GpuNode) before trying again.",
            };
        }
    }

    // ---- validation -------------------------------------------------------------------------------

    /// <summary>The query of <c>GET /v1/nodes</c>; refuses what the API would (mixed filters, empty values).</summary>
    internal static string ListQuery(IEnumerable<string>? ids, IEnumerable<string>? names, string? type)
    {
        var idList = FilterValues(ids, "Id");
        var nameList = FilterValues(names, "Name");
        if (type is not null && string.IsNullOrWhiteSpace(type))
        {
            throw Invalid("-NodeType must not be empty.");
        }

        var used = new List<string>(3);
        if (idList.Count > 0)
        {
            used.Add("-Id");
        }

        if (nameList.Count > 0)
        {
            used.Add("-Name");
        }

        if (type is not null)
        {
            used.Add("-NodeType");
        }

        if (used.Count > 1)
        {
            throw Invalid($"SF Compute lists nodes by one filter at a time: {string.Join(" and ", used)} cannot be combined.");
        }

        return new QueryBuilder().AddEach("id", idList).AddEach("name", nameList).Add("type", type).ToString();
    }

    private static List<string> FilterValues(IEnumerable<string>? values, string parameterName)
    {
        var list = values?.ToList() ?? [];
        if (list.Any(string.IsNullOrEmpty))
        {
            throw Invalid($"-{parameterName} must not contain empty values.");
        }

        if (list.Any(PathSegment.HasUnpairedSurrogate))
        {
            throw PathSegment.NotText(parameterName);
        }

        return list;
    }

    /// <summary>
    /// <c>cloud_init_user_data</c> is <c>string&lt;byte&gt;</c>: standard base64 with padding. Checked
    /// here so plain cloud-init text is refused before sending, with a hint, instead of by the server.
    /// Whitespace is refused too: .NET's decoder skips it, a strict server decoder would not.
    /// </summary>
    internal static void ValidateCloudInit(string? cloudInitUserData, string parameterName = "CloudInitUserData")
    {
        if (cloudInitUserData is null)
        {
            return;
        }

        var valid = !cloudInitUserData.Any(char.IsWhiteSpace)
            && cloudInitUserData.Length % 4 == 0
            && Convert.TryFromBase64String(cloudInitUserData, new byte[cloudInitUserData.Length / 4 * 3], out _);
        if (!valid)
        {
            throw Invalid(
                $"-{parameterName} must be base64-encoded cloud-init user data, e.g. " +
                "[Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes($userData)).");
        }
    }

    internal static void ValidateImageId(string? imageId, string parameterName = "ImageId")
    {
        if (imageId is not null && string.IsNullOrWhiteSpace(imageId))
        {
            throw Invalid($"-{parameterName} must not be empty; leave it out to keep the current image.");
        }
    }

    private static NodeOpsException Invalid(string message) => new(ErrorKind.InvalidArgument, message) { Provider = P };

    // ---- capability adapters ------------------------------------------------------------------

    IAsyncEnumerable<GpuNode> INodeCatalog.ListNodesAsync(NodeQuery query, CancellationToken cancellationToken)
    {
        if (!string.IsNullOrEmpty(query.HostingProvider))
        {
            // Ignoring it would answer a narrower question with every node.
            throw Invalid("-HostingProvider is an Exalsius filter; SF Compute nodes have no hosting provider.");
        }

        ListQuery(query.Ids, query.Names, query.NodeType);
        return FilterByProcurementAsync(ListNodesAsync(query.Ids, query.Names, query.NodeType, cancellationToken), query.ClusterId, cancellationToken);
    }

    /// <summary>The API has no procurement filter; <c>-ClusterId</c> is applied to the listing here.</summary>
    private static async IAsyncEnumerable<GpuNode> FilterByProcurementAsync(
        IAsyncEnumerable<SfComputeNode> nodes,
        string? procurementId,
        [EnumeratorCancellation] CancellationToken ct)
    {
        await foreach (var node in nodes.WithCancellation(ct).ConfigureAwait(false))
        {
            if (procurementId is null || string.Equals(node.ProcurementId, procurementId, StringComparison.Ordinal))
            {
                yield return node;
            }
        }
    }

    async Task<GpuNode> INodeCatalog.GetNodeAsync(string nodeId, string? clusterId, CancellationToken cancellationToken)
    {
        var node = await GetNodeAsync(nodeId, cancellationToken).ConfigureAwait(false);
        if (!string.IsNullOrEmpty(clusterId) && !string.Equals(node.ProcurementId, clusterId, StringComparison.Ordinal))
        {
            throw new NodeOpsException(
                ErrorKind.NotFound,
                $"SF Compute node '{nodeId}' is not in procurement '{clusterId}' (its procurement is '{node.ProcurementId ?? "none"}').")
            {
                Provider = P,
                Target = nodeId,
            };
        }

        return node;
    }

    async Task<Remediation> INodeRedeployer.RedeployAsync(RedeployRequest request, CancellationToken cancellationToken) =>
        await RedeployAsync(request.NodeId, request.ImageId, request.CloudInitUserData, request.OverrideEmpty, cancellationToken).ConfigureAwait(false);

    async Task<GpuNode> INodeReleaser.ReleaseNodeAsync(string nodeId, CancellationToken cancellationToken) =>
        await ReleaseAsync(nodeId, cancellationToken).ConfigureAwait(false);

    Task INodeRemover.RemoveNodeAsync(string nodeId, CancellationToken cancellationToken) =>
        DeleteAsync(nodeId, cancellationToken);

    RemediationGrouping IRemediator.Grouping => RemediationGrouping.PerNode;

    bool IRemediator.RequiresClusterId => false;

    bool IRemediator.RecognisesRepeats => false;

    void IRemediator.Validate(RemediationSettings settings)
    {
        // A Together mode asks for a particular kind of repair (e.g. a reboot); SF Compute can only
        // redeploy, so going ahead would do something other than what was asked. Reason and cause are
        // notes SF Compute has no field for; they are not sent.
        if (!string.IsNullOrEmpty(settings.Mode))
        {
            throw Invalid($"-Mode '{settings.Mode}' is a Together remediation mode; SF Compute's only remediation is a redeploy (a new VM). Leave -Mode out.");
        }

        ValidateImageId(settings.ImageId);
        ValidateCloudInit(settings.CloudInitUserData);
    }

    async Task<IReadOnlyList<RemediationOutcome>> IRemediator.RemediateAsync(RemediationBatch batch, CancellationToken cancellationToken)
    {
        var settings = batch.Settings;
        var outcomes = new List<RemediationOutcome>(batch.Targets.Count);
        foreach (var target in batch.Targets)
        {
            try
            {
                var redeploy = await RedeployAsync(target.NodeId, settings.ImageId, settings.CloudInitUserData, settings.OverrideEmpty, cancellationToken).ConfigureAwait(false);
                outcomes.Add(new RemediationOutcome(target, redeploy, null));
            }
            catch (NodeOpsException ex) when (batch.Targets.Count > 1)
            {
                // Planned batches hold one node each; should one ever hold more, one node's failure
                // must not hide the others' outcomes.
                outcomes.Add(new RemediationOutcome(target, null, ex));
            }
        }

        return outcomes;
    }

    IAsyncEnumerable<Remediation> IRemediationTracker.ListRemediationsAsync(RemediationQuery query, CancellationToken cancellationToken) =>
        throw new NodeOpsException(ErrorKind.NotSupported, "SF Compute keeps no list of redeploys: it lists a node's VMs, but not which of them a redeploy created.")
        {
            Provider = P,
            RecommendedAction = "Track one redeploy with Get-Remediation -NodeId <node> -Id <new VM id> (Invoke-NodeRemediation and Reset-GpuNode return both), or look at the node's Vms with Get-GpuNode.",
        };

    async Task<Remediation> IRemediationTracker.GetRemediationAsync(RemediationRef remediation, CancellationToken cancellationToken)
    {
        var vmId = remediation.Id is { Length: > 0 } v
            ? v
            : throw new NodeOpsException(ErrorKind.InvalidArgument, $"An SF Compute redeploy of node '{remediation.NodeId}' needs -Id: the id of the VM it created.")
            {
                Provider = P,
                Target = remediation.NodeId,
            };
        return await GetRedeployAsync(remediation.NodeId, vmId, cancellationToken).ConfigureAwait(false);
    }
}
