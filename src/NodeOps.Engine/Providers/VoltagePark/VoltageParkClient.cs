using System.Runtime.CompilerServices;
using System.Text.Json;
using NodeOps.Engine.Http;
using NodeOps.Engine.Json;

namespace NodeOps.Engine.Providers.VoltagePark;

/// <summary>
/// Voltage Park ("Harbor" / VP Cloud API, <c>/v1/fleets/...</c>): fleets, fleet health, the nodes of a
/// fleet, and batch remediation. Each region has its own host and its own tokens. Voltage Park returns
/// no remediation id and has no endpoint to track one: watch the node's state instead.
/// </summary>
public sealed class VoltageParkClient : INodeCatalog, IClusterCatalog, IRemediator
{
    /// <summary>The largest page <c>limit</c> the list endpoints accept (and the node listing's default).</summary>
    public const int MaxPageSize = 100;

    /// <summary>The longest remediation <c>message</c> Voltage Park accepts, in characters (Unicode code points).</summary>
    public const int MaxMessageLength = 2000;

    /// <summary>
    /// Sent as <c>cause</c> when the caller gives none. The API requires a cause but documents no set of
    /// values (its only example is <c>TERMAL_THROTTLE</c>); NodeOps does not invent a diagnosis, it says
    /// that none was given, in the same UPPER_SNAKE style.
    /// </summary>
    public const string DefaultCause = "UNSPECIFIED";

    /// <summary>Sent as <c>message</c> (required by the API) when the caller gives no reason.</summary>
    public const string DefaultMessage = "Remediation requested with NodeOps; no reason given.";

    private const CloudProvider P = CloudProvider.VoltagePark;
    private static readonly VoltageParkJsonContext Json = VoltageParkJsonContext.Default;

    private readonly HttpPipeline _pipeline;

    internal VoltageParkClient(HttpPipeline pipeline)
    {
        _pipeline = pipeline;
    }

    private Uri Endpoint => _pipeline.Connection.Endpoint;

    /// <summary>The region the API host names (api.&lt;region&gt;.voltagepark.com), else the connection's.</summary>
    public string? Region => VoltageParkDescriptor.RegionOfEndpoint(Endpoint) ?? _pipeline.Connection.Region;

    // ---- fleets -----------------------------------------------------------------------------------

    /// <summary>
    /// Every fleet, page by page (<paramref name="pageSize"/> 1–100, default 100). A <c>limit</c> is
    /// always sent, because <c>nextToken</c> is only valid together with one.
    /// </summary>
    public IAsyncEnumerable<VoltageParkFleet> ListFleetsAsync(int? pageSize = null, CancellationToken cancellationToken = default)
    {
        var limit = CheckPageSize(pageSize);
        var (region, endpoint) = (Region, Endpoint);
        return ReadFleetsAsync(limit, f => VoltageParkMapping.ToFleet(f, region, endpoint), cancellationToken);
    }

    public Task<VoltageParkFleet> GetFleetAsync(string fleetId, CancellationToken cancellationToken = default)
    {
        var path = ApiPath.Format($"/v1/fleets/{fleetId}");
        return _pipeline.SendAsync(
            ApiRequest.Get(path, "get fleet", fleetId),
            r => VoltageParkMapping.ToFleet(JsonReply.Read(r, Json.VpFleet, P, $"fleet '{fleetId}'"), Region, Endpoint),
            cancellationToken);
    }

    /// <summary>
    /// The fleet's health and each node's health status. Voltage Park answers 422 when the fleet is not
    /// ACTIVE or has no nodes; that becomes an <see cref="ErrorKind.InvalidState"/> error naming the fleet
    /// and its status.
    /// </summary>
    public Task<VoltageParkFleetHealth> GetFleetHealthAsync(string fleetId, CancellationToken cancellationToken = default) =>
        ReadHealthAsync(fleetId, h => VoltageParkMapping.ToFleetHealth(h, fleetId, Endpoint), cancellationToken);

