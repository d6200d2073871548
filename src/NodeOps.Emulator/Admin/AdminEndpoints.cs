using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using NodeOps.Emulator.Faults;
using NodeOps.Emulator.Hosting;

namespace NodeOps.Emulator.Admin;

/// <summary>The test-control API under <c>/_emulator/</c>. No auth; camelCase JSON.</summary>
internal static class AdminEndpoints
{
    public static void Map(IEndpointRouteBuilder app, EmulatorState state)
    {
        var admin = app.MapGroup("/_emulator");

        admin.MapGet("/", (HttpContext c) => Json(c, 200, new
        {
            status = "ok",
            providers = Providers.All.ToDictionary(p => p.Name(), p => p.Prefix()),
            seed = state.CurrentSeed.Seed,
            nodesPerProvider = state.CurrentSeed.NodesPerProvider,
            nodesPerCluster = state.CurrentSeed.NodesPerCluster,
        }));

        admin.MapGet("/requests", (HttpContext c) =>
        {
            Provider? provider = null;
            var name = c.Query("provider");
            if (!string.IsNullOrEmpty(name))
            {
                if (!Providers.TryParse(name, out var p))
                {
                    return Json(c, 400, new AdminError($"Unknown provider '{name}'."));
                }

                provider = p;
            }

            long since = 0;
            var sinceText = c.Query("since");
            if (!string.IsNullOrEmpty(sinceText) && !long.TryParse(sinceText, NumberStyles.Integer, CultureInfo.InvariantCulture, out since))
            {
                return Json(c, 400, new AdminError("since must be an integer sequence number."));
            }

            return Json(c, 200, state.Log.Snapshot(provider, since));
        });

        admin.MapDelete("/requests", (HttpContext c) =>
        {
            state.Log.Clear();
            c.Response.StatusCode = 204;
            return Task.CompletedTask;
        });

        admin.MapGet("/counts", (HttpContext c) => Json(c, 200, state.Counters.Snapshot()));

        admin.MapPost("/reset", async (HttpContext c) =>
        {
            var (ok, request, error) = await ReadAsync<ResetRequest>(c, optional: true).ConfigureAwait(false);
            if (!ok)
            {
                await Json(c, 400, new AdminError(error!)).ConfigureAwait(false);
                return;
            }

            if (request is { NodesPerProvider: < 0 } or { NodesPerCluster: < 1 } or { TogetherRemediationsPerCluster: < 0 })
            {
                await Json(c, 400, new AdminError("nodesPerProvider and togetherRemediationsPerCluster must be >= 0, nodesPerCluster >= 1.")).ConfigureAwait(false);
                return;
            }

            state.Reset(request);
            c.Response.StatusCode = 204;
        });

        admin.MapGet("/settings", (HttpContext c) => Json(c, 200, state.SettingsSnapshot()));
        admin.MapPut("/settings", async (HttpContext c) =>
        {
            var (ok, update, error) = await ReadAsync<EmulatorSettingsUpdate>(c, optional: false).ConfigureAwait(false);
            if (!ok || update is null)
            {
                await Json(c, 400, new AdminError(error ?? "Body required.")).ConfigureAwait(false);
                return;
            }

            if (new[] { update.TogetherStepMs, update.SfVmBootMs, update.ExalsiusDiscoveryMs, update.VpRemediateProcessingMs, update.VpRemediationStepMs, update.LatencyMs }.Any(v => v < 0))
            {
                await Json(c, 400, new AdminError("Durations must not be negative.")).ConfigureAwait(false);
                return;
            }

            state.UpdateSettings(update);
            await Json(c, 200, state.SettingsSnapshot()).ConfigureAwait(false);
        });

        admin.MapGet("/faults/{provider}", (HttpContext c) =>
        {
            if (!EmulatorState.TryResolveProviders(c.RouteId("provider"), out var providers))
            {
                return Json(c, 404, new AdminError("Unknown provider."));
            }

            var result = providers.Select(p => new ProviderFaultState
            {
                Provider = p.Name(),
                Random = state.Faults[p].Settings,
                Script = [.. state.Faults[p].Script],
            }).ToList();
            return providers.Count == 1 ? Json(c, 200, result[0]) : Json(c, 200, result);
        });

        admin.MapPut("/faults/{provider}", async (HttpContext c) =>
        {
            if (!EmulatorState.TryResolveProviders(c.RouteId("provider"), out var providers))
            {
                await Json(c, 404, new AdminError("Unknown provider.")).ConfigureAwait(false);
                return;
            }

            var (ok, settings, error) = await ReadAsync<RandomFaultSettings>(c, optional: false).ConfigureAwait(false);
            error ??= settings?.Validate();
            if (!ok || settings is null || error is not null)
            {
                await Json(c, 400, new AdminError(error ?? "Body required.")).ConfigureAwait(false);
                return;
            }

            foreach (var p in providers)
            {
                state.Faults[p].SetRandom(settings);
            }

            await Json(c, 200, settings).ConfigureAwait(false);
        });

        admin.MapPost("/faults/{provider}/script", async (HttpContext c) =>
        {
            if (!EmulatorState.TryResolveProviders(c.RouteId("provider"), out var providers))
            {
                await Json(c, 404, new AdminError("Unknown provider.")).ConfigureAwait(false);
                return;
            }

            var body = await c.ReadJsonAsync().ConfigureAwait(false);
            List<ScriptedFault>? script = null;
            string? error = body.Error;
            if (body.IsValid)
            {
                try
                {
                    script = body.Root.ValueKind == JsonValueKind.Array
                        ? body.Root.Deserialize<List<ScriptedFault>>(WireJson.Admin)
                        : [body.Root.Deserialize<ScriptedFault>(WireJson.Admin)!];
                }
                catch (JsonException e)
                {
                    error = e.Message;
                }
            }

            if (script is null || error is not null)
            {
                await Json(c, 400, new AdminError(error ?? "Body required: a scripted fault or an array of them.")).ConfigureAwait(false);
                return;
            }

            try
            {
                foreach (var p in providers)
                {
                    state.Faults[p].Append(script);
                }
            }
            catch (ArgumentException e)
            {
                await Json(c, 400, new AdminError(e.Message)).ConfigureAwait(false);
                return;
            }

            c.Response.StatusCode = 204;
        });

        admin.MapDelete("/faults/{provider}", (HttpContext c) =>
        {
            if (!EmulatorState.TryResolveProviders(c.RouteId("provider"), out var providers))
            {
                return Json(c, 404, new AdminError("Unknown provider."));
            }

            foreach (var p in providers)
            {
                state.Faults[p].Clear();
            }

            c.Response.StatusCode = 204;
            return Task.CompletedTask;
        });

        admin.MapPost("/{provider}/nodes", async (HttpContext c) =>
        {
            if (!Providers.TryParse(c.RouteId("provider"), out var provider))
            {
                await Json(c, 404, new AdminError("Unknown provider.")).ConfigureAwait(false);
                return;
            }

            var (ok, request, error) = await ReadAsync<AdminNodeRequest>(c, optional: false).ConfigureAwait(false);
            if (!ok || request is null || string.IsNullOrEmpty(request.Id))
            {
                await Json(c, 400, new AdminError(error ?? "Body with a non-empty id required.")).ConfigureAwait(false);
                return;
            }

            await WriteAsync(c, state.Api(provider).AddNode(request), provider).ConfigureAwait(false);
        });

        admin.MapPost("/together/remediations/bulk", async (HttpContext c) =>
        {
            var (ok, request, error) = await ReadAsync<BulkRemediationsRequest>(c, optional: false).ConfigureAwait(false);
            if (!ok || request is null)
            {
                await Json(c, 400, new AdminError(error ?? "Body required.")).ConfigureAwait(false);
                return;
            }

            await WriteAsync(c, state.Together.AddBulkHistory(request.ClusterId, request.Count), Provider.Together).ConfigureAwait(false);
        });

        admin.MapPost("/together/remediations", async (HttpContext c) =>
        {
            var (ok, request, error) = await ReadAsync<AdminRemediationRequest>(c, optional: false).ConfigureAwait(false);
            if (!ok || request is null)
            {
                await Json(c, 400, new AdminError(error ?? "Body required.")).ConfigureAwait(false);
                return;
            }

            await WriteAsync(c, state.Together.AddSystemRemediation(request), Provider.Together).ConfigureAwait(false);
        });
    }

    private static Task WriteAsync(HttpContext context, AdminResult result, Provider provider)
    {
        var options = result.ProviderCasing
            ? (provider == Provider.VoltagePark ? WireJson.Camel : WireJson.Snake)
            : WireJson.Admin;
        return context.WriteJsonAsync(result.Status, result.Body, options);
    }

    private static Task Json(HttpContext context, int status, object body) => context.WriteJsonAsync(status, body, WireJson.Admin);

    private static async Task<(bool Ok, T? Value, string? Error)> ReadAsync<T>(HttpContext context, bool optional)
        where T : class
    {
        var body = await context.ReadJsonAsync().ConfigureAwait(false);
        if (!body.Present)
        {
            return optional ? (true, null, null) : (false, null, "Body required.");
        }

        if (body.Error is not null)
        {
            return (false, null, body.Error);
        }

        try
        {
            return (true, body.Root.Deserialize<T>(WireJson.Admin), null);
        }
        catch (JsonException e)
        {
            return (false, null, e.Message);
        }
    }
}
