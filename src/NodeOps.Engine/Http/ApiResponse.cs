using System.Net;

namespace NodeOps.Engine.Http;

/// <summary>A provider's reply with its body read into a pooled buffer (bounded in size).</summary>
internal sealed class ApiResponse : IDisposable
{
    private byte[]? _buffer;
    private readonly int _length;

    public ApiResponse(HttpStatusCode status, byte[]? buffer, int length, string? contentType, string? requestId, TimeSpan? retryAfter)
    {
        Status = status;
        _buffer = buffer;
        _length = length;
        ContentType = contentType;
        RequestId = requestId;
        RetryAfter = retryAfter;
    }

    public HttpStatusCode Status { get; }

    public int StatusCode => (int)Status;

    public bool IsSuccess => StatusCode is >= 200 and < 300;

    public string? ContentType { get; }

    public string? RequestId { get; }

    public TimeSpan? RetryAfter { get; }

    public ReadOnlySpan<byte> Body => _buffer is null ? ReadOnlySpan<byte>.Empty : _buffer.AsSpan(0, _length);

    public ReadOnlyMemory<byte> BodyMemory => _buffer is null ? ReadOnlyMemory<byte>.Empty : _buffer.AsMemory(0, _length);

    public void Dispose()
    {
        var buffer = Interlocked.Exchange(ref _buffer, null);
        if (buffer is not null)
        {
            BodyBuffers.Return(buffer, _length);
        }
    }
}