    // Every reply below is mapped by `map` (or into the model) inside its read, so a value that cannot be
    // mapped fails there: its error is redacted like any other reply's, and the request is retried like one
    // whose reply cannot be parsed. The one step after the reads, joining a first page with the health read
    // beside it (`JoinHealth`), uses only values those reads checked and cannot fail.

    /// <summary>Every fleet, page by page, each page mapped by <paramref name="map"/>.</summary>
    private async IAsyncEnumerable<T> ReadFleetsAsync<T>(int limit, Func<VpFleet, T> map, [EnumeratorCancellation] CancellationToken ct)
    {
        string? token = null;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        do
        {
            var path = "/v1/fleets" + new QueryBuilder().Add("limit", limit).Add("nextToken", token);
            var page = await _pipeline.SendAsync(
                ApiRequest.Get(path, "list fleets"),
                r =>
                {
                    var p = JsonReply.Read(r, Json.VpListFleetsResponse, P, "list fleets");
                    var fleets = Wire.Require(p.Fleets, "fleets", P, "list fleets");
                    var mapped = new List<T>(fleets.Count);
                    foreach (var fleet in fleets)
                    {
                        if (fleet is not null)
                        {
                            mapped.Add(map(fleet));
                        }
                    }

                    return (Fleets: mapped, p.NextToken);
                },
                ct).ConfigureAwait(false);

            foreach (var fleet in page.Fleets)
            {
                yield return fleet;
            }

            token = NextToken(page.NextToken, seen, "list fleets");
        }
        while (token is not null);
    }

    private async Task<T> ReadHealthAsync<T>(string fleetId, Func<VpFleetHealthResponse, T> map, CancellationToken ct)
    {
        var path = ApiPath.Format($"/v1/fleets/{fleetId}/health");
        try
        {
            return await _pipeline.SendAsync(
                ApiRequest.Get(path, "get health of fleet", fleetId),
                r => map(JsonReply.Read(r, Json.VpFleetHealthResponse, P, $"health of fleet '{fleetId}'")),
                ct).ConfigureAwait(false);
        }
        catch (NodeOpsApiException ex) when (ex.StatusCode == 422)
        {
            throw HealthUnavailable(ex, fleetId);
        }
    }

    /// <summary>The 422 body is <c>{error, fleetId, status}</c>: say which status keeps the fleet from reporting health.</summary>
    private static NodeOpsApiException HealthUnavailable(NodeOpsApiException ex, string fleetId)
    {
        string? status = null;
        if (ex.RawBody is { Length: > 0 } raw)
        {
            try
            {
                status = JsonSerializer.Deserialize(raw, Json.VpFleetHealthUnavailable)?.Status;
            }
            catch (JsonException)
            {
                // Not the documented shape: the message below still says what 422 means here.
            }
        }

        var state = string.IsNullOrEmpty(status) ? string.Empty : $" (fleet status {status})";
        var detail = string.IsNullOrEmpty(ex.ProviderMessage) ? string.Empty : $" Voltage Park says: {ex.ProviderMessage}";
        return new NodeOpsApiException(
            ErrorKind.InvalidState,
            $"VoltagePark fleet '{fleetId}' has no health to report{state}: health is only available for an ACTIVE fleet that has nodes.{detail}",
            ex.StatusCode)
        {
            Provider = P,
            Target = fleetId,
            ProviderCode = ex.ProviderCode,
            ProviderMessage = ex.ProviderMessage,
            RequestId = ex.RequestId,
            RawBody = ex.RawBody,
            Method = ex.Method,
            RequestPath = ex.RequestPath,
            RetryAfter = ex.RetryAfter,
            RecommendedAction = "Check the fleet's status with Get-GpuCluster; list its nodes with Get-GpuNode.",
        };
    }

    // ---- nodes ------------------------------------------------------------------------------------

