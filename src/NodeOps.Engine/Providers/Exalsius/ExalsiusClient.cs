using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.RegularExpressions;
using NodeOps.Engine.Http;
using NodeOps.Engine.Json;

namespace NodeOps.Engine.Providers.Exalsius;

/// <summary>
/// The Exalsius node pool (<c>/v1/nodes</c>, <c>/v1/node/...</c>) and the cluster membership join
/// (<c>/v1/clusters</c>, <c>/v1/cluster/{id}/nodes</c>), per providers-api.md §2 and seed 001.
/// Exalsius has no remediation, no pagination and no idempotency keys: imports are never resent after a
/// lost answer.
/// </summary>
public sealed partial class ExalsiusClient : INodeCatalog, IClusterCatalog, INodeRemover, INodeImporter, INodeUpdater
{
    private const CloudProvider P = CloudProvider.Exalsius;
    private static readonly ExalsiusJsonContext Json = ExalsiusJsonContext.Default;

    private readonly HttpPipeline _pipeline;

    internal ExalsiusClient(HttpPipeline pipeline)
    {
        _pipeline = pipeline;
    }

    /// <summary>The <c>node_type</c> values <c>GET /nodes</c> filters by.</summary>
    public static IReadOnlyList<string> NodeTypes { get; } = ["CLOUD", "SELF_MANAGED"];

    /// <summary>The <c>sort_field</c> values of <c>GET /nodes</c>.</summary>
    public static IReadOnlyList<string> SortFields { get; } = ["CREATED_AT", "HOSTNAME"];

    /// <summary>The <c>order_by</c> values of <c>GET /nodes</c>.</summary>
    public static IReadOnlyList<string> SortOrders { get; } = ["ASC", "DESC"];

    private Uri Endpoint => _pipeline.Connection.Endpoint;

    // ---- nodes ------------------------------------------------------------------------------------

    /// <summary>
    /// <c>GET /nodes</c>: every node in the pool, in one call (the API does not paginate). Filters are
    /// checked before anything is sent: <paramref name="nodeType"/> CLOUD or SELF_MANAGED,
    /// <paramref name="hostingProvider"/> the hosting cloud (e.g. aws), <paramref name="sortField"/>
    /// CREATED_AT or HOSTNAME, <paramref name="orderBy"/> ASC or DESC.
    /// </summary>
    public IAsyncEnumerable<ExalsiusNode> ListNodesAsync(
        string? nodeType = null,
        string? hostingProvider = null,
        string? sortField = null,
        string? orderBy = null,
        CancellationToken cancellationToken = default)
    {
        var path = ListNodesPath(nodeType, hostingProvider, sortField, orderBy);
        return ListNodesCoreAsync(path, cancellationToken);
    }

    private async IAsyncEnumerable<ExalsiusNode> ListNodesCoreAsync(string path, [EnumeratorCancellation] CancellationToken ct)
    {
        foreach (var node in await ReadNodesAsync(path, null, null, null, ct).ConfigureAwait(false))
        {
            yield return node;
        }
    }

    private static string ListNodesPath(string? nodeType, string? hostingProvider, string? sortField, string? orderBy)
    {
        if (hostingProvider is not null && (string.IsNullOrWhiteSpace(hostingProvider) || hostingProvider.Any(char.IsControl) || PathSegment.HasUnpairedSurrogate(hostingProvider)))
        {
            throw Invalid($"-HostingProvider '{hostingProvider}' is not a cloud name (e.g. aws).");
        }

        return "/v1/nodes" + new QueryBuilder()
            .Add("node_type", OneOf(nodeType, NodeTypes, "NodeType", "an Exalsius node type"))
            .Add("provider", hostingProvider)
            .Add("sort_field", OneOf(sortField, SortFields, "SortField", "an Exalsius sort field"))
            .Add("order_by", OneOf(orderBy, SortOrders, "OrderBy", "an Exalsius sort order"));
    }

