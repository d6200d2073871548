using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace NodeOps.Emulator.Hosting;

/// <summary>A request body read leniently: absent, valid JSON, or not JSON (with the parser's message).</summary>
internal readonly record struct JsonBody(bool Present, JsonElement Root, string? Error)
{
    public bool IsValid => Present && Error is null;
}

internal static class HttpHelpers
{
    /// <summary>
    /// A path parameter, decoded. Route values hold the raw (still percent-encoded) segment because
    /// <see cref="RawPathRewriter"/> routes on the raw target, so each escape is decoded exactly once here.
    /// </summary>
    public static string RouteId(this HttpContext context, string name)
    {
        var raw = context.Request.RouteValues[name] as string ?? string.Empty;
        return Uri.UnescapeDataString(raw);
    }

    public static string RawTarget(this HttpContext context)
    {
        var raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget;
        return string.IsNullOrEmpty(raw) ? context.Request.Path + context.Request.QueryString : raw;
    }

    public static (string Path, string Query) SplitTarget(string rawTarget)
    {
        var q = rawTarget.IndexOf('?', StringComparison.Ordinal);
        return q < 0 ? (rawTarget, string.Empty) : (rawTarget[..q], rawTarget[(q + 1)..]);
    }

    /// <summary>Decodes each segment of a raw path separately, so <c>a%2Fb</c> becomes <c>a/b</c> in one segment.</summary>
    public static string DecodePath(string rawPath)
    {
        if (!rawPath.Contains('%', StringComparison.Ordinal))
        {
            return rawPath;
        }

        return string.Join('/', rawPath.Split('/').Select(Uri.UnescapeDataString));
    }

    public static async Task WriteJsonAsync(this HttpContext context, int status, object? body, JsonSerializerOptions options, string contentType = "application/json")
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = contentType;
        await JsonSerializer.SerializeAsync(context.Response.Body, body, body?.GetType() ?? typeof(object), options, context.RequestAborted).ConfigureAwait(false);
    }

    public static async Task<byte[]> ReadBodyBytesAsync(this HttpContext context)
    {
        context.Request.EnableBuffering();
        context.Request.Body.Position = 0;
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted).ConfigureAwait(false);
        context.Request.Body.Position = 0;
        return buffer.ToArray();
    }

    public static async Task<JsonBody> ReadJsonAsync(this HttpContext context)
    {
        var bytes = await context.ReadBodyBytesAsync().ConfigureAwait(false);
        return ParseJson(bytes);
    }

    public static JsonBody ParseJson(byte[] bytes)
    {
        if (bytes.Length == 0 || Encoding.UTF8.GetString(bytes).Trim().Length == 0)
        {
            return new JsonBody(false, default, null);
        }

        try
        {
            using var document = JsonDocument.Parse(bytes);
            return new JsonBody(true, document.RootElement.Clone(), null);
        }
        catch (JsonException e)
        {
            return new JsonBody(true, default, "Request body is not valid JSON: " + e.Message);
        }
    }

    /// <summary>The first value of the first query parameter present among <paramref name="names"/>.</summary>
    public static string? Query(this HttpContext context, params string[] names)
    {
        foreach (var name in names)
        {
            if (context.Request.Query.TryGetValue(name, out var values) && values.Count > 0)
            {
                return values[0];
            }
        }

        return null;
    }

    /// <summary>All values of the given query parameters, each also split on commas, blanks dropped.</summary>
    public static List<string> QueryList(this HttpContext context, params string[] names)
    {
        var result = new List<string>();
        foreach (var name in names)
        {
            if (!context.Request.Query.TryGetValue(name, out var values))
            {
                continue;
            }

            foreach (var value in values)
            {
                if (value is null)
                {
                    continue;
                }

                foreach (var part in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                {
                    result.Add(part);
                }
            }
        }

        return result;
    }

    public static string? StringProperty(this JsonElement element, string name)
        => element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;

    public static bool HasProperty(this JsonElement element, string name)
        => element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var p) && p.ValueKind != JsonValueKind.Null;
}
