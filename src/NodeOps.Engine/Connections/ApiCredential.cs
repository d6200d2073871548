using System.Runtime.InteropServices;
using System.Security;

namespace NodeOps.Engine;

/// <summary>
/// A bearer token and where it came from. The token is reachable only inside the engine (to set the
/// Authorization header and to redact traces); <see cref="ToString"/> never shows it.
/// </summary>
public sealed class ApiCredential
{
    private ApiCredential(string token, string source)
    {
        Token = token;
        Source = source;
    }

    /// <summary>Where the token came from, e.g. "the -ApiKey parameter" or "environment variable TOGETHER_API_KEY".</summary>
    public string Source { get; }

    internal string Token { get; }

    public static ApiCredential FromToken(string token, string source)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (string.IsNullOrWhiteSpace(token))
        {
            throw new NodeOpsException(ErrorKind.InvalidArgument, $"The API token from {source} is empty.");
        }

        if (token.Trim().Length != token.Length || token.Any(char.IsControl))
        {
            // A header value with whitespace or control characters would be rejected (or worse, split) by HTTP.
            throw new NodeOpsException(ErrorKind.InvalidArgument, $"The API token from {source} contains whitespace or control characters.");
        }

        return new ApiCredential(token, source);
    }

    public static ApiCredential FromSecureString(SecureString token, string source)
    {
        ArgumentNullException.ThrowIfNull(token);
        var ptr = Marshal.SecureStringToGlobalAllocUnicode(token);
        try
        {
            return FromToken(Marshal.PtrToStringUni(ptr) ?? string.Empty, source);
        }
        finally
        {
            Marshal.ZeroFreeGlobalAllocUnicode(ptr);
        }
    }

    public override string ToString() => $"ApiCredential(from {Source}, token redacted)";
}
