using System.Security.Cryptography;
using System.Text;

namespace NodeOps.Engine;

/// <summary>
/// Operation keys and the per-request keys derived from them. One operation (one
/// <c>Invoke-NodeRemediation</c>) has one key, given by the caller or generated; each request it makes
/// carries a key derived from it and the request's scope (fleet, or cluster and node), so every retry
/// and every rerun of the same script with the same key sends exactly the same key again.
/// </summary>
public static class IdempotencyKeys
{
    /// <summary>The longest key Voltage Park accepts.</summary>
    public const int MaxLength = 255;

    public static string NewOperationKey() => Guid.NewGuid().ToString();

    /// <summary>Refuses keys an API would reject or a header could not carry; the message names the parameter.</summary>
    public static void Validate(string? key, string parameterName = "IdempotencyKey")
    {
        if (string.IsNullOrWhiteSpace(key))
        {
            throw new NodeOpsException(ErrorKind.InvalidArgument, $"-{parameterName} must not be empty.");
        }

        if (key.Length > MaxLength)
        {
            throw new NodeOpsException(ErrorKind.InvalidArgument, $"-{parameterName} is {key.Length} characters long; the limit is {MaxLength}.");
        }

        foreach (var c in key)
        {
            if (c is < '!' or > '~')
            {
                throw new NodeOpsException(ErrorKind.InvalidArgument, $"-{parameterName} may contain only printable ASCII characters without spaces.");
            }
        }
    }

    /// <summary>A stable UUID-shaped key for one request of an operation (name-based, like a UUID v5).</summary>
    public static string Derive(string operationKey, CloudProvider provider, string scope)
    {
        var input = Encoding.UTF8.GetBytes($"nodeops/1\n{provider}\n{operationKey}\n{scope}");
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(input, hash);
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash[..16], bigEndian: true).ToString();
    }
}
