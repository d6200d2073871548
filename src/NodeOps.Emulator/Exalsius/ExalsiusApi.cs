using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using NodeOps.Emulator.Admin;
using NodeOps.Emulator.Hosting;

namespace NodeOps.Emulator.Exalsius;

/// <summary>
/// The Exalsius node-pool API: list/describe/delete/patch nodes, import via SSH or from an offer, offers
/// and clusters (for the node-to-cluster join). Errors are problem+json wrapped in <c>detail</c>.
/// </summary>
internal sealed class ExalsiusApi(EmulatorState state) : IProviderApi
{
    private const string ErrorBase = "https://api.exalsius.ai/errors/";

    private volatile ExStore _store = new();

    public Provider Provider => Provider.Exalsius;

    public void Reseed(SeedSpec seed) => _store = ExSeeder.Seed(seed);

    public void MapRoutes(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/v1/nodes", ListNodesAsync);
        routes.MapGet("/v1/node/{node_id}", GetNodeAsync);
        routes.MapDelete("/v1/node/{node_id}", DeleteNodeAsync);
        routes.MapPatch("/v1/node/{node_id}", PatchNodeAsync);
        routes.MapPost("/v1/node/import/ssh", ImportSshAsync);
        routes.MapPost("/v1/node/import/offer/{offer_id}", ImportOfferAsync);
        routes.MapGet("/v1/offers", ListOffersAsync);
        routes.MapGet("/v1/clusters", ListClustersAsync);
        routes.MapGet("/v1/cluster/{cluster_id}/nodes", GetClusterNodesAsync);
        routes.MapDelete("/v1/cluster/{cluster_id}/nodes/{node_id}", RemoveClusterNodeAsync);
    }

    public Task WriteErrorAsync(HttpContext context, int status, string message) => ProblemAsync(context, status, message);

    private static Task ProblemAsync(HttpContext context, int status, string detail)
    {
        var (slug, title) = status switch
        {
            400 => ("bad-request", "Bad Request"),
            401 => ("unauthorized", "Unauthorized"),
            403 => ("forbidden", "Forbidden"),
            404 => ("not-found", "Not Found"),
            405 => ("method-not-allowed", "Method Not Allowed"),
            409 => ("conflict", "Conflict"),
            422 => ("bad-request", "Unprocessable Entity"),
            429 => ("too-many-requests", "Too Many Requests"),
            502 => ("server-error", "Bad Gateway"),
            503 => ("server-error", "Service Unavailable"),
            504 => ("server-error", "Gateway Timeout"),
            _ => status >= 500 ? ("server-error", "Internal Server Error") : ("bad-request", "Error"),
        };
        var problem = new ExProblemWire(new ExProblemDetailWire(ErrorBase + slug, title, status, detail, Instance(context)));
        return context.WriteJsonAsync(status, problem, WireJson.Snake, "application/problem+json");
    }

    /// <summary>The request path relative to the API base, as in the spec's examples (<c>/nodes/123</c>).</summary>
    private static string Instance(HttpContext context)
    {
        var path = HttpHelpers.DecodePath(context.Request.Path.Value ?? "/");
        foreach (var prefix in new[] { "/exalsius/v1", "/exalsius" })
        {
            if (path.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                var rest = path[prefix.Length..];
                return rest.Length == 0 ? "/" : rest;
            }
        }

        return path;
    }