    /// <summary>
    /// The nodes of one fleet, streamed page by page (<paramref name="pageSize"/> 1–100, default 100;
    /// <c>limit</c> is always sent so <c>nextToken</c> is valid). With <paramref name="includeHealth"/>
    /// the fleet's health is fetched once, beside the first page, and unhealthy or degraded nodes that are
    /// Ready or InUse are reported Degraded; a fleet that cannot report health (422: not ACTIVE, or no
    /// nodes) is listed by node state alone.
    /// </summary>
    public IAsyncEnumerable<VoltageParkNode> ListNodesAsync(string fleetId, int? pageSize = null, bool includeHealth = false, CancellationToken cancellationToken = default)
    {
        var limit = CheckPageSize(pageSize);
        var basePath = ApiPath.Format($"/v1/fleets/{fleetId}/nodes");
        return ListNodesCoreAsync(fleetId, basePath, limit, includeHealth, cancellationToken);
    }

    public async Task<VoltageParkNode> GetNodeAsync(string fleetId, string nodeId, bool includeHealth = false, CancellationToken cancellationToken = default)
    {
        var node = await ReadNodeAsync(fleetId, nodeId, null, cancellationToken).ConfigureAwait(false);
        return includeHealth ? await WithHealthAsync(node, fleetId, null, cancellationToken).ConfigureAwait(false) : node.Mapped;
    }

    private async IAsyncEnumerable<VoltageParkNode> ListNodesCoreAsync(
        string fleetId,
        string basePath,
        int limit,
        bool includeHealth,
        [EnumeratorCancellation] CancellationToken ct)
    {
        // A fleet listed on its own is known by id only: its nodes carry no fleet name.
        await foreach (var page in NodePagesAsync(fleetId, basePath, limit, includeHealth, fleetName: null, ct).ConfigureAwait(false))
        {
            foreach (var node in page)
            {
                yield return node;
            }
        }
    }

