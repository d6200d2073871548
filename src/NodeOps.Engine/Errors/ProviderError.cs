using System.Text.Json;

namespace NodeOps.Engine;

/// <summary>What a provider's error body says, read from whichever of the known shapes it has.</summary>
internal readonly record struct ProviderError(string? Code, string? Message)
{
    private static readonly string[] GrpcCodes =
    [
        "OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND", "ALREADY_EXISTS",
        "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE",
        "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS", "UNAUTHENTICATED",
    ];

    /// <summary>
    /// Reads the four shapes without knowing which provider sent them, because gateways in front of a
    /// provider sometimes answer in another one:
    /// Voltage Park <c>{error, code, timestamp, details}</c>; Exalsius <c>{detail:{type,title,status,detail,instance}}</c>;
    /// Together <c>{code:int, message, details}</c> (rpcStatus) or <c>{error:{message,type,code}}</c>;
    /// SF Compute <c>{error:{type,message,details}}</c> with a top-level <c>message</c> fallback.
    /// Anything else (HTML, text, truncated JSON) yields no code and no message.
    /// </summary>
    public static ProviderError Parse(ReadOnlySpan<byte> body)
    {
        if (body.IsEmpty)
        {
            return default;
        }

        try
        {
            var reader = new Utf8JsonReader(body);
            using var doc = JsonDocument.ParseValue(ref reader);
            return FromRoot(doc.RootElement);
        }
        catch (JsonException)
        {
            return default;
        }
    }

    private static ProviderError FromRoot(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return default;
        }

        if (root.TryGetProperty("error", out var error))
        {
            if (error.ValueKind == JsonValueKind.String)
            {
                return new(Text(root, "code"), StringOf(error));
            }

            if (error.ValueKind == JsonValueKind.Object)
            {
                return new(Text(error, "code") ?? Text(error, "type"), Text(error, "message"));
            }
        }

        if (root.TryGetProperty("detail", out var detail))
        {
            if (detail.ValueKind == JsonValueKind.Object)
            {
                return new(ProblemType(Text(detail, "type")), Text(detail, "detail") ?? Text(detail, "title"));
            }

            if (detail.ValueKind == JsonValueKind.String)
            {
                return new(null, StringOf(detail));
            }
        }

        var message = Text(root, "message");
        var code = root.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.Number && c.TryGetInt32(out var n)
            ? (n >= 0 && n < GrpcCodes.Length ? GrpcCodes[n] : n.ToString(System.Globalization.CultureInfo.InvariantCulture))
            : Text(root, "code");
        return new(code, message);
    }

    private static string? Text(JsonElement obj, string name)
    {
        if (!obj.TryGetProperty(name, out var value))
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.String => StringOf(value),
            JsonValueKind.Number => value.GetRawText(),
            _ => null,
        };
    }

    /// <summary>
    /// A JSON string's text, or null when it is not valid text: the parser accepts invalid UTF-8 and
    /// unpaired surrogate escapes (<c>"\ud800"</c>) inside strings, and only reading them throws. An
    /// unreadable field must not turn the provider's error into an unexpected exception; the raw body
    /// is still reported.
    /// </summary>
    private static string? StringOf(JsonElement value)
    {
        try
        {
            return value.GetString();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    // "https://api.exalsius.ai/errors/not-found" → "not-found": the last segment is the useful code.
    private static string? ProblemType(string? type)
    {
        if (string.IsNullOrEmpty(type))
        {
            return null;
        }

        var slash = type.TrimEnd('/').LastIndexOf('/');
        return slash >= 0 ? type[(slash + 1)..] : type;
    }
}