    private Task ListNodesAsync(HttpContext context)
    {
        var nodeType = context.Query("node_type");
        if (nodeType is not null)
        {
            nodeType = nodeType.ToUpperInvariant();
            if (nodeType is not ("CLOUD" or "SELF_MANAGED"))
            {
                return ProblemAsync(context, 422, $"Node type is invalid: '{context.Query("node_type")}'. Use CLOUD or SELF_MANAGED.");
            }
        }

        var sortField = context.Query("sort_field")?.ToUpperInvariant();
        if (sortField is not (null or "CREATED_AT" or "HOSTNAME"))
        {
            return ProblemAsync(context, 422, "sort_field is invalid. Use CREATED_AT or HOSTNAME.");
        }

        var orderBy = context.Query("order_by")?.ToUpperInvariant();
        if (orderBy is not (null or "ASC" or "DESC"))
        {
            return ProblemAsync(context, 422, "order_by is invalid. Use ASC or DESC.");
        }

        var provider = context.Query("provider");
        var store = _store;
        List<object> nodes;
        lock (store.Gate)
        {
            AdvanceAll(store);
            IEnumerable<ExNode> query = store.Nodes
                .Where(n => nodeType is null || n.NodeType == nodeType)
                .Where(n => string.IsNullOrEmpty(provider) || (n.IsCloud && string.Equals(n.CloudProvider, provider, StringComparison.OrdinalIgnoreCase)));
            if (sortField is not null || orderBy is not null)
            {
                var descending = orderBy == "DESC";
                query = sortField == "HOSTNAME"
                    ? (descending ? query.OrderByDescending(n => n.Hostname, StringComparer.Ordinal) : query.OrderBy(n => n.Hostname, StringComparer.Ordinal))
                    : (descending ? query.OrderByDescending(n => n.ImportTime).ThenByDescending(n => n.Seq) : query.OrderBy(n => n.ImportTime).ThenBy(n => n.Seq));
            }

            nodes = query.Select(n => n.ToWire()).ToList();
        }

        context.Response.Headers["X-Total-Count"] = nodes.Count.ToString(CultureInfo.InvariantCulture);
        return context.WriteJsonAsync(200, new ExNodesListWire(nodes, nodes.Count), WireJson.Snake);
    }

    private Task GetNodeAsync(HttpContext context)
    {
        var id = context.RouteId("node_id");
        var store = _store;
        object wire;
        lock (store.Gate)
        {
            if (!store.NodesById.TryGetValue(id, out var node))
            {
                return NodeNotFoundAsync(context, id);
            }

            node.Advance(state.Now, state.Settings.ExalsiusDiscoveryMs);
            wire = node.ToWire();
        }

        return context.WriteJsonAsync(200, wire, WireJson.Snake);
    }

    private Task DeleteNodeAsync(HttpContext context)
    {
        var id = context.RouteId("node_id");
        var store = _store;
        lock (store.Gate)
        {
            if (!store.NodesById.TryGetValue(id, out var node))
            {
                return NodeNotFoundAsync(context, id);
            }

            node.Advance(state.Now, state.Settings.ExalsiusDiscoveryMs);
            if (node.Status != "AVAILABLE")
            {
                return ProblemAsync(context, 409, $"The node with ID {id} is not in the `available` state (current state: `{node.Status}`).");
            }

            store.Remove(node);
        }

        return context.WriteJsonAsync(200, new ExNodeDeleteWire(id), WireJson.Snake);
    }

    private async Task PatchNodeAsync(HttpContext context)
    {
        var id = context.RouteId("node_id");
        var body = await context.ReadJsonAsync().ConfigureAwait(false);
        if (body.Error is not null || (body.Present && body.Root.ValueKind != JsonValueKind.Object))
        {
            await ProblemAsync(context, 400, body.Error ?? "The request body must be a NodePatchRequest object.").ConfigureAwait(false);
            return;
        }

        // No body (or {}) is a heartbeat; otherwise a NodePatchRequest whose hardware, software and system are required.
        var heartbeat = !body.Present || !body.Root.EnumerateObject().Any();
        ExHardwareWire? hardware = null;
        ExSoftwareWire? software = null;
        ExSystemWire? system = null;
        if (!heartbeat)
        {
            var missing = new[] { "hardware", "software", "system" }
                .Where(f => !body.Root.TryGetProperty(f, out var p) || p.ValueKind != JsonValueKind.Object)
                .ToList();
            if (missing.Count > 0)
            {
                await ProblemAsync(context, 400, "NodePatchRequest requires the objects: " + string.Join(", ", missing) + ".").ConfigureAwait(false);
                return;
            }

            try
            {
                hardware = body.Root.GetProperty("hardware").Deserialize<ExHardwareWire>(WireJson.Snake);
                software = body.Root.GetProperty("software").Deserialize<ExSoftwareWire>(WireJson.Snake);
                system = body.Root.GetProperty("system").Deserialize<ExSystemWire>(WireJson.Snake);
            }
            catch (JsonException e)
            {
                await ProblemAsync(context, 400, "Invalid NodePatchRequest: " + e.Message).ConfigureAwait(false);
                return;
            }
        }

        var store = _store;
        bool found;
        lock (store.Gate)
        {
            found = store.NodesById.TryGetValue(id, out var node);
            if (found)
            {
                Patch(node!, heartbeat, body, hardware, software, system);
            }
        }

        if (!found)
        {
            await NodeNotFoundAsync(context, id).ConfigureAwait(false);
            return;
        }

        var token = "exa_nat_" + Guid.NewGuid().ToString("N");
        await context.WriteJsonAsync(200, new ExNodePatchWire(id, token, 3600, "Bearer"), WireJson.Snake).ConfigureAwait(false);
    }

