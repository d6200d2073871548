using System.Buffers;

namespace NodeOps.Engine.Http;

/// <summary>
/// Buffers for reply bodies. Ordinary pages come from the shared pool. Bodies over 1 MB (the APIs that do not
/// page: a 2,500-node Exalsius or SF Compute listing is about 2 MB) come from a small private pool instead: the
/// shared pool keeps a buffer per thread and several per core for every size, which after one large listing
/// left some 25-35 MB of reply buffers in the process (the benchmark's 10,000-node listing); this pool keeps
/// at most two per size class.
/// What a reply wrote into a buffer is cleared on return, because replies can carry secrets (Exalsius node-agent
/// tokens); clearing only that part keeps a 64 MB buffer from being wiped for a 33 MB reply.
/// </summary>
internal static class BodyBuffers
{
    public const int LargeThreshold = 1024 * 1024;

    private static readonly ArrayPool<byte> Large = ArrayPool<byte>.Create(maxArrayLength: 1024 * 1024 * 1024, maxArraysPerBucket: 2);

    public static byte[] Rent(int minimumLength) =>
        minimumLength > LargeThreshold ? Large.Rent(minimumLength) : ArrayPool<byte>.Shared.Rent(minimumLength);

    /// <summary>Clears the first <paramref name="used"/> bytes (all a reply wrote; the rest is as it was rented) and returns the buffer.</summary>
    public static void Return(byte[] buffer, int used)
    {
        buffer.AsSpan(0, Math.Min(used, buffer.Length)).Clear();
        (buffer.Length > LargeThreshold ? Large : ArrayPool<byte>.Shared).Return(buffer);
    }
}