    /// <summary>
    /// One fleet's nodes, mapped, a page at a time. The fleet's health applies to every page, but the health
    /// read and the first page need nothing from each other, so they are read side by side
    /// (<see cref="FirstPageWithHealthAsync"/>); later pages are mapped with the health in their reads.
    /// </summary>
    private async IAsyncEnumerable<List<VoltageParkNode>> NodePagesAsync(
        string fleetId,
        string basePath,
        int limit,
        bool includeHealth,
        string? fleetName,
        [EnumeratorCancellation] CancellationToken ct)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var what = $"nodes of fleet '{fleetId}'";
        var firstPath = basePath + new QueryBuilder().Add("limit", limit);
        var (page, health) = includeHealth
            ? await FirstPageWithHealthAsync(fleetId, firstPath, what, fleetName, ct).ConfigureAwait(false)
            : (await ReadNodePageAsync(fleetId, firstPath, what, null, fleetName, ct).ConfigureAwait(false), null);
        yield return page.Nodes;
        var token = NextToken(page.NextToken, seen, what);
        while (token is not null)
        {
            var path = basePath + new QueryBuilder().Add("limit", limit).Add("nextToken", token);
            page = await ReadNodePageAsync(fleetId, path, what, health, fleetName, ct).ConfigureAwait(false);
            yield return page.Nodes;
            token = NextToken(page.NextToken, seen, what);
        }
    }

    /// <summary>
    /// The first page and the fleet's health (see <see cref="HealthIndexAsync"/>), asked for at once: one round
    /// trip where reading health first took two. The page is mapped in its read without health, then joined
    /// with it (<see cref="JoinHealth"/>). The listing fails as it did when health was read first: with the
    /// health read's error if it fails (the page, no longer wanted, is then stopped), else with the page's.
    /// Neither request outlives this call, and a failure not raised is still observed.
    /// </summary>
    private async Task<(NodePage Page, Dictionary<string, HealthEntry>? Health)> FirstPageWithHealthAsync(
        string fleetId,
        string path,
        string what,
        string? fleetName,
        CancellationToken ct)
    {
        using var stopPage = CancellationTokenSource.CreateLinkedTokenSource(ct);
        // The page first: building its request could throw before anything is sent, and then no health read
        // must be left running unobserved. HealthIndexAsync is async, so it cannot throw here.
        var pageRead = ReadNodePageAsync(fleetId, path, what, null, fleetName, stopPage.Token);
        var healthRead = HealthIndexAsync(fleetId, ct);
        try
        {
            var health = await healthRead.ConfigureAwait(false);
            var page = await pageRead.ConfigureAwait(false);
            JoinHealth(page, health, fleetId, fleetName);
            return (page, health);
        }
        finally
        {
            await stopPage.CancelAsync().ConfigureAwait(false);

            // No request outlives the call, and SuppressThrowing marks a page failure not raised as observed.
            await ((Task)pageRead).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    /// <summary>One page of nodes, mapped in its read with <paramref name="health"/> (null: by state alone).</summary>
    private Task<NodePage> ReadNodePageAsync(string fleetId, string path, string what, Dictionary<string, HealthEntry>? health, string? fleetName, CancellationToken ct) =>
        _pipeline.SendAsync(
            ApiRequest.Get(path, "list nodes of fleet", fleetId),
            r =>
            {
                var p = JsonReply.Read(r, Json.VpListNodesResponse, P, what);
                var wire = Wire.Require(p.Nodes, "nodes", P, what);
                var nodes = new List<VoltageParkNode>(wire.Count);
                foreach (var node in wire)
                {
                    if (node is not null)
                    {
                        nodes.Add(ToNode(node, fleetId, health, fleetName));
                    }
                }

                return new NodePage(nodes, wire, p.NextToken);
            },
            ct);

    /// <summary>A page's nodes (the wire list's entries that are not null, in order), its wire list, and its <c>nextToken</c>.</summary>
    private readonly record struct NodePage(List<VoltageParkNode> Nodes, List<VpNode> Wire, string? NextToken);

    /// <summary>
    /// Joins the page's nodes, mapped in its read without health, with the health read beside it. Both replies
    /// were checked in their own reads (the nodes mapped, every health time read), so this runs after them
    /// without the pipeline's redaction: it cannot fail, it only rebuilds the nodes the health names
    /// (<see cref="VoltageParkMapping.Build"/>).
    /// </summary>
    private void JoinHealth(NodePage page, Dictionary<string, HealthEntry>? health, string fleetId, string? fleetName)
    {
        if (health is not { Count: > 0 })
        {
            return;
        }

        var i = 0;
        foreach (var wire in page.Wire)
        {
            if (wire is null)
            {
                continue;
            }

            var node = page.Nodes[i];
            if (health.TryGetValue(node.Id, out var entry))
            {
                page.Nodes[i] = VoltageParkMapping.Build(wire, node.Id, fleetId, Region, Endpoint, entry, fleetName);
            }

            i++;
        }
    }

    /// <summary>
    /// One node, mapped without health in its read and kept as read too: joining its fleet's health (asked
    /// for only once the node is known to exist) maps it again inside the health reply's read.
    /// </summary>
    private Task<(VpNode Wire, VoltageParkNode Mapped)> ReadNodeAsync(string fleetId, string nodeId, string? fleetName, CancellationToken ct)
    {
        var path = ApiPath.Format($"/v1/fleets/{fleetId}/nodes/{nodeId}");
        return _pipeline.SendAsync(
            ApiRequest.Get(path, "get node", nodeId),
            r =>
            {
                var node = JsonReply.Read(r, Json.VpNode, P, $"node '{nodeId}' of fleet '{fleetId}'");
                return (node, ToNode(node, fleetId, null, fleetName));
            },
            ct);
    }

    /// <summary>The node with its fleet's health; by its state alone when the fleet reports no health (see <see cref="HealthIndexAsync"/>).</summary>
    private Task<VoltageParkNode> WithHealthAsync((VpNode Wire, VoltageParkNode Mapped) node, string fleetId, string? fleetName, CancellationToken ct) =>
        HealthOrAsync(fleetId, h => ToNode(node.Wire, fleetId, VoltageParkMapping.HealthByNode(h), fleetName), node.Mapped, ct);

    /// <summary>
    /// Node health by node id, or null when the fleet reports none. Node <c>state</c> alone does not
    /// show a node that went bad while in use (it stays ACTIVE); the fleet health endpoint does, and
    /// one call covers the whole fleet. Its 422 (fleet not ACTIVE, or ACTIVE with no nodes) is expected
    /// for fleets that are provisioning, scaling or empty, so it is not an error for a listing: those
    /// nodes are reported by their state alone. Every other failure is raised, because listing
    /// unhealthy nodes as Ready would be worse than failing.
    /// </summary>
    private Task<Dictionary<string, HealthEntry>?> HealthIndexAsync(string fleetId, CancellationToken ct) =>
        HealthOrAsync<Dictionary<string, HealthEntry>?>(fleetId, VoltageParkMapping.HealthByNode, null, ct);

    /// <summary>The fleet's health through <paramref name="map"/>, or <paramref name="unavailable"/> when the fleet cannot report health (422).</summary>
    private async Task<T> HealthOrAsync<T>(string fleetId, Func<VpFleetHealthResponse, T> map, T unavailable, CancellationToken ct)
    {
        try
        {
            return await ReadHealthAsync(fleetId, map, ct).ConfigureAwait(false);
        }
        catch (NodeOpsApiException ex) when (ex.Kind == ErrorKind.InvalidState && ex.StatusCode == 422)
        {
            return unavailable;
        }
    }

    private VoltageParkNode ToNode(VpNode node, string fleetId, Dictionary<string, HealthEntry>? health, string? fleetName)
    {
        HealthEntry? h = null;
        if (health is not null && node.NodeName is { } name && health.TryGetValue(name, out var entry))
        {
            h = entry;
        }

        return VoltageParkMapping.ToNode(node, fleetId, Region, Endpoint, h, fleetName);
    }

    IAsyncEnumerable<GpuNode> INodeCatalog.ListNodesAsync(NodeQuery query, CancellationToken cancellationToken)
    {
        var limit = CheckPageSize(query.PageSize);
        if (query.ClusterId is { } clusterId)
        {
            var basePath = ApiPath.Format($"/v1/fleets/{clusterId}/nodes");
            return ListNodesCoreAsync(clusterId, basePath, limit, includeHealth: true, cancellationToken);
        }

        return ListAllNodesAsync(limit, cancellationToken);
    }

    /// <summary>
    /// Every fleet's nodes, fleet after fleet and page after page as before, but the fleets after the one being
    /// read already fetch their pages (<see cref="OrderedPrefetch"/>): at most
    /// <see cref="NodeOpsClientOptions.MaxConcurrency"/> fleets at once, together at most
    /// <see cref="PrefetchPageBudget"/> pages ahead of the reader. A fleet has one request in flight at a time,
    /// except while its first page is read beside its health: at most twice MaxConcurrency requests at once.
    /// </summary>
    private async IAsyncEnumerable<GpuNode> ListAllNodesAsync(int limit, [EnumeratorCancellation] CancellationToken ct)
    {
        var pages = OrderedPrefetch.ConcatAsync(
            ReadFleetsAsync(MaxPageSize, WithPathId, ct),
            fleet => ExpectedPages(fleet, limit),
            (fleet, token) => FleetNodePagesAsync(fleet, limit, token),
            _pipeline.Options.MaxConcurrency,
            PrefetchPageBudget,
            ct);
        await foreach (var page in pages.ConfigureAwait(false))
        {
            foreach (var node in page)
            {
                yield return node;
            }
        }
    }

    /// <summary>A listed fleet whose id the next requests' paths will carry, checked in the fleets' read.</summary>
    private static VpFleet WithPathId(VpFleet fleet)
    {
        Wire.PathId(fleet.FleetId, "fleetId", P, "fleet");
        return fleet;
    }

    /// <summary>
    /// Whether a fleet in <paramref name="status"/> can report health: only an ACTIVE one can (the others answer
    /// 422), so the others are not asked. A fleet whose status is missing is asked; its 422 is handled.
    /// </summary>
    internal static bool ReportsHealth(string? status) => status is null or "ACTIVE";

    /// <summary>Node pages all fleets together may fetch ahead of the reader (3,200 nodes at the largest page size).</summary>
    internal const int PrefetchPageBudget = 32;

    private IAsyncEnumerable<List<VoltageParkNode>> FleetNodePagesAsync(VpFleet fleet, int limit, CancellationToken ct)
    {
        var fleetId = Wire.Require(fleet.FleetId, "fleetId", P, "fleet");

        var includeHealth = ReportsHealth(fleet.Status);
        var basePath = ApiPath.Format($"/v1/fleets/{fleetId}/nodes");
        return NodePagesAsync(fleetId, basePath, limit, includeHealth, fleet.Name, ct);
    }

    /// <summary>The fleet's size from its footprint (the node list, else the replica count); one page when it gives none.</summary>
    private static int ExpectedPages(VpFleet fleet, int limit)
    {
        var spec = fleet.MinimumFootprint?.GpuNodes;
        var nodes = spec?.Nodes?.Count ?? spec?.ReservedNodes?.Count ?? spec?.Replicas ?? 0;
        return Math.Max(1, (nodes + limit - 1) / limit);
    }

    async Task<GpuNode> INodeCatalog.GetNodeAsync(string nodeId, string? clusterId, CancellationToken cancellationToken)
    {
        // Checked here so errors name the common parameters (-Id, -ClusterId), not the fleet API's.
        PathSegment.Escape(nodeId, "Id");
        if (clusterId is not null)
        {
            PathSegment.Escape(clusterId, "ClusterId");
            return await GetNodeAsync(clusterId, nodeId, includeHealth: true, cancellationToken).ConfigureAwait(false);
        }

        // Node paths need the fleet: without one, ask each fleet in turn.
        await foreach (var fleet in ReadFleetsAsync(MaxPageSize, WithPathId, cancellationToken).ConfigureAwait(false))
        {
            if (fleet.FleetId is not { Length: > 0 } fleetId)
            {
                continue;
            }

            (VpNode Wire, VoltageParkNode Mapped) node;
            try
            {
                node = await ReadNodeAsync(fleetId, nodeId, fleet.Name, cancellationToken).ConfigureAwait(false);
            }
            catch (NodeOpsApiException ex) when (ex.Kind == ErrorKind.NotFound)
            {
                continue;
            }

            return ReportsHealth(fleet.Status) ? await WithHealthAsync(node, fleetId, fleet.Name, cancellationToken).ConfigureAwait(false) : node.Mapped;
        }

        throw new NodeOpsException(ErrorKind.NotFound, $"VoltagePark has no node '{nodeId}' in any fleet at {Endpoint}.")
        {
            Provider = P,
            Target = nodeId,
            RecommendedAction = "Pass -ClusterId (the fleet id), or check the region: each Voltage Park region has its own endpoint.",
        };
    }

    // ---- clusters (fleets) ------------------------------------------------------------------------

    IAsyncEnumerable<GpuCluster> IClusterCatalog.ListClustersAsync(CancellationToken cancellationToken) =>
        ListFleetsAsync(null, cancellationToken);

    async Task<GpuCluster> IClusterCatalog.GetClusterAsync(string clusterId, CancellationToken cancellationToken)
    {
        PathSegment.Escape(clusterId, "ClusterId");
        return await GetFleetAsync(clusterId, cancellationToken).ConfigureAwait(false);
    }

    // ---- remediation ------------------------------------------------------------------------------

    /// <summary>
    /// Asks Voltage Park to remediate <paramref name="nodeIds"/> of one fleet, in ONE request (the API
    /// takes the batch as a JSON array). The service decides what to do (restart, replace, repair).
    /// Always sends <c>Idempotency-Key</c> (<paramref name="idempotencyKey"/>, or a new UUID): retries
    /// after a 5xx or a lost answer resend the same key, a 409 (the key still in progress) waits and
    /// retries with it, and a 422 means the key was used before for a different batch.
    /// <paramref name="message"/> defaults to <see cref="DefaultMessage"/>, <paramref name="cause"/> to
    /// <see cref="DefaultCause"/>. Returns one outcome per distinct node: accepted ones carry a
    /// <see cref="Remediation"/>; rejected ones and nodes missing from the reply carry an error.
    /// </summary>
    public Task<IReadOnlyList<RemediationOutcome>> RemediateNodesAsync(
        string fleetId,
        IEnumerable<string> nodeIds,
        string? message = null,
        string? cause = null,
        string? idempotencyKey = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(nodeIds);
        var targets = nodeIds.Select(id => new RemediationTarget(id, fleetId)).ToList();
        return RemediateCoreAsync(fleetId, targets, message, cause, idempotencyKey ?? IdempotencyKeys.NewOperationKey(), "Message", "NodeId", cancellationToken);
    }

    private async Task<IReadOnlyList<RemediationOutcome>> RemediateCoreAsync(
        string fleetId,
        IReadOnlyList<RemediationTarget> targets,
        string? message,
        string? cause,
        string idempotencyKey,
        string messageParameter,
        string nodeParameter,
        CancellationToken ct)
    {
        // Everything is checked before anything is sent.
        var path = ApiPath.Format($"/v1/fleets/{fleetId}/nodes/remediate");
        var (text, why) = MessageAndCause(message, cause, messageParameter);
        IdempotencyKeys.Validate(idempotencyKey);
        var distinct = new List<RemediationTarget>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var target in targets)
        {
            if (string.IsNullOrWhiteSpace(target.NodeId))
            {
                throw new NodeOpsException(ErrorKind.InvalidArgument, $"-{nodeParameter} must not be empty: every node to remediate needs its id (nodeName).") { Provider = P, Target = fleetId };
            }

            if (PathSegment.HasUnpairedSurrogate(target.NodeId))
            {
                throw PathSegment.NotText(nodeParameter);
            }

            if (seen.Add(target.NodeId))
            {
                distinct.Add(target);
            }
        }

        if (distinct.Count == 0)
        {
            throw new NodeOpsException(ErrorKind.InvalidArgument, $"-{nodeParameter}: no nodes to remediate in fleet '{fleetId}'.") { Provider = P, Target = fleetId };
        }

        var body = distinct.Select(t => new VpRemediateNodeRequest { NodeId = t.NodeId, Message = text, Cause = why }).ToList();
        var request = new ApiRequest
        {
            Method = HttpMethod.Post,
            PathAndQuery = path,
            Operation = "remediate nodes of fleet",
            Target = fleetId,
            Body = JsonSerializer.SerializeToUtf8Bytes(body, Json.ListVpRemediateNodeRequest),
            IdempotencyKey = idempotencyKey,

            // The key makes a resend harmless: Voltage Park replays the first answer for 24 h.
            Safety = RetrySafety.Safe,
            RetryWhileKeyInProgress = true,
        };
        var replies = await _pipeline.SendAsync(
            request,
            r => JsonReply.Read(r, Json.ListVpRemediateNodeResponse, P, $"remediate reply for fleet '{fleetId}'"),
            ct).ConfigureAwait(false);

        var byNode = new Dictionary<string, VpRemediateNodeResponse>(StringComparer.Ordinal);
        foreach (var reply in replies)
        {
            if (reply?.NodeId is { Length: > 0 } id)
            {
                // The cause is the provider's own words, and it becomes an error message: redacted like one.
                reply.RejectionCause = reply.RejectionCause is { } rejection ? _pipeline.Redactor.Redact(rejection) : null;
                byNode.TryAdd(id, reply);
            }
        }

        var outcomes = new List<RemediationOutcome>(distinct.Count);
        foreach (var target in distinct)
        {
            outcomes.Add(byNode.TryGetValue(target.NodeId, out var reply)
                ? Outcome(target, reply, fleetId, text, why, idempotencyKey)
                : new RemediationOutcome(target, null, new NodeOpsException(
                    ErrorKind.InvalidResponse,
                    $"VoltagePark's reply to the remediate request for fleet '{fleetId}' has no entry for node '{target.NodeId}'; NodeOps cannot tell whether it was accepted.")
                {
                    Provider = P,
                    Target = target.NodeId,
                    RecommendedAction = $"Check the node's state with Get-GpuNode. Idempotency key: {idempotencyKey}.",
                }));
        }

        return outcomes;
    }

    private RemediationOutcome Outcome(RemediationTarget target, VpRemediateNodeResponse reply, string fleetId, string message, string cause, string idempotencyKey)
    {
        var remediation = VoltageParkMapping.ToRemediation(reply, target.NodeId, fleetId, message, cause, idempotencyKey, Endpoint);
        if (remediation.State != RemediationState.Rejected)
        {
            return new RemediationOutcome(target, remediation, null);
        }

        var why = remediation.Error ?? $"remediateStatus '{reply.RemediateStatus}' without a rejectionCause";
        return new RemediationOutcome(target, remediation, new NodeOpsException(
            ErrorKind.InvalidState,
            $"VoltagePark rejected the remediation of node '{target.NodeId}' in fleet '{fleetId}': {why}.")
        {
            Provider = P,
            Target = target.NodeId,
            RecommendedAction = "Check the node's state with Get-GpuNode; Voltage Park decides which nodes it can remediate.",
        });
    }

    /// <summary>The <c>message</c> and <c>cause</c> to send: the caller's, or the documented defaults; checked against the API's limits.</summary>
    private static (string Message, string Cause) MessageAndCause(string? message, string? cause, string messageParameter)
    {
        var text = string.IsNullOrWhiteSpace(message) ? DefaultMessage : message;

        // The API's limit comes from a Python model (max_length on str), which counts code points.
        var length = 0;
        foreach (var _ in text.EnumerateRunes())
        {
            length++;
        }

        if (length > MaxMessageLength)
        {
            throw new NodeOpsException(ErrorKind.InvalidArgument, $"-{messageParameter} is {length} characters long; Voltage Park accepts at most {MaxMessageLength}.") { Provider = P };
        }

        return (text, string.IsNullOrWhiteSpace(cause) ? DefaultCause : cause.Trim());
    }

    RemediationGrouping IRemediator.Grouping => RemediationGrouping.PerCluster;

    bool IRemediator.RequiresClusterId => true;

    bool IRemediator.RecognisesRepeats => true;

    void IRemediator.Validate(RemediationSettings settings)
    {
        if (!string.IsNullOrEmpty(settings.Mode))
        {
            throw new NodeOpsException(
                ErrorKind.InvalidArgument,
                $"-Mode '{settings.Mode}' does not apply to Voltage Park: the service decides how to remediate a node. Describe the problem with -Cause and -Reason instead.")
            {
                Provider = P,
            };
        }

        MessageAndCause(settings.Reason, settings.Cause, "Reason");
    }

    Task<IReadOnlyList<RemediationOutcome>> IRemediator.RemediateAsync(RemediationBatch batch, CancellationToken cancellationToken) =>
        RemediateCoreAsync(batch.ClusterId!, batch.Targets, batch.Settings.Reason, batch.Settings.Cause, batch.IdempotencyKey, "Reason", "NodeId", cancellationToken);

    // ---- paging -----------------------------------------------------------------------------------

    private static int CheckPageSize(int? pageSize)
    {
        if (pageSize is < 1 or > MaxPageSize)
        {
            throw new NodeOpsException(ErrorKind.InvalidArgument, $"-PageSize must be between 1 and {MaxPageSize} for Voltage Park; it is {pageSize}.") { Provider = P };
        }

        return pageSize ?? MaxPageSize;
    }

    /// <summary>
    /// The token for the next page, or null after the last one (<c>nextToken</c> null). An empty token,
    /// or one already used, would make the listing repeat pages forever: that reply is refused.
    /// </summary>
    private static string? NextToken(string? token, HashSet<string> seen, string what)
    {
        if (token is null)
        {
            return null;
        }

        if (string.IsNullOrWhiteSpace(token))
        {
            throw JsonReply.Invalid(P, what, "nextToken is empty, so the next page cannot be asked for");
        }

        if (!seen.Add(token))
        {
            // The token is not quoted: it is the reply's, checked after the read, where nothing redacts it.
            throw JsonReply.Invalid(P, what, "nextToken repeats an earlier page's token; the listing would never end");
        }

        return token;
    }
}