    /// <summary>Heartbeat: only self-managed nodes track last_heartbeat_date. Patch: replaces the reported specs.</summary>
    private void Patch(ExNode node, bool heartbeat, JsonBody body, ExHardwareWire? hardware, ExSoftwareWire? software, ExSystemWire? system)
    {
        node.Advance(state.Now, state.Settings.ExalsiusDiscoveryMs);
        if (heartbeat)
        {
            if (!node.IsCloud)
            {
                node.LastHeartbeat = state.Now;
            }

            return;
        }

        node.Hardware = hardware;
        node.Software = software;
        node.System = system;
        if (body.Root.TryGetProperty("description", out var description) && description.ValueKind == JsonValueKind.String)
        {
            node.Description = description.GetString();
        }
    }

    private async Task ImportSshAsync(HttpContext context)
    {
        var body = await context.ReadJsonAsync().ConfigureAwait(false);
        if (!body.IsValid || body.Root.ValueKind != JsonValueKind.Object)
        {
            await ProblemAsync(context, 400, body.Error ?? "A NodeImportSshRequest body is required.").ConfigureAwait(false);
            return;
        }

        var root = body.Root;
        var missing = new[] { "hostname", "endpoint", "username", "ssh_key_id" }.Where(f => string.IsNullOrEmpty(root.StringProperty(f))).ToList();
        if (missing.Count > 0)
        {
            await ProblemAsync(context, 400, "Missing required fields: " + string.Join(", ", missing) + ".").ConfigureAwait(false);
            return;
        }

        var price = 0.0;
        if (root.HasProperty("price_per_hour"))
        {
            if (root.GetProperty("price_per_hour").ValueKind != JsonValueKind.Number)
            {
                await ProblemAsync(context, 400, "price_per_hour must be a number.").ConfigureAwait(false);
                return;
            }

            price = root.GetProperty("price_per_hour").GetDouble();
        }

        var hostname = root.StringProperty("hostname")!;
        var endpoint = root.StringProperty("endpoint")!;
        var store = _store;
        string? id = null;
        lock (store.Gate)
        {
            var clash = store.Nodes.Exists(n =>
                string.Equals(n.Hostname, hostname, StringComparison.OrdinalIgnoreCase)
                || (n.Endpoint is not null && string.Equals(n.Endpoint, endpoint, StringComparison.OrdinalIgnoreCase)));
            if (!clash)
            {
                id = AddImported(store, root, hostname, endpoint, price);
            }
        }

        if (id is null)
        {
            await ProblemAsync(context, 409, $"A node with hostname '{hostname}' or endpoint '{endpoint}' already exists.").ConfigureAwait(false);
            return;
        }

        await context.WriteJsonAsync(201, new ExNodeImportWire([id], 1), WireJson.Snake).ConfigureAwait(false);
    }

    private string AddImported(ExStore store, JsonElement root, string hostname, string endpoint, double price)
    {
        var now = state.Now;
        var node = new ExNode
        {
            Id = Guid.NewGuid().ToString("D"),
            Seq = store.NextSeq(),
            NodeType = "SELF_MANAGED",
            Status = "PENDING",
            PricePerHour = price,
            Namespace = ExSeeder.Namespace,
            Hostname = hostname,
            Description = root.StringProperty("description"),
            ImportTime = now,
            Endpoint = endpoint,
            Username = root.StringProperty("username"),
            SshKeyId = root.StringProperty("ssh_key_id"),
            DiscoveryStartedAt = now,
        };
        store.Add(node);
        return node.Id;
    }

