using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace NodeOps.Reliability.Tests.Transport;

/// <summary>
/// A loopback server for what no HTTP framework will do on purpose: answer headers and then stall in
/// the middle of the body, or speak TLS with a certificate nobody trusts. It records how many bytes of
/// HTTP it received. Every wait ends when it is disposed, and after 60 s at the latest.
/// </summary>
internal sealed class RawServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new(TimeSpan.FromSeconds(60));
    private readonly X509Certificate2? _certificate;
    private readonly byte[] _reply;
    private readonly Task _accept;
    private int _connections;
    private long _httpBytes;

    private RawServer(byte[] reply, X509Certificate2? certificate)
    {
        _reply = reply;
        _certificate = certificate;
        _listener.Start();
        var port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        BaseUrl = new Uri($"{(certificate is null ? "http" : "https")}://127.0.0.1:{port}");
        _accept = Task.Run(AcceptAsync);
    }

    public Uri BaseUrl { get; }

    public int Connections => Volatile.Read(ref _connections);

    /// <summary>Bytes of HTTP (after any TLS handshake) the server read.</summary>
    public long HttpBytes => Interlocked.Read(ref _httpBytes);

    /// <summary>Sends a 200 whose headers promise more body than it ever sends, then stalls.</summary>
    public static RawServer StallingMidBody() =>
        new(Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{\"clusters\":[{\"cluster_id\":\"c-1\","), null);

    /// <summary>TLS with a self-signed certificate for 127.0.0.1; answers 200 {} should a client ever get that far.</summary>
    public static RawServer WithUntrustedCertificate() =>
        new(Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}"), SelfSigned());

    private async Task AcceptAsync()
    {
        var connections = new List<Task>();
        try
        {
            while (true)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                Interlocked.Increment(ref _connections);
                connections.Add(Task.Run(() => ServeAsync(client)));
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        await Task.WhenAll(connections).WaitAsync(TimeSpan.FromSeconds(5)).ContinueWith(_ => { });
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var _ = client;
        try
        {
            Stream stream = client.GetStream();
            if (_certificate is not null)
            {
                var tls = new SslStream(stream);
                await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = _certificate }, _stop.Token);
                stream = tls;
            }

            var buffer = new byte[8192];
            var seen = new StringBuilder();
            while (!seen.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
            {
                var n = await stream.ReadAsync(buffer, _stop.Token);
                if (n == 0)
                {
                    return;
                }

                Interlocked.Add(ref _httpBytes, n);
                seen.Append(Encoding.ASCII.GetString(buffer, 0, n));
            }

            await stream.WriteAsync(_reply, _stop.Token);
            await stream.FlushAsync(_stop.Token);
            await Task.Delay(Timeout.Infinite, _stop.Token);
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException or System.Security.Authentication.AuthenticationException)
        {
        }
    }

    private static X509Certificate2 SelfSigned()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1));

        // SslStream on Linux needs the key in a form it can use; a PKCS#12 round trip gives it one.
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pfx), null);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accept.WaitAsync(TimeSpan.FromSeconds(10)).ContinueWith(_ => { });
        _stop.Dispose();
        _certificate?.Dispose();
    }
}