    /// <summary>
    /// <c>GET /nodes</c>, mapped inside the read like every reply (so a mapping error is redacted and retried
    /// like a parse error): only the members of <paramref name="members"/>, with their role, when given, and
    /// only the nodes with one of <paramref name="ids"/> or <paramref name="names"/> when given.
    /// </summary>
    private Task<List<ExalsiusNode>> ReadNodesAsync(string path, ExalsiusClusterNodes? members, HashSet<string>? ids, HashSet<string>? names, CancellationToken ct) =>
        _pipeline.SendAsync(
            ApiRequest.Get(path, "list nodes"),
            r => MapNodes(JsonReply.Read(r, Json.ExNodesList, P, "list nodes"), members, ids, names),
            ct);

    private List<ExalsiusNode> MapNodes(ExNodesList list, ExalsiusClusterNodes? members, HashSet<string>? ids, HashSet<string>? names)
    {
        var nodes = new List<ExalsiusNode>(list.Nodes?.Count ?? 0);
        foreach (var node in Wire.Entries(list.Nodes))
        {
            string? role = null;
            if (members is not null && (node.Id is null || (role = members.RoleOf(node.Id)) is null))
            {
                continue;
            }

            if ((ids is not null && (node.Id is null || !ids.Contains(node.Id))) || (names is not null && (node.Hostname is null || !names.Contains(node.Hostname))))
            {
                continue;
            }

            nodes.Add(ExalsiusMapping.ToNode(node, Endpoint, members?.ClusterId, role));
        }

        return nodes;
    }

    /// <summary><c>GET /node/{node_id}</c>: one node, cloud or self-managed.</summary>
    public Task<ExalsiusNode> DescribeNodeAsync(string nodeId, CancellationToken cancellationToken = default) =>
        DescribeAsync(nodeId, n => ExalsiusMapping.ToNode(n, Endpoint), cancellationToken);

    private Task<T> DescribeAsync<T>(string nodeId, Func<ExNode, T> map, CancellationToken ct) =>
        _pipeline.SendAsync(
            ApiRequest.Get(ApiPath.Format($"/v1/node/{nodeId}"), "get node", nodeId),
            r => map(JsonReply.Read(r, Json.ExNode, P, $"node '{nodeId}'")),
            ct);