    private Task ImportOfferAsync(HttpContext context)
    {
        var offerId = context.RouteId("offer_id");
        var amount = 1;
        var amountText = context.Query("amount");
        if (amountText is not null && (!int.TryParse(amountText, NumberStyles.Integer, CultureInfo.InvariantCulture, out amount) || amount < 1 || amount > 1000))
        {
            return ProblemAsync(context, 400, "amount must be an integer between 1 and 1000.");
        }

        var hostname = context.Query("hostname") ?? "";
        var store = _store;
        var ids = new List<string>(amount);
        lock (store.Gate)
        {
            var offer = store.Offers.FirstOrDefault(o => o.Id == offerId);
            if (offer is null)
            {
                return ProblemAsync(context, 404, $"The node offer with ID {offerId} was not found.");
            }

            var now = state.Now;
            for (var i = 0; i < amount; i++)
            {
                var id = Guid.NewGuid().ToString("D");
                var name = hostname.Length == 0
                    ? $"{offer.InstanceType.Replace('_', '-').Replace('.', '-').ToLowerInvariant()}-{id[..8]}"
                    : amount == 1 ? hostname : string.Create(CultureInfo.InvariantCulture, $"{hostname}-{i + 1}");
                store.Add(new ExNode
                {
                    Id = id,
                    Seq = store.NextSeq(),
                    NodeType = "CLOUD",
                    Status = "AVAILABLE",
                    PricePerHour = offer.PricePerHour,
                    Namespace = ExSeeder.Namespace,
                    Hostname = name,
                    Description = $"Imported from offer {offer.Id}",
                    Location = offer.Location,
                    ImportTime = now,
                    Hardware = new ExHardwareWire(offer.GpuCount, offer.GpuVendor, offer.GpuType, offer.GpuMemory, null, null, null),
                    CloudProvider = offer.Provider,
                    Region = offer.Region,
                    InstanceType = offer.InstanceType,
                    AvailabilityZone = offer.AvailabilityZone,
                });
                ids.Add(id);
            }
        }

        return context.WriteJsonAsync(201, new ExNodeImportWire(ids, ids.Count), WireJson.Snake);
    }

    private Task ListOffersAsync(HttpContext context)
    {
        var pageSize = 50;
        var pageSizeText = context.Query("page_size");
        if (pageSizeText is not null && (!int.TryParse(pageSizeText, NumberStyles.Integer, CultureInfo.InvariantCulture, out pageSize) || pageSize is < 1 or > 1000))
        {
            return ProblemAsync(context, 400, "page_size must be an integer between 1 and 1000.");
        }

        var offset = 0;
        var cursor = context.Query("cursor");
        if (!string.IsNullOrEmpty(cursor)
            && (!OpaqueToken.TryDecode(cursor, out var text) || !text.StartsWith("offers|", StringComparison.Ordinal)
                || !int.TryParse(text["offers|".Length..], NumberStyles.None, CultureInfo.InvariantCulture, out offset)))
        {
            return ProblemAsync(context, 400, "cursor is not valid.");
        }

        var gpuType = context.Query("gpu_type");
        var cloudProvider = context.Query("cloud_provider");
        var region = context.Query("region");
        var priceType = context.Query("price_type");
        var store = _store;
        List<ExOfferWire> matching;
        lock (store.Gate)
        {
            matching = store.Offers
                .Where(o => string.IsNullOrEmpty(gpuType) || string.Equals(o.GpuType, gpuType, StringComparison.OrdinalIgnoreCase))
                .Where(o => string.IsNullOrEmpty(cloudProvider) || string.Equals(o.Provider, cloudProvider, StringComparison.OrdinalIgnoreCase))
                .Where(o => string.IsNullOrEmpty(region) || string.Equals(o.Region, region, StringComparison.OrdinalIgnoreCase))
                .Where(o => string.IsNullOrEmpty(priceType) || string.Equals(o.PriceType, priceType, StringComparison.OrdinalIgnoreCase))
                .ToList();
        }

        var page = matching.Skip(offset).Take(pageSize).ToList();
        var next = offset + pageSize < matching.Count ? OpaqueToken.Encode("offers|" + (offset + pageSize).ToString(CultureInfo.InvariantCulture)) : null;
        var prev = offset > 0 ? OpaqueToken.Encode("offers|" + Math.Max(0, offset - pageSize).ToString(CultureInfo.InvariantCulture)) : null;
        return context.WriteJsonAsync(200, new ExOffersListWire(page, matching.Count, next, prev), WireJson.Snake);
    }

