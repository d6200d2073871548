using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using NodeOps.Emulator.Admin;
using NodeOps.Emulator.Hosting;

namespace NodeOps.Emulator.VoltagePark;

/// <summary>The Voltage Park (Harbor) API: fleets, nodes, fleet health and batch remediation with Idempotency-Key.</summary>
internal sealed class VoltageParkApi(EmulatorState state) : IProviderApi
{
    private const int MaxMessageLength = 2000;
    private const int MaxIdempotencyKeyLength = 255;

    private static readonly HashSet<string> RemediableStates = new(StringComparer.Ordinal) { "ACTIVE", "READY", "UNHEALTHY" };
    private static readonly HashSet<string> KnownStates = new(StringComparer.Ordinal)
    {
        "ACTIVE", "BASELINING", "CONFIGURING", "CONTRACTING", "FAILED_PROVISIONING", "ONBOARDING", "PROVISIONING",
        "READY", "TERMINATED", "TERMINATING", "TESTING", "UNHEALTHY", "VALIDATION",
    };

    private volatile VpStore _store = new();

    public Provider Provider => Provider.VoltagePark;

    public void Reseed(SeedSpec seed) => _store = VpSeeder.Seed(seed);

    public void MapRoutes(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/v1/fleets", ListFleetsAsync);
        routes.MapGet("/v1/fleets/{fleetId}", GetFleetAsync);
        routes.MapGet("/v1/fleets/{fleetId}/health", GetFleetHealthAsync);
        routes.MapGet("/v1/fleets/{fleetId}/nodes", ListNodesAsync);
        routes.MapGet("/v1/fleets/{fleetId}/nodes/{nodeId}", GetNodeAsync);
        routes.MapPost("/v1/fleets/{fleetId}/nodes/remediate", RemediateAsync);
    }

    public Task WriteErrorAsync(HttpContext context, int status, string message)
        => ErrorAsync(context, status, DefaultCode(status), message);

    private Task ErrorAsync(HttpContext context, int status, string code, string message, IReadOnlyDictionary<string, string>? details = null)
        => context.WriteJsonAsync(status, ErrorBody(code, message, details), WireJson.Camel);

    private VpErrorWire ErrorBody(string code, string message, IReadOnlyDictionary<string, string>? details = null)
        => new(message, code, state.Now.ToUnixTimeMilliseconds(), details);

    private static string DefaultCode(int status) => status switch
    {
        400 => "BAD_REQUEST",
        401 => "UNAUTHORIZED",
        403 => "FORBIDDEN",
        404 => "NOT_FOUND",
        405 => "METHOD_NOT_ALLOWED",
        409 => "CONFLICT",
        422 => "UNPROCESSABLE_ENTITY",
        429 => "RATE_LIMITED",
        502 => "BAD_GATEWAY",
        503 => "SERVICE_UNAVAILABLE",
        504 => "GATEWAY_TIMEOUT",
        _ => status >= 500 ? "INTERNAL_SERVER_ERROR" : "ERROR",
    };

    private Task ListFleetsAsync(HttpContext context)
    {
        var limitText = context.Query("limit");
        var tokenText = context.Query("nextToken");
        int? limit = null;
        if (limitText is not null)
        {
            if (!int.TryParse(limitText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l) || l is < 0 or > 100)
            {
                return ErrorAsync(context, 400, "INVALID_PAGINATION", "limit must be an integer between 0 and 100.");
            }

            limit = l;
        }

        if (tokenText is not null && limit is null)
        {
            return ErrorAsync(context, 400, "INVALID_PAGINATION", "nextToken is only valid together with limit.");
        }

        var offset = 0;
        if (tokenText is not null && !TryDecodeToken(tokenText, "fleets", out offset))
        {
            return ErrorAsync(context, 400, "INVALID_NEXT_TOKEN", "nextToken is not valid.");
        }

        var store = _store;
        lock (store.Gate)
        {
            AdvanceAll(store);
            if (limit is null)
            {
                return context.WriteJsonAsync(200, new VpListFleetsWire(store.Fleets.Select(ToWire).ToList(), null, null), WireJson.Camel);
            }

            var page = store.Fleets.Skip(offset).Take(limit.Value).Select(ToWire).ToList();
            var next = limit.Value > 0 && offset + limit.Value < store.Fleets.Count ? EncodeToken("fleets", offset + limit.Value) : null;
            return context.WriteJsonAsync(200, new VpListFleetsWire(page, next, limit), WireJson.Camel);
        }
    }

    private Task GetFleetAsync(HttpContext context)
    {
        var store = _store;
        lock (store.Gate)
        {
            if (!store.FleetsById.TryGetValue(context.RouteId("fleetId"), out var fleet))
            {
                return FleetNotFoundAsync(context);
            }

            Advance(fleet);
            return context.WriteJsonAsync(200, ToWire(fleet), WireJson.Camel);
        }
    }

