using System.Text;

namespace NodeOps.Engine;

/// <summary>
/// Turns cloud-init user data into the base64 SF Compute's redeploy expects (<c>cloud_init_user_data</c>).
/// </summary>
public static class CloudInitUserData
{
    /// <summary>Larger files are refused: user data this big is almost certainly the wrong file.</summary>
    public const int MaxBytes = 1024 * 1024;

    /// <summary>
    /// Encodes user data given as text. Cloud-init user data starts with <c>#</c> (<c>#cloud-config</c>,
    /// <c>#!/bin/bash</c>, <c>#include</c>) or is MIME multipart, so text that is valid base64 and decodes to
    /// one of those (or to gzip) is taken as already encoded and passed through unchanged; anything else is
    /// encoded as UTF-8.
    /// </summary>
    public static string Encode(string userData, string parameterName = "CloudInitUserData")
    {
        ArgumentNullException.ThrowIfNull(userData);
        if (userData.Length == 0)
        {
            throw new NodeOpsException(ErrorKind.InvalidArgument, $"-{parameterName} is empty. Omit it to keep the current user data, or use -OverrideEmpty to clear it.");
        }

        if (IsEncodedUserData(userData))
        {
            return Compact(userData);
        }

        var bytes = Encoding.UTF8.GetBytes(userData);
        CheckSize(bytes.Length, $"-{parameterName}");
        return Convert.ToBase64String(bytes);
    }

    /// <summary>Reads a file (any content: text, MIME multipart, gzip) and encodes its bytes exactly.</summary>
    public static string EncodeFile(string path, string parameterName = "CloudInitPath")
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        byte[] bytes;
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists)
            {
                throw new NodeOpsException(ErrorKind.InvalidArgument, $"-{parameterName} '{path}' does not exist or is not a file.");
            }

            CheckSize(info.Length, $"-{parameterName} '{path}'");
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new NodeOpsException(ErrorKind.InvalidArgument, $"-{parameterName} '{path}' cannot be read: {ex.Message}", ex);
        }

        if (bytes.Length == 0)
        {
            throw new NodeOpsException(ErrorKind.InvalidArgument, $"-{parameterName} '{path}' is empty.");
        }

        CheckSize(bytes.Length, $"-{parameterName} '{path}'");
        return Convert.ToBase64String(bytes);
    }

    /// <summary>Whether <paramref name="text"/> is base64 of something that looks like cloud-init user data.</summary>
    public static bool IsEncodedUserData(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        // Base64 is often wrapped at 76 columns; line breaks are not part of the data.
        var trimmed = Compact(text);
        if (trimmed.Length < 4 || trimmed.Length % 4 != 0)
        {
            return false;
        }

        var buffer = new byte[trimmed.Length / 4 * 3];
        if (!Convert.TryFromBase64String(trimmed, buffer, out var written) || written == 0)
        {
            return false;
        }

        var decoded = buffer.AsSpan(0, written);
        if (decoded.Length >= 2 && decoded[0] == 0x1f && decoded[1] == 0x8b)
        {
            return true; // gzip, which cloud-init accepts
        }

        return decoded[0] == (byte)'#' || decoded.StartsWith("Content-Type:"u8);
    }

    private static string Compact(string text) => string.Concat(text.Where(c => !char.IsWhiteSpace(c)));

    private static void CheckSize(long length, string what)
    {
        if (length > MaxBytes)
        {
            throw new NodeOpsException(ErrorKind.InvalidArgument, $"{what} is {length} bytes; cloud-init user data over {MaxBytes} bytes is refused.");
        }
    }
}
