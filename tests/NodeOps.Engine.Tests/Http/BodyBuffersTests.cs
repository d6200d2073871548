using NodeOps.Engine.Http;

namespace NodeOps.Engine.Tests.Http;

public sealed class BodyBuffersTests
{
    [Theory]
    [InlineData(4 * 1024)]
    [InlineData(BodyBuffers.LargeThreshold + 1)]
    public void What_a_reply_wrote_is_cleared_when_its_buffer_is_returned(int size)
    {
        var buffer = BodyBuffers.Rent(size);
        Assert.True(buffer.Length >= size);
        buffer.AsSpan(0, size).Fill(0x5A);

        // Checked on the array itself: another test may rent it from the shared pool the moment it is back.
        BodyBuffers.Return(buffer, size);

        Assert.True(buffer.AsSpan(0, size).IndexOfAnyExcept((byte)0) < 0, "a returned buffer still holds the reply");
    }
}
