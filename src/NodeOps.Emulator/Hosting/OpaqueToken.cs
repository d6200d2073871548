using System.Text;

namespace NodeOps.Emulator.Hosting;

/// <summary>Page tokens: base64url text so clients cannot (and need not) read them.</summary>
internal static class OpaqueToken
{
    public static string Encode(string text)
        => Convert.ToBase64String(Encoding.UTF8.GetBytes(text)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static bool TryDecode(string token, out string text)
    {
        text = string.Empty;
        var base64 = token.Replace('-', '+').Replace('_', '/');
        base64 += (base64.Length % 4) switch { 2 => "==", 3 => "=", _ => string.Empty };
        try
        {
            text = Encoding.UTF8.GetString(Convert.FromBase64String(base64));
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
