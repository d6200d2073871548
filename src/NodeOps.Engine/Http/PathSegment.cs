using System.Runtime.CompilerServices;
using System.Text;

namespace NodeOps.Engine.Http;

/// <summary>Escapes user-supplied values so each lands in exactly one path segment.</summary>
internal static class PathSegment
{
    public static string Escape(string? value, string parameterName)
    {
        if (string.IsNullOrEmpty(value))
        {
            throw new NodeOpsException(ErrorKind.InvalidArgument, $"-{parameterName} must not be empty.");
        }

        if (value.Any(char.IsControl))
        {
            throw new NodeOpsException(ErrorKind.InvalidArgument, $"-{parameterName} '{Printable(value)}' contains control characters.");
        }

        if (HasUnpairedSurrogate(value))
        {
            throw NotText(parameterName);
        }

        // "." and ".." would be removed as dot-segments by URI normalisation (client or server side),
        // silently addressing the parent resource; escaping them is not reliably preserved either.
        if (value is "." or "..")
        {
            throw new NodeOpsException(ErrorKind.InvalidArgument, $"-{parameterName} '{value}' is not a valid id: it would address a different path.");
        }

        return Uri.EscapeDataString(value);
    }

    /// <summary>
    /// Whether <paramref name="value"/> holds half of a surrogate pair on its own. Escaping (and any UTF-8
    /// encoder) silently turns one into U+FFFD, so the provider would receive a different id than the one given.
    /// </summary>
    public static bool HasUnpairedSurrogate(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            if (char.IsHighSurrogate(value[i]) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(value[i]))
            {
                return true;
            }
        }

        return false;
    }

    public static NodeOpsException NotText(string parameterName) =>
        new(ErrorKind.InvalidArgument, $"-{parameterName} is not valid Unicode text (it holds half of a surrogate pair), so it cannot be sent as given.");

    private static string Printable(string value)
    {
        var sb = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            sb.Append(char.IsControl(c) ? '?' : c);
        }

        return sb.ToString();
    }
}

/// <summary>
/// Builds a request path from an interpolated string: literal parts are kept, every interpolated value
/// is escaped as one path segment. <c>ApiPath.Format($"/v1/nodes/{id}/redeploy")</c>.
/// The value's parameter name for error messages comes from the argument expression.
/// </summary>
[InterpolatedStringHandler]
internal ref struct ApiPathHandler
{
    private DefaultInterpolatedStringHandler _inner;

    public ApiPathHandler(int literalLength, int formattedCount)
    {
        _inner = new DefaultInterpolatedStringHandler(literalLength, formattedCount * 16);
    }

    public void AppendLiteral(string value) => _inner.AppendLiteral(value);

    public void AppendFormatted(string? value, [CallerArgumentExpression(nameof(value))] string name = "")
        => _inner.AppendLiteral(PathSegment.Escape(value, ParameterName(name)));

    public string ToStringAndClear() => _inner.ToStringAndClear();

    // "request.NodeId" → "NodeId": the user-facing parameter names match the model's property names.
    private static string ParameterName(string expression)
    {
        var space = expression.IndexOf(' ', StringComparison.Ordinal);
        var head = space >= 0 ? expression[..space] : expression;
        var dot = head.LastIndexOf('.');
        var name = dot >= 0 ? head[(dot + 1)..] : head;
        return name.Length > 0 ? char.ToUpperInvariant(name[0]) + name[1..] : "Id";
    }
}

internal static class ApiPath
{
    public static string Format(ref ApiPathHandler handler) => handler.ToStringAndClear();
}