    private Task GetFleetHealthAsync(HttpContext context)
    {
        var store = _store;
        lock (store.Gate)
        {
            var fleetId = context.RouteId("fleetId");
            if (!store.FleetsById.TryGetValue(fleetId, out var fleet))
            {
                return FleetNotFoundAsync(context);
            }

            if (fleet.Status != "ACTIVE" || fleet.Nodes.Count == 0)
            {
                var why = fleet.Status != "ACTIVE" ? $"Fleet is not ACTIVE (status {fleet.Status})." : "Fleet is ACTIVE but has no nodes.";
                return context.WriteJsonAsync(422, new VpFleetHealth422Wire(why, fleet.FleetId, fleet.Status), WireJson.Camel);
            }

            Advance(fleet);
            var nodes = fleet.Nodes.Select(n => new VpNodeHealthWire(n.NodeName, n.Health, n.HealthUpdatedAt)).ToList();
            var healthy = nodes.Count(n => n.Status == "healthy");
            var overall = healthy == nodes.Count ? "healthy" : healthy == 0 ? "unhealthy" : "degraded";
            return context.WriteJsonAsync(200, new VpFleetHealthWire(fleet.FleetId, overall, nodes), WireJson.Camel);
        }
    }

    private Task ListNodesAsync(HttpContext context)
    {
        var limit = 100;
        var limitText = context.Query("limit");
        if (limitText is not null && (!int.TryParse(limitText, NumberStyles.Integer, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > 100))
        {
            return ErrorAsync(context, 400, "INVALID_PAGINATION", "limit must be an integer between 1 and 100.");
        }

        var fleetId = context.RouteId("fleetId");
        var offset = 0;
        var tokenText = context.Query("nextToken");
        if (tokenText is not null && !TryDecodeToken(tokenText, "nodes:" + fleetId, out offset))
        {
            return ErrorAsync(context, 400, "INVALID_NEXT_TOKEN", "nextToken is not valid for this fleet.");
        }

        var store = _store;
        lock (store.Gate)
        {
            if (!store.FleetsById.TryGetValue(fleetId, out var fleet))
            {
                return FleetNotFoundAsync(context);
            }

            Advance(fleet);
            var page = fleet.Nodes.Skip(offset).Take(limit).Select(ToWire).ToList();
            var next = offset + limit < fleet.Nodes.Count ? EncodeToken("nodes:" + fleetId, offset + limit) : null;
            return context.WriteJsonAsync(200, new VpListNodesWire(page, next, limit), WireJson.Camel);
        }
    }

    private Task GetNodeAsync(HttpContext context)
    {
        var store = _store;
        lock (store.Gate)
        {
            if (!store.FleetsById.TryGetValue(context.RouteId("fleetId"), out var fleet))
            {
                return FleetNotFoundAsync(context);
            }

            var nodeId = context.RouteId("nodeId");
            if (!fleet.NodesByName.TryGetValue(nodeId, out var node))
            {
                return ErrorAsync(context, 404, "NODE_NOT_FOUND", $"Node '{nodeId}' not found in fleet '{fleet.FleetId}'.");
            }

            node.Advance(state.Now, state.Settings.VpRemediationStepMs);
            return context.WriteJsonAsync(200, ToWire(node), WireJson.Camel);
        }
    }

    private async Task RemediateAsync(HttpContext context)
    {
        var timing = context.Features.Get<RequestTiming>()!;
        var fleetId = context.RouteId("fleetId");
        var bodyBytes = await context.ReadBodyBytesAsync().ConfigureAwait(false);
        var key = context.Request.Headers["Idempotency-Key"].FirstOrDefault();
        if (string.IsNullOrEmpty(key))
        {
            var (status, body) = ProcessRemediation(fleetId, bodyBytes);
            await context.WriteJsonAsync(status, body, WireJson.Camel).ConfigureAwait(false);
            return;
        }

        if (key.Length > MaxIdempotencyKeyLength)
        {
            await ErrorAsync(context, 400, "INVALID_IDEMPOTENCY_KEY", $"Idempotency-Key must be at most {MaxIdempotencyKeyLength} characters.").ConfigureAwait(false);
            return;
        }

        var store = _store;
        var fingerprint = Fingerprint(fleetId, bodyBytes);
        var (outcome, cachedStatus, cachedBody) = store.Idempotency.Begin(key, fingerprint, state.Now);
        switch (outcome)
        {
            case IdempotencyOutcome.Replay:
                context.Response.Headers["Idempotent-Replayed"] = "true";
                context.Response.StatusCode = cachedStatus;
                context.Response.ContentType = "application/json";
                await context.Response.Body.WriteAsync(cachedBody, context.RequestAborted).ConfigureAwait(false);
                return;
            case IdempotencyOutcome.InProgress:
                await ErrorAsync(context, 409, "IDEMPOTENCY_KEY_IN_PROGRESS", "A request with this Idempotency-Key is still being processed. Retry in about 5 seconds with the same key.").ConfigureAwait(false);
                return;
            case IdempotencyOutcome.Mismatch:
                await ErrorAsync(context, 422, "IDEMPOTENCY_KEY_MISMATCH", "This Idempotency-Key was used with a different request body. Use a new key.").ConfigureAwait(false);
                return;
        }

        byte[] responseBytes;
        int responseStatus;
        try
        {
            var (status, body) = ProcessRemediation(fleetId, bodyBytes);
            responseStatus = status;
            responseBytes = JsonSerializer.SerializeToUtf8Bytes(body, body.GetType(), WireJson.Camel);
            // The key stays "in progress" for this long; the change above is already visible.
            await timing.DelayAsync(state.Settings.VpRemediateProcessingMs, state.Stopping).ConfigureAwait(false);
        }
        catch
        {
            store.Idempotency.Abandon(key);
            throw;
        }

        store.Idempotency.Complete(key, responseStatus, responseBytes, state.Now);
        context.Response.StatusCode = responseStatus;
        context.Response.ContentType = "application/json";
        await context.Response.Body.WriteAsync(responseBytes, context.RequestAborted).ConfigureAwait(false);
    }

    private static string Fingerprint(string fleetId, byte[] body)
    {
        var parsed = HttpHelpers.ParseJson(body);
        var normalized = parsed.IsValid ? JsonSerializer.Serialize(parsed.Root) : Encoding.UTF8.GetString(body);
        return "POST " + fleetId + "\n" + normalized;
    }

    /// <summary>Validates and applies a remediate batch; returns the status and body to send (and to cache).</summary>
    private (int Status, object Body) ProcessRemediation(string fleetId, byte[] bodyBytes)
    {
        var parsed = HttpHelpers.ParseJson(bodyBytes);
        if (!parsed.Present)
        {
            return (400, ErrorBody("VALIDATION_ERROR", "Request body is required: a JSON array of {nodeId, message, cause}."));
        }

        if (parsed.Error is not null)
        {
            return (400, ErrorBody("VALIDATION_ERROR", parsed.Error));
        }

        if (parsed.Root.ValueKind != JsonValueKind.Array)
        {
            return (400, ErrorBody("VALIDATION_ERROR", "Request body must be a JSON array of {nodeId, message, cause}."));
        }

        var items = new List<(string NodeId, string Message, string Cause)>();
        var details = new Dictionary<string, string>(StringComparer.Ordinal);
        var index = 0;
        foreach (var item in parsed.Root.EnumerateArray())
        {
            var nodeId = item.StringProperty("nodeId");
            var message = item.StringProperty("message");
            var cause = item.StringProperty("cause");
            var at = string.Create(CultureInfo.InvariantCulture, $"[{index}]");
            if (item.ValueKind != JsonValueKind.Object)
            {
                details[at] = "must be an object";
            }

            if (string.IsNullOrEmpty(nodeId))
            {
                details[at + ".nodeId"] = "required string";
            }

            if (string.IsNullOrEmpty(message))
            {
                details[at + ".message"] = "required string";
            }
            else if (message.Length > MaxMessageLength)
            {
                details[at + ".message"] = $"must be at most {MaxMessageLength} characters";
            }

            if (string.IsNullOrEmpty(cause))
            {
                details[at + ".cause"] = "required string";
            }

            items.Add((nodeId ?? "", message ?? "", cause ?? ""));
            index++;
        }

        if (items.Count == 0)
        {
            return (400, ErrorBody("VALIDATION_ERROR", "At least one node must be given."));
        }

        if (details.Count > 0)
        {
            return (400, ErrorBody("VALIDATION_ERROR", "Invalid remediation request.", details));
        }

        var store = _store;
        lock (store.Gate)
        {
            if (!store.FleetsById.TryGetValue(fleetId, out var fleet))
            {
                return (404, ErrorBody("FLEET_NOT_FOUND", $"Fleet '{fleetId}' not found."));
            }

            var now = state.Now;
            Advance(fleet);
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var results = new List<VpRemediateResponseWire>(items.Count);
            foreach (var (nodeId, _, _) in items)
            {
                if (!seen.Add(nodeId))
                {
                    results.Add(new VpRemediateResponseWire(nodeId, "rejected", "Duplicate nodeId in this request."));
                    continue;
                }

                if (!fleet.NodesByName.TryGetValue(nodeId, out var node))
                {
                    results.Add(new VpRemediateResponseWire(nodeId, "rejected", $"Node '{nodeId}' is not part of fleet '{fleet.FleetId}'."));
                    continue;
                }

                if (node.RemediationStartedAt is not null)
                {
                    results.Add(new VpRemediateResponseWire(nodeId, "rejected", "A remediation is already in progress for this node."));
                    continue;
                }

                // Unknown (newer) states are accepted; known set-up and end-of-life states are not.
                if (KnownStates.Contains(node.State) && !RemediableStates.Contains(node.State))
                {
                    results.Add(new VpRemediateResponseWire(nodeId, "rejected", $"Node is in state {node.State} and cannot be remediated."));
                    continue;
                }

                node.State = "PROVISIONING";
                node.RemediationStartedAt = now;
                node.HealthUpdatedAt = now.ToUnixTimeMilliseconds();
                fleet.UpdatedAt = now.ToUnixTimeMilliseconds();
                state.Counters.Remediation(Provider.VoltagePark, fleet.FleetId + "/" + node.NodeName);
                results.Add(new VpRemediateResponseWire(nodeId, "accepted", null));
            }

            return (200, results);
        }
    }

    public AdminResult AddNode(AdminNodeRequest request)
    {
        var store = _store;
        lock (store.Gate)
        {
            VpFleet fleet;
            if (string.IsNullOrEmpty(request.ClusterId))
            {
                if (store.Fleets.Count == 0)
                {
                    return AdminResult.Error(400, "There is no fleet; give clusterId to create one.");
                }

                fleet = store.Fleets[0];
            }
            else if (!store.FleetsById.TryGetValue(request.ClusterId, out fleet!))
            {
                var now = state.Now.ToUnixTimeMilliseconds();
                fleet = new VpFleet
                {
                    FleetId = request.ClusterId,
                    Name = "admin-" + request.ClusterId,
                    Status = "ACTIVE",
                    RequestedAt = now,
                    ProvisionedAt = now,
                    CreatedAt = now,
                    UpdatedAt = now,
                    InstanceType = "h100-8x-bm",
                    Network = "infiniband",
                    MachineImage = "Ubuntu 24.04",
                };
                store.Add(fleet);
            }

            if (fleet.NodesByName.ContainsKey(request.Id))
            {
                return AdminResult.Error(409, $"Node '{request.Id}' already exists in fleet '{fleet.FleetId}'.");
            }

            var node = new VpNode
            {
                NodeName = request.Id,
                FleetId = fleet.FleetId,
                State = request.Status ?? "ACTIVE",
                PublicIp = SeedRandom.Ip(198, store.Fleets.Sum(f => f.Nodes.Count)),
                GpuType = request.GpuType,
                HealthUpdatedAt = state.Now.ToUnixTimeMilliseconds(),
            };
            fleet.Add(node);
            return new AdminResult(201, ToWire(node), true);
        }
    }

    private Task FleetNotFoundAsync(HttpContext context)
        => ErrorAsync(context, 404, "FLEET_NOT_FOUND", $"Fleet '{context.RouteId("fleetId")}' not found.");

    private void AdvanceAll(VpStore store)
    {
        foreach (var fleet in store.Fleets)
        {
            Advance(fleet);
        }
    }

    private void Advance(VpFleet fleet)
    {
        var now = state.Now;
        var step = state.Settings.VpRemediationStepMs;
        foreach (var node in fleet.Nodes)
        {
            node.Advance(now, step);
        }
    }

    private static VpNodeWire ToWire(VpNode node) => new(node.NodeName, node.State, node.PublicIp, node.FleetId, node.GpuType);

    private static VpFleetWire ToWire(VpFleet fleet) => new(
        fleet.FleetId,
        fleet.Name,
        fleet.Status,
        fleet.RequestedAt,
        fleet.ProvisionedAt,
        fleet.CreatedAt,
        fleet.UpdatedAt,
        "BARE_METAL",
        new VpFleetComputeFootprintWire(new VpFleetNodeSpecWire(
            fleet.InstanceType,
            fleet.Nodes.Count,
            fleet.Nodes.Select(n => new VpFleetNodeWire(n.NodeName, n.State, n.PublicIp, n.GpuType)).ToList())),
        new VpInfrastructureWire(fleet.Network, [new VpStorageConfigWire("/data", 10_995_116_277_760)]),
        new VpBootstrapWire(null, fleet.MachineImage, ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIEmulatorKey nodeops@emulator"]),
        new VpFleetAppsWire("disabled", "disabled"));

    private static string EncodeToken(string scope, int offset)
        => OpaqueToken.Encode(scope + "|" + offset.ToString(CultureInfo.InvariantCulture));

    private static bool TryDecodeToken(string token, string scope, out int offset)
    {
        offset = 0;
        if (!OpaqueToken.TryDecode(token, out var text))
        {
            return false;
        }

        var bar = text.LastIndexOf('|');
        return bar > 0
            && string.Equals(text[..bar], scope, StringComparison.Ordinal)
            && int.TryParse(text[(bar + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out offset);
    }
}
