using NodeOps.Engine.Tests.Support;

namespace NodeOps.Reliability.Tests.Soak;

/// <summary>
/// Clients as a runbook would have them (the default retry budget and concurrency), with backoff scaled
/// down so a soak of a thousand nodes fits in a test run. Retry-After from the server is honoured as sent.
/// </summary>
internal static class SoakClients
{
    public static NodeOpsClientOptions Options(IRequestTracer? tracer) => new()
    {
        RetryBaseDelay = TimeSpan.FromMilliseconds(20),
        RetryMaxDelay = TimeSpan.FromMilliseconds(250),
        KeyInProgressDelay = TimeSpan.FromMilliseconds(50),
        AttemptTimeout = TimeSpan.FromSeconds(10),
        TotalTimeout = TimeSpan.FromSeconds(60),
        Tracer = tracer,
    };

    public static Dictionary<CloudProvider, NodeOpsClient> For(EmulatorFixture emulator, IRequestTracer? tracer) =>
        new[] { CloudProvider.VoltagePark, CloudProvider.Together }
            .ToDictionary(p => p, p => emulator.Client(p, Options(tracer)));

    /// <summary>One Invoke-NodeRemediation over <paramref name="nodes"/>, the way the command runs it.</summary>
    public static async Task<List<RemediationResult>> RemediateAsync(
        IReadOnlyDictionary<CloudProvider, NodeOpsClient> clients,
        IEnumerable<NodeRef> nodes,
        string operationKey,
        CancellationToken cancellationToken = default)
    {
        var operation = new RemediationOperation(Settings, operationKey);
        foreach (var node in nodes)
        {
            operation.Add(clients[node.Provider], node);
        }

        return await operation.RunAsync(operation.Plan(), cancellationToken).ToListAsync(cancellationToken);
    }

    /// <summary>Errors that say "try again" (a rerun with the same key settles them); anything else is the provider's final word.</summary>
    public static IReadOnlySet<ErrorKind> TransientKinds { get; } =
        new HashSet<ErrorKind> { ErrorKind.ServerError, ErrorKind.RateLimited, ErrorKind.ConnectionFailed, ErrorKind.InvalidResponse, ErrorKind.Timeout };

    public static RemediationSettings Settings { get; } = new() { Reason = "soak: Xid 79 on GPU 3", Cause = "SOAK_TEST" };
}
