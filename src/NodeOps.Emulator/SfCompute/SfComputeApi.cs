using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using NodeOps.Emulator.Admin;
using NodeOps.Emulator.Hosting;

namespace NodeOps.Emulator.SfCompute;

/// <summary>
/// SF Compute nodes API v1: list/get nodes (by id or name), redeploy (replace the VM), release, delete, and
/// the VM image list. Errors use the v2 shape <c>{error:{type, message, details}}</c>.
/// </summary>
internal sealed class SfComputeApi(EmulatorState state) : IProviderApi
{
    private volatile SfStore _store = new();

    public Provider Provider => Provider.SfCompute;

    public void Reseed(SeedSpec seed) => _store = SfSeeder.Seed(seed);

    public void MapRoutes(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/v1/nodes", ListNodesAsync);
        routes.MapGet("/v1/nodes/{id}", GetNodeAsync);
        routes.MapPut("/v1/nodes/{id}/redeploy", RedeployAsync);
        routes.MapPatch("/v1/nodes/{id}/release", ReleaseAsync);
        routes.MapDelete("/v1/nodes/{id}", DeleteAsync);
        routes.MapGet("/v1/vms/images", ListImagesAsync);
    }

    public Task WriteErrorAsync(HttpContext context, int status, string message) => ErrorAsync(context, status, message);

    private static Task ErrorAsync(HttpContext context, int status, string message, params SfErrorDetailWire[] details)
    {
        var type = status switch
        {
            400 => "invalid_request_error",
            401 => "authentication_error",
            402 => "payment_required",
            403 => "forbidden",
            404 => "not_found",
            409 => "conflict",
            422 => "unprocessable_entity",
            429 => "rate_limit_error",
            _ => status >= 500 ? "api_error" : "invalid_request_error",
        };
        return context.WriteJsonAsync(status, new SfErrorWire(new SfErrorContentWire(type, message, details)), WireJson.Snake);
    }

    private Task ListNodesAsync(HttpContext context)
    {
        // Repeated ?id=a&id=b (the SDK also sends id[]); filters combine with AND rather than being refused together.
        var ids = context.QueryList("id", "id[]");
        var names = context.QueryList("name", "name[]");
        var type = context.Query("type");
        if (type is not (null or "autoreserved" or "reserved"))
        {
            return ErrorAsync(context, 400, "type must be autoreserved or reserved.", new SfErrorDetailWire("type", "invalid_enum_value", $"'{type}' is not a node type."));
        }

        var store = _store;
        List<SfNodeWire> data;
        lock (store.Gate)
        {
            var now = state.Now;
            var boot = state.Settings.SfVmBootMs;
            data = store.Nodes
                .Where(n => ids.Count == 0 || ids.Contains(n.Id))
                .Where(n => names.Count == 0 || names.Contains(n.Name))
                .Where(n => type is null || n.NodeType == type)
                .Select(n =>
                {
                    n.Advance(now, boot);
                    return n.ToWire();
                })
                .ToList();
        }

        return context.WriteJsonAsync(200, new SfNodeListWire("list", data), WireJson.Snake);
    }

    private Task GetNodeAsync(HttpContext context)
    {
        var id = context.RouteId("id");
        var store = _store;
        SfNodeWire wire;
        lock (store.Gate)
        {
            var node = store.Find(id);
            if (node is null)
            {
                return NotFoundAsync(context, id);
            }

            node.Advance(state.Now, state.Settings.SfVmBootMs);
            wire = node.ToWire();
        }

        return context.WriteJsonAsync(200, wire, WireJson.Snake);
    }

