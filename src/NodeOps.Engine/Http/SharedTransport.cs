using System.Net;

namespace NodeOps.Engine.Http;

/// <summary>
/// One socket handler for the whole process: connection pooling across every client and cmdlet call,
/// HTTP/2 where the server offers it (ALPN), DNS changes picked up by recycling pooled connections.
/// Certificate validation is the platform's; NodeOps never replaces the callback.
/// </summary>
internal static class SharedTransport
{
    private static readonly Lazy<SocketsHttpHandler> LazyHandler = new(Create);

    public static SocketsHttpHandler Handler => LazyHandler.Value;

    private static SocketsHttpHandler Create() => new()
    {
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        PooledConnectionIdleTimeout = TimeSpan.FromMinutes(1),
        ConnectTimeout = TimeSpan.FromSeconds(15),
        AutomaticDecompression = DecompressionMethods.All,
        EnableMultipleHttp2Connections = true,
        MaxConnectionsPerServer = 64,
        AllowAutoRedirect = false,
        UseCookies = false,
        UseProxy = true,
    };
}
