using NodeOps.Engine.Http;

namespace NodeOps.Engine.Tests.Http;

public sealed class BodyBuffersTests
{
    [Theory]
    [InlineData(4 * 1024)]
    [InlineData(BodyBuffers.LargeThreshold + 1)]
    public void A_returned_buffer_comes_back_cleared(int size)
    {
        var first = BodyBuffers.Rent(size);
        Assert.True(first.Length >= size);
        first.AsSpan().Fill(0x5A);
        BodyBuffers.Return(first);

        var second = BodyBuffers.Rent(size);

        Assert.Same(first, second);
        Assert.True(second.AsSpan().IndexOfAnyExcept((byte)0) < 0, "a reused buffer still holds the previous reply");
        BodyBuffers.Return(second);
    }
}