    /// <summary>
    /// <c>DELETE /node/{node_id}</c>: removes the node from the pool (a cloud VM is not terminated).
    /// Exalsius allows this only for AVAILABLE nodes; its 409 becomes an <see cref="ErrorKind.InvalidState"/>
    /// error naming the node's current state. Returns the removed node's id.
    /// </summary>
    public async Task<string> DeleteNodeAsync(string nodeId, CancellationToken cancellationToken = default)
    {
        var request = new ApiRequest
        {
            Method = HttpMethod.Delete,
            PathAndQuery = ApiPath.Format($"/v1/node/{nodeId}"),
            Operation = "delete node",
            Target = nodeId,

            // Deleting the same node twice cannot remove anything else, so a lost answer is resent.
            Safety = RetrySafety.Safe,
        };
        try
        {
            // A 204 or an empty 200 is taken as done, like the documented {node_id}.
            var deleted = await _pipeline.SendAsync(
                request,
                r => r.Body.IsEmpty ? null : JsonReply.Read(r, Json.ExNodeDeleteResponse, P, $"delete reply for node '{nodeId}'").NodeId,
                cancellationToken).ConfigureAwait(false);
            return string.IsNullOrEmpty(deleted) ? nodeId : deleted;
        }
        catch (NodeOpsApiException ex) when (ex.StatusCode == 404 && request.AttemptsMade > 1)
        {
            // An earlier attempt was sent but its answer was lost (5xx, timeout, broken connection or an
            // unreadable body), and the retry finds no node: the earlier attempt most likely deleted it.
            // The goal (the node is not in the pool) is met, so this is success, not NotFound.
            // Limit: a connection closed before any response byte is resent by SocketsHttpHandler itself
            // (body-less requests), which AttemptsMade cannot see; that rare case still reports NotFound.
            return nodeId;
        }
        catch (NodeOpsApiException ex) when (ex.StatusCode == 409)
        {
            throw await NotAvailableForDeleteAsync(nodeId, ex, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Turns the delete 409 ("…is not in the `available` state.") into an error that names the node's
    /// current state: from the provider's message when it names one, else by reading the node.
    /// </summary>
    private async Task<NodeOpsApiException> NotAvailableForDeleteAsync(string nodeId, NodeOpsApiException conflict, CancellationToken ct)
    {
        var state = StateNamedIn(conflict.ProviderMessage);
        string? unreadable = null;
        if (state is null)
        {
            try
            {
                // The reply's own words go into the error message, so they are redacted like the pipeline's errors.
                state = await DescribeAsync(nodeId, static n => n.NodeStatus, ct).ConfigureAwait(false) is { } read ? _pipeline.Redactor.Redact(read) : null;
            }
            catch (NodeOpsException ex)
            {
                unreadable = ex.Message;
            }
        }

        string message;
        string action;
        if (string.IsNullOrEmpty(state))
        {
            message = $"Exalsius node '{nodeId}' cannot be removed: it is not AVAILABLE, and Exalsius removes only AVAILABLE nodes. " +
                $"Its current state could not be read{(unreadable is null ? "" : $" ({unreadable})")}.";
            action = "Check the node's state with Get-GpuNode; detach it from its cluster if it is in one, then remove it again.";
        }
        else
        {
            var normalised = ExalsiusMapping.NodeStatusOf(state);
            var shown = normalised == GpuNodeStatus.Unknown ? state : $"{state} ({normalised})";
            message = string.Equals(state, "AVAILABLE", StringComparison.OrdinalIgnoreCase)
                ? $"Exalsius node '{nodeId}' could not be removed because it was not AVAILABLE at that moment; it is AVAILABLE now."
                : $"Exalsius node '{nodeId}' cannot be removed: its current state is {shown}, and Exalsius removes only AVAILABLE nodes.";
            action = state.ToUpperInvariant() switch
            {
                "ADDED" or "DEPLOYED" => "Detach the node from its Exalsius cluster (DELETE /cluster/{cluster_id}/nodes/{node_id}), wait until it is AVAILABLE, then remove it again.",
                "PENDING" or "DISCOVERING" => "Wait until Exalsius has finished discovering the node and it is AVAILABLE (Get-GpuNode), then remove it again.",
                "AVAILABLE" => "Try the removal again.",
                _ => "Exalsius removes only AVAILABLE nodes; see the node's WarningMessage and state with Get-GpuNode.",
            };
        }

        if (conflict.ProviderMessage is { Length: > 0 } said)
        {
            message += $" Exalsius said: {said}";
        }

        if (conflict.RequestId is { Length: > 0 } requestId)
        {
            message += $" (request id {requestId})";
        }

        return Rewrap(conflict, ErrorKind.InvalidState, message, nodeId, action);
    }

    /// <summary>
    /// A non-AVAILABLE state the provider's message names: as an upper-case word (DEPLOYED) or quoted
    /// (<c>`deployed`</c>, <c>'deployed'</c>). Plain lower-case words are not trusted ("failed" is ordinary English).
    /// </summary>
    private static string? StateNamedIn(string? message)
    {
        if (string.IsNullOrEmpty(message))
        {
            return null;
        }

        foreach (Match m in StateWord().Matches(message))
        {
            var word = m.Groups["quoted"].Success ? m.Groups["quoted"].Value.ToUpperInvariant() : m.Groups["upper"].Value;
            if (word != "AVAILABLE" && Array.IndexOf(ExalsiusMapping.NodeStatuses, word) >= 0)
            {
                return word;
            }
        }

        return null;
    }

    [GeneratedRegex(@"[`'""](?<quoted>[A-Za-z_]+)[`'""]|\b(?<upper>[A-Z_]{5,})\b", RegexOptions.CultureInvariant)]
    private static partial Regex StateWord();

    /// <summary>
    /// <c>PATCH /node/{node_id}</c> with new hardware, software and system facts (and optionally a
    /// description). Safe to retry: the same body has the same effect. The access token Exalsius issues in
    /// the reply is neither kept nor returned; the result only says whether one was issued.
    /// </summary>
    public Task<NodeUpdateResult> PatchNodeAsync(NodeUpdate update, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(update);
        var hardware = update.Hardware ?? throw Invalid("-Hardware is required: Exalsius replaces hardware, software and system together.");
        var software = update.Software ?? throw Invalid("-Software is required: Exalsius replaces hardware, software and system together.");
        var system = update.System ?? throw Invalid("-System is required: Exalsius replaces hardware, software and system together.");
        ValidateHardware(hardware);
        var body = new ExNodePatchRequest
        {
            Hardware = new ExHardware
            {
                GpuCount = hardware.GpuCount,
                GpuVendor = hardware.GpuVendor,
                GpuType = hardware.GpuType,
                GpuMemory = hardware.GpuMemoryGb,
                CpuCores = hardware.CpuCores,
                MemoryGb = hardware.MemoryGb,
                StorageGb = hardware.StorageGb,
            },
            Software = new ExSoftware { Docker = software.Docker, Nvidia = software.Nvidia, Amd = software.Amd },
            System = new ExSystem { Os = system.Os, Kernel = system.Kernel },
            Description = update.Description,
        };
        var request = new ApiRequest
        {
            Method = HttpMethod.Patch,
            PathAndQuery = ApiPath.Format($"/v1/node/{update.NodeId}"),
            Operation = "update node",
            Target = update.NodeId,
            Body = JsonSerializer.SerializeToUtf8Bytes(body, Json.ExNodePatchRequest),

            // The same facts sent twice leave the node as once; a resend also just renews the token.
            Safety = RetrySafety.Safe,
        };
        return SendPatchAsync(request, update.NodeId, cancellationToken);
    }

    /// <summary>
    /// <c>PATCH /node/{node_id}</c> without a body: a heartbeat (updates <c>last_heartbeat_date</c> of
    /// self-managed nodes). Safe to retry. The access token in the reply is neither kept nor returned.
    /// </summary>
    public Task<NodeUpdateResult> SendHeartbeatAsync(string nodeId, CancellationToken cancellationToken = default)
    {
        var request = new ApiRequest
        {
            Method = HttpMethod.Patch,
            PathAndQuery = ApiPath.Format($"/v1/node/{nodeId}"),
            Operation = "send heartbeat for node",
            Target = nodeId,
            Body = null,
            Safety = RetrySafety.Safe,
        };
        return SendPatchAsync(request, nodeId, cancellationToken);
    }

    private Task<NodeUpdateResult> SendPatchAsync(ApiRequest request, string nodeId, CancellationToken ct) =>
        _pipeline.SendAsync(
            request,
            r =>
            {
                // A 204 or empty 200 carries no token; anything else must be a NodePatchResponse.
                if (r.Body.IsEmpty)
                {
                    return new NodeUpdateResult { Provider = P, NodeId = nodeId, Time = DateTimeOffset.UtcNow, Endpoint = Endpoint };
                }

                var reply = JsonReply.Read(r, Json.ExNodePatchResponse, P, $"patch reply for node '{nodeId}'");
                return new NodeUpdateResult
                {
                    Provider = P,
                    NodeId = string.IsNullOrEmpty(reply.NodeId) ? nodeId : reply.NodeId,
                    AccessTokenIssued = reply.NextAccessTokenIssued,
                    AccessTokenExpiresIn = reply.NextAccessTokenIssued ? reply.NextAccessTokenExpiresIn : null,
                    Time = DateTimeOffset.UtcNow,
                    Endpoint = Endpoint,
                };
            },
            ct);

    // ---- imports ----------------------------------------------------------------------------------

    /// <summary>
    /// <c>POST /node/import/offer/{offer_id}?hostname=&amp;amount=</c>: imports <paramref name="amount"/>
    /// cloud nodes of an offer (no VM starts until a cluster is deployed). Not idempotent: a lost answer is
    /// an <see cref="ErrorKind.OutcomeUnknown"/> error, never a resend.
    /// </summary>
    public async Task<NodeImportResult> ImportFromOfferAsync(string offerId, string? hostname = null, int amount = 1, CancellationToken cancellationToken = default)
    {
        if (amount < 1)
        {
            throw Invalid($"-Amount must be 1 or more (was {amount.ToString(CultureInfo.InvariantCulture)}).");
        }

        if (hostname is not null && hostname.Any(char.IsControl))
        {
            throw Invalid("-Hostname contains control characters.");
        }

        if (hostname is not null && PathSegment.HasUnpairedSurrogate(hostname))
        {
            throw PathSegment.NotText("Hostname");
        }

        var request = new ApiRequest
        {
            Method = HttpMethod.Post,
            PathAndQuery = ApiPath.Format($"/v1/node/import/offer/{offerId}") + new QueryBuilder()
                .Add("hostname", string.IsNullOrEmpty(hostname) ? null : hostname)
                .Add("amount", amount),
            Operation = "import nodes from offer",
            Target = offerId,
            Safety = RetrySafety.Unsafe,
        };
        try
        {
            return await _pipeline.SendAsync(request, r => ImportResult(r, $"import from offer '{offerId}'"), cancellationToken).ConfigureAwait(false);
        }
        catch (NodeOpsException ex) when (ex.Kind == ErrorKind.InvalidResponse)
        {
            throw AcceptedButUnreadable(ex, offerId);
        }
    }

    /// <summary>
    /// <c>POST /node/import/ssh</c>: brings a self-managed server into the pool. The node starts PENDING and
    /// becomes AVAILABLE once Exalsius has reached it over SSH (up to 10 minutes). Not idempotent: a lost
    /// answer is <see cref="ErrorKind.OutcomeUnknown"/>; a node that already exists is <see cref="ErrorKind.AlreadyExists"/>.
    /// </summary>
    public async Task<NodeImportResult> ImportViaSshAsync(ImportViaSshRequest request, CancellationToken cancellationToken = default)
    {
        var body = ToWire(request);
        var api = new ApiRequest
        {
            Method = HttpMethod.Post,
            PathAndQuery = "/v1/node/import/ssh",
            Operation = "import node via SSH",
            Target = body.Hostname,
            Body = JsonSerializer.SerializeToUtf8Bytes(body, Json.ExNodeImportSshRequest),
            Safety = RetrySafety.Unsafe,
        };
        try
        {
            return await _pipeline.SendAsync(api, r => ImportResult(r, $"import of '{body.Hostname}'"), cancellationToken).ConfigureAwait(false);
        }
        catch (NodeOpsException ex) when (ex.Kind == ErrorKind.InvalidResponse)
        {
            throw AcceptedButUnreadable(ex, body.Hostname);
        }
        catch (NodeOpsApiException ex) when (ex.StatusCode == 409)
        {
            throw Rewrap(ex, ErrorKind.AlreadyExists, ex.Message, body.Hostname,
                $"The node is already in the Exalsius pool: find it with Get-GpuNode -Provider Exalsius -NodeType SELF_MANAGED.");
        }
    }

    /// <summary>Checks an SSH import before anything is sent; every problem names its parameter.</summary>
    internal static ExNodeImportSshRequest ToWire(ImportViaSshRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var hostname = Required(request.Hostname, "Hostname");
        // Import-GpuNode calls it -SshEndpoint: -Endpoint is the API endpoint of the connection.
        var endpoint = Required(request.Endpoint, "SshEndpoint");
        var username = Required(request.Username, "Username");
        var sshKeyId = Required(request.SshKeyId, "SshKeyId");
        if (!IsHostAndPort(endpoint))
        {
            throw Invalid($"-SshEndpoint '{endpoint}' must be host:port, e.g. 192.168.1.100:22 or [2001:db8::1]:22.");
        }

        if (!Guid.TryParseExact(sshKeyId, "D", out var keyId))
        {
            throw Invalid($"-SshKeyId '{sshKeyId}' must be the uuid of an Exalsius SSH key, e.g. 123e4567-e89b-12d3-a456-426614174000.");
        }

        if (request.PricePerHour is { } price && (!double.IsFinite(price) || price < 0))
        {
            throw Invalid($"-PricePerHour must be a finite number of 0 or more (was {price.ToString(CultureInfo.InvariantCulture)}).");
        }

        return new ExNodeImportSshRequest
        {
            Hostname = hostname,
            Endpoint = endpoint,
            Username = username,
            SshKeyId = keyId.ToString("D"),
            Description = request.Description,
            PricePerHour = request.PricePerHour,
        };
    }

    /// <summary>
    /// A 2xx import reply that cannot be read: the import happened, only its node ids are unknown. Said
    /// plainly, so nobody imports again (imports are not idempotent).
    /// </summary>
    private static NodeOpsException AcceptedButUnreadable(NodeOpsException ex, string target) =>
        new(ErrorKind.InvalidResponse, ex.Message + " Exalsius accepted the import; only the new node ids are unknown.", ex)
        {
            Provider = P,
            Target = target,
            RecommendedAction = "Do not import again: find the new nodes with Get-GpuNode -Provider Exalsius (they start PENDING).",
        };

    private NodeImportResult ImportResult(ApiResponse r, string what)
    {
        var reply = JsonReply.Read(r, Json.ExNodeImportResponse, P, what);
        var ids = Wire.Require(reply.NodeIds, "node_ids", P, what);
        var present = Wire.Entries(ids).ToList();
        return new NodeImportResult { Provider = P, NodeIds = present, Total = reply.Total ?? present.Count, Endpoint = Endpoint };
    }

    // ---- clusters ---------------------------------------------------------------------------------

    /// <summary><c>GET /cluster/{cluster_id}/nodes</c>: which nodes form a cluster, by role.</summary>
    public Task<ExalsiusClusterNodes> GetClusterNodesAsync(string clusterId, CancellationToken cancellationToken = default) =>
        _pipeline.SendAsync(
            ApiRequest.Get(ApiPath.Format($"/v1/cluster/{clusterId}/nodes"), "list nodes of cluster", clusterId),
            r => ExalsiusMapping.ToClusterNodes(JsonReply.Read(r, Json.ExClusterNodesResponse, P, $"nodes of cluster '{clusterId}'"), clusterId),
            cancellationToken);

    /// <summary>
    /// <c>GET /clusters</c>. UNCONFIRMED reply shape (see <see cref="ExClustersList"/>): read leniently;
    /// only <c>id</c> is required.
    /// </summary>
    public async IAsyncEnumerable<GpuCluster> ListClustersAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var cluster in await ReadClustersAsync(null, cancellationToken).ConfigureAwait(false))
        {
            yield return cluster;
        }
    }

    /// <summary>One cluster, found in <c>GET /clusters</c> (providers-api.md documents no single-cluster read).</summary>
    public async Task<GpuCluster> GetClusterAsync(string clusterId, CancellationToken cancellationToken = default)
    {
        PathSegment.Escape(clusterId, "ClusterId");
        return await ReadClustersAsync(clusterId, cancellationToken).ConfigureAwait(false) is [var cluster, ..]
            ? cluster
            : throw new NodeOpsException(ErrorKind.NotFound, $"Exalsius has no cluster with id '{clusterId}'.") { Provider = P, Target = clusterId };
    }

    /// <summary>
    /// <c>GET /clusters</c>, mapped inside the read: every cluster, or only the first whose id is
    /// <paramref name="onlyId"/>, so a broken entry of another cluster does not fail the look-up of this one.
    /// </summary>
    private Task<List<GpuCluster>> ReadClustersAsync(string? onlyId, CancellationToken ct) =>
        _pipeline.SendAsync(
            ApiRequest.Get("/v1/clusters", "list clusters"),
            r => MapClusters(JsonReply.Read(r, Json.ExClustersList, P, "list clusters"), onlyId),
            ct);

    private List<GpuCluster> MapClusters(ExClustersList list, string? onlyId)
    {
        var clusters = new List<GpuCluster>(onlyId is null ? list.Clusters?.Count ?? 0 : 1);
        foreach (var cluster in Wire.Entries(list.Clusters))
        {
            if (onlyId is null || string.Equals(cluster.Id, onlyId, StringComparison.OrdinalIgnoreCase))
            {
                clusters.Add(ExalsiusMapping.ToCluster(cluster, Endpoint));
                if (onlyId is not null)
                {
                    break;
                }
            }
        }

        return clusters;
    }

    // ---- capability adapters ----------------------------------------------------------------------

    IAsyncEnumerable<GpuNode> INodeCatalog.ListNodesAsync(NodeQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var path = ListNodesPath(query.NodeType, query.HostingProvider, null, null);
        if (query.ClusterId is not null)
        {
            PathSegment.Escape(query.ClusterId, "ClusterId");
        }

        return QueryNodesAsync(path, query, cancellationToken);
    }

    /// <summary>
    /// The pool listing, narrowed to one cluster through the join when <see cref="NodeQuery.ClusterId"/> is
    /// set (those nodes get <see cref="GpuNode.ClusterId"/> and a role), and by id/hostname when asked.
    /// </summary>
    private async IAsyncEnumerable<GpuNode> QueryNodesAsync(string path, NodeQuery query, [EnumeratorCancellation] CancellationToken ct)
    {
        var members = query.ClusterId is { } clusterId ? await GetClusterNodesAsync(clusterId, ct).ConfigureAwait(false) : null;
        var ids = query.Ids is { Count: > 0 } i ? new HashSet<string>(i, StringComparer.OrdinalIgnoreCase) : null;
        var names = query.Names is { Count: > 0 } n ? new HashSet<string>(n, StringComparer.OrdinalIgnoreCase) : null;
        foreach (var node in await ReadNodesAsync(path, members, ids, names, ct).ConfigureAwait(false))
        {
            yield return node;
        }
    }

    async Task<GpuNode> INodeCatalog.GetNodeAsync(string nodeId, string? clusterId, CancellationToken cancellationToken)
    {
        if (clusterId is null)
        {
            return await DescribeNodeAsync(nodeId, cancellationToken).ConfigureAwait(false);
        }

        // The membership is read first so that the node, role and all, is mapped inside its own read.
        var members = await GetClusterNodesAsync(clusterId, cancellationToken).ConfigureAwait(false);
        var node = await DescribeAsync(
            nodeId,
            n => members.RoleOf(n.Id ?? nodeId) is { } role ? ExalsiusMapping.ToNode(n, Endpoint, members.ClusterId, role) : null,
            cancellationToken).ConfigureAwait(false);
        return node ?? throw new NodeOpsException(ErrorKind.NotFound, $"Exalsius node '{nodeId}' is not in cluster '{clusterId}'.") { Provider = P, Target = nodeId };
    }

    IAsyncEnumerable<GpuCluster> IClusterCatalog.ListClustersAsync(CancellationToken cancellationToken) => ListClustersAsync(cancellationToken);

    Task INodeRemover.RemoveNodeAsync(string nodeId, CancellationToken cancellationToken) => DeleteNodeAsync(nodeId, cancellationToken);

    Task<NodeImportResult> INodeImporter.ImportFromOfferAsync(ImportFromOfferRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return ImportFromOfferAsync(request.OfferId, request.Hostname, request.Amount, cancellationToken);
    }

    Task<NodeUpdateResult> INodeUpdater.UpdateNodeAsync(NodeUpdate update, CancellationToken cancellationToken) => PatchNodeAsync(update, cancellationToken);

    // ---- validation helpers -----------------------------------------------------------------------

    private static NodeOpsException Invalid(string message) => new(ErrorKind.InvalidArgument, message) { Provider = P };

    private static string Required(string? value, string parameter) =>
        string.IsNullOrWhiteSpace(value) ? throw Invalid($"-{parameter} is required.")
        : value.Any(char.IsControl) ? throw Invalid($"-{parameter} contains control characters.")
        : value;

    /// <summary>
    /// A documented enum value, matched ignoring case and underscores (SELF_MANAGED, SelfManaged,
    /// self_managed), sent in the wire spelling; null passes through.
    /// </summary>
    private static string? OneOf(string? value, IReadOnlyList<string> allowed, string parameter, string what)
    {
        if (value is null)
        {
            return null;
        }

        var key = value.Replace("_", string.Empty, StringComparison.Ordinal).Trim();
        foreach (var wire in allowed)
        {
            if (string.Equals(key, wire.Replace("_", string.Empty, StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase))
            {
                return wire;
            }
        }

        throw Invalid($"-{parameter} '{value}' is not {what}. Use one of {string.Join(", ", allowed)}.");
    }

    private static void ValidateHardware(NodeHardware h)
    {
        Check(h.GpuCount, "GpuCount");
        Check(h.GpuMemoryGb, "GpuMemoryGb");
        Check(h.CpuCores, "CpuCores");
        Check(h.MemoryGb, "MemoryGb");
        Check(h.StorageGb, "StorageGb");

        static void Check(int? value, string name)
        {
            if (value < 0)
            {
                throw Invalid($"-Hardware.{name} must not be negative (was {value.Value.ToString(CultureInfo.InvariantCulture)}).");
            }
        }
    }

    /// <summary>"host:port": a DNS name or IPv4 address, or a bracketed IPv6 address, and a port 1–65535.</summary>
    internal static bool IsHostAndPort(string value)
    {
        var colon = value.LastIndexOf(':');
        if (colon <= 0 || colon == value.Length - 1)
        {
            return false;
        }

        var host = value[..colon];
        var port = value[(colon + 1)..];
        if (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var p) || p is < 1 or > 65535)
        {
            return false;
        }

        if (host.StartsWith('[') && host.EndsWith(']'))
        {
            return IPAddress.TryParse(host[1..^1], out var v6) && v6.AddressFamily == AddressFamily.InterNetworkV6;
        }

        return Uri.CheckHostName(host) is UriHostNameType.Dns or UriHostNameType.IPv4;
    }

    /// <summary>The pipeline's error with a different kind and message; every recorded detail is kept.</summary>
    private static NodeOpsApiException Rewrap(NodeOpsApiException ex, ErrorKind kind, string message, string? target, string? action) =>
        new(kind, message, ex.StatusCode)
        {
            Provider = P,
            Target = target ?? ex.Target,
            ProviderCode = ex.ProviderCode,
            ProviderMessage = ex.ProviderMessage,
            RequestId = ex.RequestId,
            RawBody = ex.RawBody,
            Method = ex.Method,
            RequestPath = ex.RequestPath,
            RetryAfter = ex.RetryAfter,
            RecommendedAction = action ?? ex.RecommendedAction,
        };
}
