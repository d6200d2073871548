using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using NodeOps.Emulator.Admin;
using NodeOps.Emulator.Faults;

namespace NodeOps.Emulator.Hosting;

/// <summary>
/// Wraps every provider request: request log, counts, latency, bearer auth, fault injection and the
/// Server-Timing header. Responses are buffered so that faults that act after processing (drop-after,
/// malformed) can throw the real response away, and so Server-Timing is known before the body is sent.
/// </summary>
internal sealed class ProviderPipeline(EmulatorState state, ILogger<ProviderPipeline> logger)
{
    private const int MaxLoggedBody = 4096;

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        if (!Providers.TryMatch(context.Request.Path, out var provider))
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        var timing = new RequestTiming();
        context.Features.Set(timing);
        var api = state.Api(provider);
        var rawTarget = context.RawTarget();
        var (rawPath, query) = HttpHelpers.SplitTarget(rawTarget);
        var path = HttpHelpers.DecodePath(rawPath);
        var entry = state.Log.Begin(
            provider,
            context.Request.Method,
            path,
            rawTarget,
            query,
            context.Request.Headers["Idempotency-Key"].FirstOrDefault(),
            provider == Provider.Together ? context.Query("remediation_id") : null,
            context.Request.Headers.UserAgent.FirstOrDefault(),
            state.Now);
        state.Counters.Request(provider);
        entry.Body = await ReadLoggedBodyAsync(context).ConfigureAwait(false);

