namespace NodeOps.Engine.Tests.Support;

/// <summary>
/// A socket transport that counts the requests still waiting for their answer, now and at most at once:
/// shows that no request outlives an operation, and how many an operation runs side by side.
/// </summary>
public sealed class InFlightCounter() : DelegatingHandler(new SocketsHttpHandler())
{
    private int _inFlight;
    private int _most;

    public int InFlight => Volatile.Read(ref _inFlight);

    public int Most => Volatile.Read(ref _most);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var now = Interlocked.Increment(ref _inFlight);
        int most;
        while (now > (most = Volatile.Read(ref _most)) && Interlocked.CompareExchange(ref _most, now, most) != most)
        {
        }

        try
        {
            return await base.SendAsync(request, cancellationToken);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }
}
