using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using NodeOps.Engine.Http;

namespace NodeOps.Engine.Json;

/// <summary>Turns a reply body into a wire DTO, or into a <see cref="ErrorKind.InvalidResponse"/> error that says why not.</summary>
internal static class JsonReply
{
    public static T Read<T>(ApiResponse response, JsonTypeInfo<T> typeInfo, CloudProvider provider, string what)
        where T : class
    {
        if (response.Body.IsEmpty)
        {
            throw Invalid(provider, what, $"the reply ({response.StatusCode}) has no body");
        }

        if (response.ContentType is { } type && !type.Contains("json", StringComparison.OrdinalIgnoreCase))
        {
            throw Invalid(provider, what, $"the reply is '{type}', not JSON");
        }

        return Parse(response.Body, typeInfo, provider, what);
    }

    public static T Parse<T>(ReadOnlySpan<byte> body, JsonTypeInfo<T> typeInfo, CloudProvider provider, string what)
        where T : class
    {
        try
        {
            return JsonSerializer.Deserialize(body, typeInfo) ?? throw Invalid(provider, what, "the reply is JSON null");
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or NotSupportedException or FormatException or OverflowException or ArgumentException)
        {
            throw Invalid(provider, what, $"the reply is not the JSON NodeOps expects ({ex.Message})", ex);
        }
    }

    public static NodeOpsException Invalid(CloudProvider provider, string what, string why, Exception? inner = null) =>
        new(ErrorKind.InvalidResponse, $"{provider} {what}: {why}.", inner) { Provider = provider };
}
