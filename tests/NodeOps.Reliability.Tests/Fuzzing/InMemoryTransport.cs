using System.Net;
using System.Net.Http.Headers;
using NodeOps.Engine;

namespace NodeOps.Reliability.Tests.Fuzzing;

/// <summary>A reply the in-memory transport hands to the engine.</summary>
internal sealed record CannedReply(int Status, byte[] Body, string ContentType = "application/json");

/// <summary>
/// Answers the engine's requests from a function, without sockets, so thousands of mutated replies run
/// through the real pipeline (retry policy, bounded body read, error parsing) and the providers' readers
/// and mappings in seconds.
/// </summary>
internal sealed class InMemoryTransport : HttpMessageHandler
{
    public Func<HttpRequestMessage, CannedReply> Respond { get; set; } = _ => new CannedReply(500, []);

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var reply = Respond(request);
        var content = new ByteArrayContent(reply.Body);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(reply.ContentType);
        return Task.FromResult(new HttpResponseMessage((HttpStatusCode)reply.Status) { Content = content, RequestMessage = request });
    }

    /// <summary>A client of <paramref name="provider"/> that sends through this transport and never retries.</summary>
    public NodeOpsClient Client(CloudProvider provider) =>
        new(
            ProviderConnection.Create(provider, ApiCredential.FromToken("fuzz-token", "test"), new Uri("http://127.0.0.1:9/" + provider.ToString().ToLowerInvariant())),
            new NodeOpsClientOptions
            {
                // One attempt per reply: a retry would read the same bytes again and only cost time.
                MaxRetries = 0,
                AttemptTimeout = TimeSpan.FromSeconds(10),
                TotalTimeout = TimeSpan.FromSeconds(10),
                Transport = this,
            });
}
