namespace NodeOps.Engine.Http;

/// <summary>Reads a response body into a pooled buffer, refusing bodies over a size limit.</summary>
internal static class BoundedBodyReader
{
    public static async Task<(byte[]? Buffer, int Length)> ReadAsync(HttpContent content, int maxBytes, Func<string> describe, CancellationToken ct)
    {
        var declared = content.Headers.ContentLength;
        if (declared > maxBytes)
        {
            throw TooLarge(declared.Value, maxBytes, describe);
        }

        if (declared == 0)
        {
            return (null, 0);
        }

        var initial = (int)Math.Min(declared ?? 16 * 1024, maxBytes + 1L);
        var buffer = BodyBuffers.Rent(Math.Max(initial, 256));
        var length = 0;
        try
        {
            using var stream = await content.ReadAsStreamAsync(ct).ConfigureAwait(false);
            while (true)
            {
                if (length == buffer.Length)
                {
                    if (length > maxBytes)
                    {
                        throw TooLarge(length, maxBytes, describe);
                    }

                    var bigger = BodyBuffers.Rent((int)Math.Min(buffer.Length * 2L, maxBytes + 1L));
                    buffer.AsSpan(0, length).CopyTo(bigger);
                    BodyBuffers.Return(buffer, length);
                    buffer = bigger;
                }

                var read = await stream.ReadAsync(buffer.AsMemory(length), ct).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                length += read;
                if (length > maxBytes)
                {
                    throw TooLarge(length, maxBytes, describe);
                }
            }

            if (length == 0)
            {
                BodyBuffers.Return(buffer, 0);
                return (null, 0);
            }

            return (buffer, length);
        }
        catch
        {
            // A read that failed may have written past the bytes counted so far.
            BodyBuffers.Return(buffer, buffer.Length);
            throw;
        }
    }

    private static NodeOpsException TooLarge(long size, int max, Func<string> describe) =>
        new(ErrorKind.InvalidResponse, $"{describe()}: the reply is larger than the {max / 1024} KB limit ({size / 1024}+ KB); it was not read.");
}
