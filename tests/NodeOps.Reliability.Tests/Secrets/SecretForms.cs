using System.Text;
using System.Text.Json;

namespace NodeOps.Reliability.Tests.Secrets;

/// <summary>The ways a token can show up in text: as is, base64 (standard and URL-safe), URL- and JSON-escaped.</summary>
internal static class SecretForms
{
    /// <summary>A JWT-shaped token, like Voltage Park's and Exalsius's.</summary>
    public const string Jwt = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJub2Rlb3BzLWxlYWstY2hlY2siLCJhdWQiOiJzZWExIn0.bGVhay1jaGVjay1zaWduYXR1cmU";

    /// <summary>An opaque key with the characters that escaping changes (+ / = ~).</summary>
    public const string Opaque = "sk_live+Qx7/Lz9=Np3~kT0k3n4L34kCh3ck";

    public static IReadOnlyList<(string Form, string Text)> Of(string token)
    {
        var bytes = Encoding.UTF8.GetBytes(token);
        var base64 = Convert.ToBase64String(bytes);
        var forms = new List<(string, string)>
        {
            ("plain", token),
            ("base64", base64),
            ("base64 unpadded", base64.TrimEnd('=')),
            ("base64url", base64.TrimEnd('=').Replace('+', '-').Replace('/', '_')),
            ("url-escaped", Uri.EscapeDataString(token)),
            ("json-escaped", JsonEncodedText.Encode(token).ToString()),
        };
        return forms.DistinctBy(f => f.Item2).ToList();
    }

    /// <summary>The forms of <paramref name="token"/> found in <paramref name="text"/>, with where.</summary>
    public static IEnumerable<string> FindIn(string text, string token)
    {
        foreach (var (form, secret) in Of(token))
        {
            var at = text.IndexOf(secret, StringComparison.Ordinal);
            if (at >= 0)
            {
                var from = Math.Max(0, at - 120);
                yield return $"{form} token at {at}: …{text[from..Math.Min(text.Length, at + secret.Length + 40)]}…";
            }
        }
    }
}
