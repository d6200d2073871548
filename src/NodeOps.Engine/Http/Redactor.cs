using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace NodeOps.Engine.Http;

/// <summary>
/// Removes secrets from anything NodeOps shows: the connection's token (in every encoding a server might echo it in), bearer
/// headers, and JSON values whose names look secret (Exalsius returns <c>next_access_token</c>,
/// Together returns <c>kube_config</c>).
/// </summary>
internal sealed partial class Redactor
{
    public const string Mask = "***";

    private readonly string[] _secrets;

    public Redactor(string? token)
    {
        _secrets = string.IsNullOrEmpty(token) ? [] : FormsOf(token);
    }

    /// <summary>
    /// The token as a server may echo it: as is, base64 of the token alone (padded or not, standard or
    /// URL-safe; base64 of a longer text holds it only when the token starts on a 3-byte boundary), URL-escaped (a query string) and JSON-escaped (inside a raw JSON body,
    /// where System.Text.Json writes <c>+</c> as <c>\u002B</c>). Longest first, so no shorter form
    /// breaks up a longer one before it is masked.
    /// </summary>
    private static string[] FormsOf(string token)
    {
        var base64 = Convert.ToBase64String(Encoding.UTF8.GetBytes(token)).TrimEnd('=');
        string[] forms =
        [
            token,
            base64,
            base64.Replace('+', '-').Replace('/', '_'),
            Uri.EscapeDataString(token),
            JsonEncodedText.Encode(token).ToString(),
            JsonEncodedText.Encode(token, JavaScriptEncoder.UnsafeRelaxedJsonEscaping).ToString(),
        ];
        return forms.Where(f => f.Length > 0).Distinct(StringComparer.Ordinal).OrderByDescending(f => f.Length).ToArray();
    }

    public string Redact(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text ?? string.Empty;
        }

        foreach (var secret in _secrets)
        {
            text = text.Replace(secret, Mask, StringComparison.Ordinal);
        }

        text = BearerPattern().Replace(text, "Bearer " + Mask);
        return SecretJsonValue().Replace(text, m => m.Groups["name"].Value + Mask + "\"");
    }

    /// <summary>A header value, redacted; null stays null (an absent header is not an empty one).</summary>
    public string? RedactHeader(string? value) => value is null ? null : Redact(value);

    /// <summary>Redacted, and cut to <paramref name="max"/> characters so a huge body cannot flood a trace or an error.</summary>
    public string RedactTrimmed(ReadOnlySpan<byte> utf8, int max)
    {
        var take = Math.Min(utf8.Length, max * 4);
        var text = Encoding.UTF8.GetString(utf8[..take]);
        text = Redact(text);
        return text.Length > max || utf8.Length > take ? string.Concat(text.AsSpan(0, Math.Min(max, text.Length)), "…") : text;
    }

    [GeneratedRegex(@"Bearer\s+[A-Za-z0-9\-._~+/]+=*", RegexOptions.CultureInvariant)]
    private static partial Regex BearerPattern();

    [GeneratedRegex(@"(?<name>""[^""]*(?:token|secret|password|kube_?config|api_?key)[^""]*""\s*:\s*"")(?:[^""\\]|\\.)*""", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex SecretJsonValue();
}