    private async Task RedeployAsync(HttpContext context)
    {
        var id = context.RouteId("id");
        var body = await context.ReadJsonAsync().ConfigureAwait(false);
        if (body.Error is not null || (body.Present && body.Root.ValueKind != JsonValueKind.Object))
        {
            await ErrorAsync(context, 400, body.Error ?? "The request body must be a JSON object.").ConfigureAwait(false);
            return;
        }

        string? imageId = null;
        string? cloudInit = null;
        var overrideEmpty = false;
        if (body.Present)
        {
            var root = body.Root;
            if (root.TryGetProperty("image_id", out var image) && image.ValueKind is not (JsonValueKind.String or JsonValueKind.Null))
            {
                await ErrorAsync(context, 400, "image_id must be a string.", new SfErrorDetailWire("image_id", "invalid_type", "expected a string")).ConfigureAwait(false);
                return;
            }

            imageId = root.StringProperty("image_id");
            if (root.TryGetProperty("cloud_init_user_data", out var init) && init.ValueKind != JsonValueKind.Null)
            {
                cloudInit = init.ValueKind == JsonValueKind.String ? init.GetString() : null;
                if (cloudInit is null || !IsBase64(cloudInit))
                {
                    await ErrorAsync(context, 400, "cloud_init_user_data must be base64 encoded.", new SfErrorDetailWire("cloud_init_user_data", "invalid_base64", "not valid base64")).ConfigureAwait(false);
                    return;
                }
            }

            if (root.TryGetProperty("override_empty", out var ov) && ov.ValueKind != JsonValueKind.Null)
            {
                if (ov.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
                {
                    await ErrorAsync(context, 400, "override_empty must be a boolean.", new SfErrorDetailWire("override_empty", "invalid_type", "expected a boolean")).ConfigureAwait(false);
                    return;
                }

                overrideEmpty = ov.GetBoolean();
            }
        }

        var store = _store;
        (int Status, string Message, SfNodeWire? Node) outcome;
        lock (store.Gate)
        {
            outcome = Redeploy(store, id, imageId, cloudInit, overrideEmpty);
        }

        if (outcome.Node is null)
        {
            await ErrorAsync(context, outcome.Status, outcome.Message).ConfigureAwait(false);
            return;
        }

        await context.WriteJsonAsync(200, outcome.Node, WireJson.Snake).ConfigureAwait(false);
    }

    /// <summary>
    /// Destroys the current VM and starts a new one (Pending until SfVmBootMs has passed). Only running nodes
    /// whose current VM is running or failed (NodeFailure) can be redeployed: 409 otherwise.
    /// </summary>
    private (int Status, string Message, SfNodeWire? Node) Redeploy(SfStore store, string id, string? imageId, string? cloudInit, bool overrideEmpty)
    {
        var node = store.Find(id);
        if (node is null)
        {
            return (404, $"Node {id} not found.", null);
        }

        var now = state.Now;
        node.Advance(now, state.Settings.SfVmBootMs);
        if (!node.Is("running"))
        {
            return (409, $"Node {node.Id} is {node.Status}; only running nodes can be redeployed.", null);
        }

        // Replacing a failed VM is the point of a redeploy; only a VM still booting is refused, so a blind
        // retry cannot stack VMs.
        var current = node.CurrentVm;
        if (current is not null && !current.Is("running") && !current.Is("nodefailure"))
        {
            return (409, $"Node {node.Id} cannot be redeployed while its VM {current.Id} is {current.Status}.", null);
        }

        var seconds = now.ToUnixTimeSeconds();
        if (current is not null)
        {
            current.Status = node.VmStatus("destroyed");
            current.UpdatedAt = seconds;
            current.EndAt = seconds;
        }

        node.Vms.Add(new SfVm
        {
            Id = "vm_" + Guid.NewGuid().ToString("N")[..20],
            Status = node.VmStatus("pending"),
            CreatedAt = seconds,
            UpdatedAt = seconds,
            StartAt = seconds,
            EndAt = node.EndAt,
            ImageId = imageId ?? (overrideEmpty ? null : current?.ImageId),
            CloudInitUserData = cloudInit ?? (overrideEmpty ? null : current?.CloudInitUserData),
            Zone = node.Zone,
            PendingSince = now,
        });
        node.UpdatedAt = seconds;
        state.Counters.Remediation(Provider.SfCompute, node.Id);
        return (200, "", node.ToWire());
    }

    private Task ReleaseAsync(HttpContext context)
    {
        var id = context.RouteId("id");
        var store = _store;
        SfNodeWire wire;
        lock (store.Gate)
        {
            var node = store.Find(id);
            if (node is null)
            {
                return NotFoundAsync(context, id);
            }

            if (node.NodeType != "autoreserved")
            {
                return ErrorAsync(context, 400, $"Node {node.Id} is {node.NodeType}; only autoreserved nodes can be released.");
            }

            if (node.Is("released") || node.Is("terminated") || node.Is("deleted"))
            {
                return ErrorAsync(context, 409, $"Node {node.Id} is already {node.Status}.");
            }

            node.Status = "released";
            node.UpdatedAt = state.Now.ToUnixTimeSeconds();
            wire = node.ToWire();
        }

        return context.WriteJsonAsync(200, wire, WireJson.Snake);
    }

    private Task DeleteAsync(HttpContext context)
    {
        var id = context.RouteId("id");
        var store = _store;
        lock (store.Gate)
        {
            var node = store.Find(id);
            if (node is null)
            {
                return NotFoundAsync(context, id);
            }

            node.Advance(state.Now, state.Settings.SfVmBootMs);
            var active = node.Vms.Find(v => v.Is("running") || v.Is("pending"));
            if (active is not null)
            {
                return ErrorAsync(context, 409, $"Node {node.Id} still has an active VM ({active.Id} is {active.Status}).");
            }

            // Deleting twice is harmless: the node simply stays deleted.
            if (!node.Is("deleted"))
            {
                node.Status = "deleted";
                node.DeletedAt = state.Now.ToUnixTimeSeconds();
                node.UpdatedAt = node.DeletedAt;
            }
        }

        context.Response.StatusCode = 204;
        return Task.CompletedTask;
    }

    private Task ListImagesAsync(HttpContext context)
    {
        var store = _store;
        return context.WriteJsonAsync(200, new SfImageListWire("list", store.Images, false), WireJson.Snake);
    }

    public AdminResult AddNode(AdminNodeRequest request)
    {
        var store = _store;
        lock (store.Gate)
        {
            if (store.NodesById.ContainsKey(request.Id))
            {
                return AdminResult.Error(409, $"Node '{request.Id}' already exists.");
            }

            var now = state.Now.ToUnixTimeSeconds();
            var status = request.Status ?? "running";
            var node = new SfNode
            {
                Id = request.Id,
                Name = request.Name ?? request.Id,
                GpuType = request.GpuType ?? "H100",
                Owner = SfSeeder.Owner,
                Status = status,
                NodeType = "autoreserved",
                Zone = "hayesvalley",
                CreatedAt = now,
                UpdatedAt = now,
                StartAt = now,
                EndAt = now - (now % 3600) + 7200,
                MaxPricePerNodeHour = 1600,
                ProcurementId = request.ClusterId,
            };
            var vmStatus = request.VmStatus ?? (string.Equals(status, "running", StringComparison.OrdinalIgnoreCase) ? "running" : null);
            if (vmStatus is not null)
            {
                node.Vms.Add(new SfVm { Id = "vm_" + Guid.NewGuid().ToString("N")[..20], Status = vmStatus, CreatedAt = now, UpdatedAt = now, StartAt = now, EndAt = node.EndAt, Zone = node.Zone });
            }

            store.Add(node);
            return new AdminResult(201, node.ToWire(), true);
        }
    }

    private static Task NotFoundAsync(HttpContext context, string id) => ErrorAsync(context, 404, $"Node {id} not found.");

    private static bool IsBase64(string value)
    {
        var buffer = new byte[((value.Length * 3) / 4) + 3];
        return Convert.TryFromBase64String(value, buffer, out _);
    }
}
