using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace NodeOps.Engine.Tests.Support;

/// <summary>A request as the canned server received it.</summary>
public sealed record CannedRequest(string Method, string Target, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    public string BodyText => Encoding.UTF8.GetString(Body);

    public string? Header(string name) => Headers.TryGetValue(name.ToLowerInvariant(), out var v) ? v : null;
}

/// <summary>What the canned server sends back.</summary>
public sealed class CannedResponse
{
    public int Status { get; init; } = 200;

    public string? ContentType { get; init; } = "application/json";

    public byte[] Body { get; init; } = [];

    public Dictionary<string, string> Headers { get; init; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Close the connection without answering.</summary>
    public bool Drop { get; init; }

    /// <summary>Never answer (until the client gives up or the server stops).</summary>
    public bool Hang { get; init; }

    /// <summary>Declare the full length but send only this many body bytes, then close.</summary>
    public int? TruncateAt { get; init; }

    public static CannedResponse Json(string json, int status = 200) => new() { Status = status, Body = Encoding.UTF8.GetBytes(json) };

    public static CannedResponse Text(string text, string contentType, int status = 200) => new() { Status = status, ContentType = contentType, Body = Encoding.UTF8.GetBytes(text) };
}

/// <summary>
/// A minimal HTTP/1.1 server on 127.0.0.1 for replies the emulator will not produce: exact bytes,
/// truncation, hangs. Every wait is bounded; disposing stops it.
/// </summary>
public sealed class CannedHttpServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Func<CannedRequest, int, CannedResponse> _handler;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accept;
    private int _count;

    public CannedHttpServer(Func<CannedRequest, int, CannedResponse> handler)
    {
        _handler = handler;
        _listener.Start();
        BaseUrl = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}");
        _accept = Task.Run(AcceptLoopAsync);
    }

    /// <summary>Serves the same response to every request.</summary>
    public CannedHttpServer(CannedResponse response)
        : this((_, _) => response)
    {
    }

    public Uri BaseUrl { get; }

    public ConcurrentQueue<CannedRequest> Requests { get; } = new();

    public int RequestCount => Volatile.Read(ref _count);

    private async Task AcceptLoopAsync()
    {
        var connections = new List<Task>();
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                connections.Add(Task.Run(() => ServeAsync(client)));
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (SocketException)
        {
        }

        await Task.WhenAll(connections).WaitAsync(TimeSpan.FromSeconds(5)).ContinueWith(_ => { });
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var _ = client;
        var stream = client.GetStream();
        var buffer = new List<byte>();
        var chunk = new byte[8192];
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                int headerEnd;
                while ((headerEnd = IndexOf(buffer, "\r\n\r\n"u8)) < 0)
                {
                    var n = await stream.ReadAsync(chunk, _stop.Token);
                    if (n == 0)
                    {
                        return;
                    }

                    buffer.AddRange(chunk.AsSpan(0, n).ToArray());
                }

                var head = Encoding.ASCII.GetString(buffer.GetRange(0, headerEnd).ToArray()).Split("\r\n");
                var parts = head[0].Split(' ');
                var headers = new Dictionary<string, string>();
                foreach (var line in head.Skip(1))
                {
                    var colon = line.IndexOf(':');
                    if (colon > 0)
                    {
                        headers[line[..colon].Trim().ToLowerInvariant()] = line[(colon + 1)..].Trim();
                    }
                }

                var length = headers.TryGetValue("content-length", out var cl) ? int.Parse(cl, System.Globalization.CultureInfo.InvariantCulture) : 0;
                buffer.RemoveRange(0, headerEnd + 4);
                while (buffer.Count < length)
                {
                    var n = await stream.ReadAsync(chunk, _stop.Token);
                    if (n == 0)
                    {
                        return;
                    }

                    buffer.AddRange(chunk.AsSpan(0, n).ToArray());
                }

                var body = buffer.GetRange(0, length).ToArray();
                buffer.RemoveRange(0, length);
                var request = new CannedRequest(parts[0], parts.Length > 1 ? parts[1] : "/", headers, body);
                Requests.Enqueue(request);
                var index = Interlocked.Increment(ref _count) - 1;
                var response = _handler(request, index);
                if (response.Drop)
                {
                    client.Client.Shutdown(SocketShutdown.Both);
                    return;
                }

                if (response.Hang)
                {
                    await Task.Delay(Timeout.Infinite, _stop.Token);
                    return;
                }

                var sb = new StringBuilder();
                sb.Append(CultureInvariant($"HTTP/1.1 {response.Status} {((HttpStatusCode)response.Status)}\r\n"));
                if (response.ContentType is not null)
                {
                    sb.Append("Content-Type: ").Append(response.ContentType).Append("\r\n");
                }

                foreach (var (name, value) in response.Headers)
                {
                    sb.Append(name).Append(": ").Append(value).Append("\r\n");
                }

                sb.Append(CultureInvariant($"Content-Length: {response.Body.Length}\r\n"));
                sb.Append(response.TruncateAt is null ? "Connection: keep-alive\r\n\r\n" : "Connection: close\r\n\r\n");
                await stream.WriteAsync(Encoding.ASCII.GetBytes(sb.ToString()), _stop.Token);
                var send = response.TruncateAt is { } cut ? response.Body.AsMemory(0, Math.Min(cut, response.Body.Length)) : response.Body;
                await stream.WriteAsync(send, _stop.Token);
                await stream.FlushAsync(_stop.Token);
                if (response.TruncateAt is not null)
                {
                    client.Client.Shutdown(SocketShutdown.Both);
                    return;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
    }

    private static string CultureInvariant(FormattableString s) => FormattableString.Invariant(s);

    private static int IndexOf(List<byte> haystack, ReadOnlySpan<byte> needle)
    {
        for (var i = 0; i + needle.Length <= haystack.Count; i++)
        {
            var match = true;
            for (var j = 0; j < needle.Length; j++)
            {
                if (haystack[i + j] != needle[j])
                {
                    match = false;
                    break;
                }
            }

            if (match)
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
        await _accept.WaitAsync(TimeSpan.FromSeconds(10)).ContinueWith(_ => { });
        _stop.Dispose();
    }
}