    private Task ListClustersAsync(HttpContext context)
    {
        var store = _store;
        List<ExClusterWire> clusters;
        lock (store.Gate)
        {
            clusters = store.Clusters.Select(c => c.ToWire()).ToList();
        }

        return context.WriteJsonAsync(200, new ExClustersListWire(clusters, clusters.Count), WireJson.Snake);
    }

    private Task GetClusterNodesAsync(HttpContext context)
    {
        var id = context.RouteId("cluster_id");
        var store = _store;
        ExClusterNodesWire wire;
        lock (store.Gate)
        {
            if (!store.ClustersById.TryGetValue(id, out var cluster))
            {
                return ProblemAsync(context, 404, $"The cluster with ID {id} was not found.");
            }

            wire = new ExClusterNodesWire(cluster.Id, [.. cluster.ControlPlane], [.. cluster.Workers], cluster.ControlPlane.Count + cluster.Workers.Count);
        }

        return context.WriteJsonAsync(200, wire, WireJson.Snake);
    }

    private Task RemoveClusterNodeAsync(HttpContext context)
    {
        var clusterId = context.RouteId("cluster_id");
        var nodeId = context.RouteId("node_id");
        var store = _store;
        lock (store.Gate)
        {
            if (!store.ClustersById.TryGetValue(clusterId, out var cluster))
            {
                return ProblemAsync(context, 404, $"The cluster with ID {clusterId} was not found.");
            }

            if (!cluster.Workers.Remove(nodeId) && !cluster.ControlPlane.Remove(nodeId))
            {
                return ProblemAsync(context, 404, $"The cluster node with ID {nodeId} was not found.");
            }

            cluster.UpdatedAt = state.Now;
            if (store.NodesById.TryGetValue(nodeId, out var node))
            {
                node.Status = "AVAILABLE";
            }
        }

        return context.WriteJsonAsync(202, new ExClusterNodeRemoveWire(nodeId), WireJson.Snake);
    }

    public AdminResult AddNode(AdminNodeRequest request)
    {
        var type = (request.NodeType ?? "SELF_MANAGED").ToUpperInvariant();
        if (type is not ("CLOUD" or "SELF_MANAGED"))
        {
            return AdminResult.Error(400, "nodeType must be CLOUD or SELF_MANAGED.");
        }

        var store = _store;
        lock (store.Gate)
        {
            if (store.NodesById.ContainsKey(request.Id))
            {
                return AdminResult.Error(409, $"Node '{request.Id}' already exists.");
            }

            ExCluster? cluster = null;
            if (!string.IsNullOrEmpty(request.ClusterId) && !store.ClustersById.TryGetValue(request.ClusterId, out cluster))
            {
                return AdminResult.Error(404, $"Cluster '{request.ClusterId}' not found.");
            }

            var now = state.Now;
            var cloud = type == "CLOUD";
            var node = new ExNode
            {
                Id = request.Id,
                Seq = store.NextSeq(),
                NodeType = type,
                Status = request.Status ?? "AVAILABLE",
                PricePerHour = 1.0,
                Namespace = ExSeeder.Namespace,
                Hostname = request.Name ?? request.Id,
                ImportTime = now,
                Hardware = new ExHardwareWire(8, "NVIDIA", request.GpuType ?? "H100", 80, 96, 1024, 7680),
                CloudProvider = cloud ? "aws" : null,
                Region = cloud ? "us-east-1" : null,
                InstanceType = cloud ? "p5.48xlarge" : null,
                Endpoint = cloud ? null : "192.0.2.1:" + (22000 + store.Nodes.Count).ToString(CultureInfo.InvariantCulture),
                Username = cloud ? null : "ubuntu",
                SshKeyId = cloud ? null : Guid.Empty.ToString("D"),
            };
            store.Add(node);
            cluster?.Workers.Add(node.Id);
            return new AdminResult(201, node.ToWire(), true);
        }
    }

    private static Task NodeNotFoundAsync(HttpContext context, string id) => ProblemAsync(context, 404, $"The node with ID {id} was not found.");

    private void AdvanceAll(ExStore store)
    {
        var now = state.Now;
        var discovery = state.Settings.ExalsiusDiscoveryMs;
        foreach (var node in store.Nodes)
        {
            node.Advance(now, discovery);
        }
    }
}