        var aborted = context.RequestAborted;
        var fault = FaultKind.None;
        try
        {
            await timing.DelayAsync(state.Settings.LatencyMs, aborted).ConfigureAwait(false);

            if (!IsAuthorized(context))
            {
                var body = await RunBufferedAsync(context, c => api.WriteErrorAsync(c, 401, "Missing or invalid bearer token.")).ConfigureAwait(false);
                context.Response.Headers.WWWAuthenticate = "Bearer";
                await SendAsync(context, provider, timing, body).ConfigureAwait(false);
                entry.Status = context.Response.StatusCode;
                return;
            }

            var decision = state.Faults[provider].Decide(context.Request.Method, path, rawTarget);
            fault = decision.ReportedKind;
            state.Counters.Fault(provider, fault);
            entry.Fault = fault;
            await timing.DelayAsync(decision.DelayMs, aborted).ConfigureAwait(false);

            switch (decision.Kind)
            {
                case FaultKind.Status:
                    {
                        var body = await RunBufferedAsync(context, c => api.WriteErrorAsync(c, decision.Status, InjectedMessage(decision.Status))).ConfigureAwait(false);
                        await SendAsync(context, provider, timing, body).ConfigureAwait(false);
                        break;
                    }

                case FaultKind.RateLimit:
                    {
                        var body = await RunBufferedAsync(context, c => api.WriteErrorAsync(c, 429, "Rate limit exceeded. Retry after the time given in Retry-After.")).ConfigureAwait(false);
                        context.Response.Headers.RetryAfter = decision.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
                        await SendAsync(context, provider, timing, body).ConfigureAwait(false);
                        break;
                    }

                case FaultKind.Hang:
                    {
                        // Never answers: waits until the client gives up or the server stops, then drops the connection.
                        using var linked = CancellationTokenSource.CreateLinkedTokenSource(aborted, state.Stopping);
                        try
                        {
                            await Task.Delay(TimeSpan.FromMinutes(10), linked.Token).ConfigureAwait(false);
                        }
                        catch (OperationCanceledException)
                        {
                        }

                        entry.Status = 0;
                        context.Abort();
                        return;
                    }

                case FaultKind.DropAfter:
                    {
                        await RunEndpointAsync(context, next, api).ConfigureAwait(false);
                        entry.Status = context.Response.StatusCode;
                        context.Abort();
                        return;
                    }

                case FaultKind.Malformed:
                    {
                        var body = await RunEndpointAsync(context, next, api).ConfigureAwait(false);
                        entry.Status = context.Response.StatusCode;
                        context.Response.Clear();
                        context.Response.StatusCode = 200;
                        context.Response.ContentType = "application/json";
                        await SendAsync(context, provider, timing, Corrupt(body)).ConfigureAwait(false);
                        return;
                    }

                default:
                    {
                        var body = await RunEndpointAsync(context, next, api).ConfigureAwait(false);
                        await SendAsync(context, provider, timing, body).ConfigureAwait(false);
                        break;
                    }
            }

            entry.Status = context.Response.StatusCode;
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested || state.Stopping.IsCancellationRequested)
        {
            // The client went away (or the server is stopping) during a simulated wait.
            entry.Status = 0;
            context.Abort();
        }
    }

    private static string InjectedMessage(int status) => status switch
    {
        500 => "Internal server error (injected by the emulator).",
        502 => "Bad gateway (injected by the emulator).",
        503 => "Service temporarily unavailable (injected by the emulator).",
        504 => "Gateway timeout (injected by the emulator).",
        _ => $"Injected error {status.ToString(CultureInfo.InvariantCulture)}.",
    };

    private bool IsAuthorized(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.FirstOrDefault();
        if (header is null || !header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var token = header["Bearer ".Length..].Trim();
        if (token.Length == 0)
        {
            return false;
        }

        return state.Options.Token is null || string.Equals(token, state.Options.Token, StringComparison.Ordinal);
    }

    /// <summary>Runs the matched endpoint into a buffer; unmatched routes and crashes become provider-shaped errors.</summary>
    private async Task<MemoryStream> RunEndpointAsync(HttpContext context, RequestDelegate next, IProviderApi api)
    {
        MemoryStream body;
        try
        {
            body = await RunBufferedAsync(context, c => next(c)).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !context.RequestAborted.IsCancellationRequested)
        {
            logger.LogError(e, "Unhandled error in {Path}", context.Request.Path);
            context.Response.Clear();
            return await RunBufferedAsync(context, c => api.WriteErrorAsync(c, 500, "Internal error in the emulator: " + e.Message)).ConfigureAwait(false);
        }

        if (body.Length == 0 && context.Response.StatusCode is 404 or 405 && context.GetEndpoint() is null or { DisplayName: "405 HTTP Method Not Supported" })
        {
            var status = context.Response.StatusCode;
            var message = status == 404
                ? $"No route for {context.Request.Method} {HttpHelpers.DecodePath(context.Request.Path.Value ?? "")}."
                : $"Method {context.Request.Method} is not allowed here.";
            await body.DisposeAsync().ConfigureAwait(false);
            return await RunBufferedAsync(context, c => api.WriteErrorAsync(c, status, message)).ConfigureAwait(false);
        }

        return body;
    }

    private static async Task<MemoryStream> RunBufferedAsync(HttpContext context, Func<HttpContext, Task> handler)
    {
        var original = context.Response.Body;
        var buffer = new MemoryStream();
        context.Response.Body = buffer;
        try
        {
            await handler(context).ConfigureAwait(false);
        }
        finally
        {
            context.Response.Body = original;
        }

        return buffer;
    }

    private async Task SendAsync(HttpContext context, Provider provider, RequestTiming timing, MemoryStream body)
    {
        var elapsed = timing.ElapsedMilliseconds;
        state.Counters.ServerTime(provider, elapsed, timing.DelayedMilliseconds);
        context.Response.Headers["Server-Timing"] = "emu;dur=" + elapsed.ToString("0.000", CultureInfo.InvariantCulture);
        if (body.Length > 0)
        {
            context.Response.ContentLength = body.Length;
            body.Position = 0;
            await body.CopyToAsync(context.Response.Body, context.RequestAborted).ConfigureAwait(false);
        }

        await body.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Cuts the JSON roughly in half and appends a stray byte so no JSON parser accepts it.</summary>
    private static MemoryStream Corrupt(MemoryStream body)
    {
        var bytes = body.ToArray();
        body.Dispose();
        var keep = bytes.Length < 2 ? bytes.Length : bytes.Length / 2;
        var corrupted = new MemoryStream();
        corrupted.Write(bytes, 0, keep);
        corrupted.Write(bytes.Length == 0 ? "{\"truncated"u8 : "\u001f\""u8);
        return corrupted;
    }

    private static async Task<string?> ReadLoggedBodyAsync(HttpContext context)
    {
        if (context.Request.ContentLength is 0 || (context.Request.ContentLength is null && !context.Request.Headers.ContainsKey("Transfer-Encoding")))
        {
            return null;
        }

        var bytes = await context.ReadBodyBytesAsync().ConfigureAwait(false);
        if (bytes.Length == 0)
        {
            return null;
        }

        var text = Encoding.UTF8.GetString(bytes);
        return text.Length > MaxLoggedBody ? text[..MaxLoggedBody] : text;
    }
}
