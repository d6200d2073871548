using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace NodeOps.Reliability.Tests.ServerReplies;

/// <summary>
/// A raw HTTP/1.1 server on 127.0.0.1 that answers every request with a generated body of
/// <see cref="TotalBytes"/> bytes, chunked (no Content-Length) or with the length declared, and counts
/// how many body bytes the socket accepted before the client hung up. The count bounds what the client
/// can have read: a client that stops at its size limit makes the server fail long before the end.
/// </summary>
public sealed class StreamingReplyServer : IAsyncDisposable
{
    private static readonly byte[] Item = """{"id":"n_0000000000000000","object":"node","status":"running"},"""u8.ToArray();

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly bool _chunked;
    private readonly int _status;
    private readonly Task _accept;
    private readonly List<Task> _connections = [];
    private long _written;
    private int _requests;

    public StreamingReplyServer(bool chunked, long totalBytes, int status = 200)
    {
        _chunked = chunked;
        _status = status;
        TotalBytes = totalBytes;
        _listener.Start();
        BaseUrl = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}");
        _accept = Task.Run(AcceptLoopAsync);
    }

    public Uri BaseUrl { get; }

    public long TotalBytes { get; }

    public long BytesWritten => Interlocked.Read(ref _written);

    public int Requests => Volatile.Read(ref _requests);

    /// <summary>Completes when every connection served so far has stopped writing (finished, or the client hung up).</summary>
    public Task WritersStoppedAsync()
    {
        lock (_connections)
        {
            return Task.WhenAll(_connections).WaitAsync(TimeSpan.FromSeconds(30));
        }
    }

    private async Task AcceptLoopAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                lock (_connections)
                {
                    _connections.Add(Task.Run(() => ServeAsync(client)));
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var _ = client;
        var stream = client.GetStream();
        try
        {
            await ReadRequestAsync(stream);
            Interlocked.Increment(ref _requests);
            var head = new StringBuilder()
                .Append(CultureInfo.InvariantCulture, $"HTTP/1.1 {_status} {(HttpStatusCode)_status}\r\n")
                .Append("Content-Type: application/json\r\n")
                .Append(_chunked ? "Transfer-Encoding: chunked\r\n" : string.Create(CultureInfo.InvariantCulture, $"Content-Length: {TotalBytes}\r\n"))
                .Append("Connection: close\r\n\r\n");
            await stream.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()), _stop.Token);

            var block = new byte[64 * 1024];
            for (var i = 0; i < block.Length; i++)
            {
                block[i] = Item[i % Item.Length];
            }

            block[0] = (byte)'[';
            var left = TotalBytes;
            while (left > 0)
            {
                var size = (int)Math.Min(block.Length, left);
                if (_chunked)
                {
                    await stream.WriteAsync(Encoding.ASCII.GetBytes(size.ToString("X", CultureInfo.InvariantCulture) + "\r\n"), _stop.Token);
                }

                await stream.WriteAsync(block.AsMemory(0, size), _stop.Token);
                if (_chunked)
                {
                    await stream.WriteAsync("\r\n"u8.ToArray(), _stop.Token);
                }

                Interlocked.Add(ref _written, size);
                left -= size;
            }

            if (_chunked)
            {
                await stream.WriteAsync("0\r\n\r\n"u8.ToArray(), _stop.Token);
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The client hung up: what it refused to read is what this server could not write.
        }
    }

    private async Task ReadRequestAsync(NetworkStream stream)
    {
        var received = new List<byte>();
        var chunk = new byte[4096];
        int end;
        while ((end = HeadEnd(received)) < 0)
        {
            var n = await stream.ReadAsync(chunk, _stop.Token);
            if (n == 0)
            {
                throw new IOException("The client closed the connection before sending a request.");
            }

            received.AddRange(chunk.AsSpan(0, n).ToArray());
        }

        var head = Encoding.ASCII.GetString(received.GetRange(0, end).ToArray());
        var lengthLine = head.Split("\r\n").FirstOrDefault(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase));
        var length = lengthLine is null ? 0 : int.Parse(lengthLine["Content-Length:".Length..].Trim(), CultureInfo.InvariantCulture);
        var body = received.Count - end - 4;
        while (body < length)
        {
            var n = await stream.ReadAsync(chunk, _stop.Token);
            if (n == 0)
            {
                return;
            }

            body += n;
        }
    }

    private static int HeadEnd(List<byte> data)
    {
        for (var i = 0; i + 3 < data.Count; i++)
        {
            if (data[i] == '\r' && data[i + 1] == '\n' && data[i + 2] == '\r' && data[i + 3] == '\n')
            {
                return i;
            }
        }

        return -1;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accept.WaitAsync(TimeSpan.FromSeconds(10)).ContinueWith(_ => { }, TaskScheduler.Default);
        Task[] connections;
        lock (_connections)
        {
            connections = [.. _connections];
        }

        await Task.WhenAll(connections).WaitAsync(TimeSpan.FromSeconds(10)).ContinueWith(_ => { }, TaskScheduler.Default);
        _stop.Dispose();
    }
}
