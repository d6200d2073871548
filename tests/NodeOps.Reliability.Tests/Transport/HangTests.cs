using System.Diagnostics;
using NodeOps.Engine.Tests.Support;
using Xunit.Abstractions;

namespace NodeOps.Reliability.Tests.Transport;

/// <summary>
/// A server that takes the connection and never answers (or answers half a body and stops) must not
/// hold a runbook forever: the call ends by its timeout, and Ctrl+C ends it within a second, whatever
/// the engine was doing at the time (reading, backing off, honouring Retry-After, waiting on a key in
/// progress, polling).
/// </summary>
public sealed class HangTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Prompt = TimeSpan.FromSeconds(1);

    public static TheoryData<string> Calls => new() { "list", "remediate-with-key", "redeploy" };

    [Fact]
    public async Task A_safe_call_to_a_silent_server_is_retried_per_attempt_and_ends_by_the_total_timeout()
    {
        await using var server = new CannedHttpServer(new CannedResponse { Hang = true });
        var options = Options(attempt: TimeSpan.FromMilliseconds(300), total: TimeSpan.FromMilliseconds(1500));
        var client = TestClients.Create(CloudProvider.Together, new Uri(server.BaseUrl, "/together"), options);

        var clock = Stopwatch.StartNew();
        var ex = await Assert.ThrowsAsync<NodeOpsException>(() => client.GetClustersAsync().ToListAsync().AsTask());
        clock.Stop();

        Assert.Equal(ErrorKind.Timeout, ex.Kind);
        Assert.Contains("time limit", ex.Message, StringComparison.Ordinal);
        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(1400), TimeSpan.FromSeconds(4));
        Assert.InRange(server.RequestCount, 2, 6);
    }

    [Fact]
    public async Task A_remediation_with_an_idempotency_key_is_resent_with_the_same_key_until_the_total_timeout()
    {
        await using var server = new CannedHttpServer(new CannedResponse { Hang = true });
        var options = Options(attempt: TimeSpan.FromMilliseconds(300), total: TimeSpan.FromMilliseconds(1500));
        var client = TestClients.Create(CloudProvider.VoltagePark, new Uri(server.BaseUrl, "/voltagepark"), options);

        var outcome = await client.RemediateAsync([new RemediationTarget("g0386", "fleet-1")], new RemediationSettings { Reason = "hang", Cause = "TEST" }).SingleAsync();

        Assert.Equal(ErrorKind.Timeout, outcome.Error?.Kind);
        var keys = server.Requests.Select(r => r.Header("idempotency-key")).ToList();
        Assert.True(keys.Count >= 2, $"{keys.Count} attempt(s)");
        Assert.Single(keys.Distinct());
    }

    [Fact]
    public async Task A_mutation_the_provider_cannot_deduplicate_is_sent_once_and_its_timeout_is_an_unknown_outcome()
    {
        await using var server = new CannedHttpServer(new CannedResponse { Hang = true });
        var options = Options(attempt: TimeSpan.FromMilliseconds(300), total: TimeSpan.FromSeconds(5));
        var client = TestClients.Create(CloudProvider.SFCompute, new Uri(server.BaseUrl, "/sfcompute"), options);

        var clock = Stopwatch.StartNew();
        var ex = await Assert.ThrowsAsync<NodeOpsException>(() => client.RedeployNodeAsync(new RedeployRequest { NodeId = "n_b1dc52505c6db142" }));

        Assert.Equal(ErrorKind.OutcomeUnknown, ex.Kind);
        Assert.Equal("n_b1dc52505c6db142", ex.Target);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), $"took {clock.Elapsed}");
        Assert.Equal(1, server.RequestCount);
    }

    [Fact]
    public async Task A_body_that_stops_halfway_ends_by_the_attempt_timeout()
    {
        await using var server = RawServer.StallingMidBody();
        var options = Options(attempt: TimeSpan.FromMilliseconds(300), total: TimeSpan.FromMilliseconds(1200));
        var client = TestClients.Create(CloudProvider.Together, new Uri(server.BaseUrl, "/together"), options);

        var ex = await Assert.ThrowsAsync<NodeOpsException>(() => client.GetClustersAsync().ToListAsync().AsTask());

        Assert.Equal(ErrorKind.Timeout, ex.Kind);
        Assert.True(server.Connections >= 1);
    }

    [Theory]
    [MemberData(nameof(Calls))]
    public async Task Cancelling_a_call_to_a_silent_server_ends_it_within_a_second(string call)
    {
        await using var server = new CannedHttpServer(new CannedResponse { Hang = true });
        await AssertCancelsPromptlyAsync(server, call);
    }

    [Fact]
    public async Task Cancelling_while_honouring_a_long_Retry_After_ends_within_a_second()
    {
        await using var server = new CannedHttpServer(new CannedResponse
        {
            Status = 429,
            Body = """{"code":8,"message":"slow down"}"""u8.ToArray(),
            Headers = { ["Retry-After"] = "30" },
        });
        await AssertCancelsPromptlyAsync(server, "list");
        Assert.Equal(1, server.RequestCount);
    }

    [Fact]
    public async Task Cancelling_while_waiting_for_a_key_in_progress_ends_within_a_second()
    {
        await using var server = new CannedHttpServer(CannedResponse.Json("""{"error":"A request with this Idempotency-Key is in progress.","code":"IDEMPOTENCY_IN_PROGRESS"}""", 409));
        await AssertCancelsPromptlyAsync(server, "remediate-with-key");
        Assert.Equal(1, server.RequestCount);
    }

    [Fact]
    public async Task Cancelling_Wait_Remediation_between_polls_ends_within_a_second()
    {
        await using var server = new CannedHttpServer(CannedResponse.Json("""
            {"id":"r-1","cluster_id":"c-1","instance_id":"i-1","mode":"REMEDIATION_MODE_VM_ONLY",
             "trigger":"REMEDIATION_TRIGGER_MANUAL","state":"PENDING","create_time":"2026-01-01T00:00:00Z"}
            """));
        var options = Options(attempt: TimeSpan.FromSeconds(60), total: TimeSpan.FromSeconds(120));
        options.PollInterval = TimeSpan.FromSeconds(30);
        var client = TestClients.Create(CloudProvider.Together, new Uri(server.BaseUrl, "/together"), options);

        await AssertEndsPromptlyAsync(ct => client.WaitForRemediationAsync(new RemediationRef("r-1", "i-1", "c-1"), TimeSpan.FromMinutes(10), null, ct));
        Assert.Equal(1, server.RequestCount);
    }

    private async Task AssertCancelsPromptlyAsync(CannedHttpServer server, string call)
    {
        // Every limit far beyond the test, so only the cancellation can end the call.
        var options = Options(attempt: TimeSpan.FromSeconds(60), total: TimeSpan.FromSeconds(120));
        options.KeyInProgressDelay = TimeSpan.FromSeconds(30);
        switch (call)
        {
            case "list":
                {
                    var client = TestClients.Create(CloudProvider.Together, new Uri(server.BaseUrl, "/together"), options);
                    await AssertEndsPromptlyAsync(ct => client.GetClustersAsync(ct).ToListAsync(ct).AsTask());
                    break;
                }

            case "remediate-with-key":
                {
                    var client = TestClients.Create(CloudProvider.VoltagePark, new Uri(server.BaseUrl, "/voltagepark"), options);
                    var remediator = client.ProviderClient<NodeOps.Engine.Providers.VoltagePark.VoltageParkClient>();
                    await AssertEndsPromptlyAsync(ct => remediator.RemediateNodesAsync("fleet-1", ["g0386"], "hang", "TEST", "key-" + Guid.NewGuid(), ct));
                    break;
                }

            case "redeploy":
                {
                    var client = TestClients.Create(CloudProvider.SFCompute, new Uri(server.BaseUrl, "/sfcompute"), options);
                    await AssertEndsPromptlyAsync(ct => client.RedeployNodeAsync(new RedeployRequest { NodeId = "n_b1dc52505c6db142" }, ct));
                    break;
                }

            default:
                throw new ArgumentOutOfRangeException(nameof(call), call, null);
        }
    }

    /// <summary>Starts the call, cancels it once the server has it, and measures how long the call takes to end.</summary>
    private async Task AssertEndsPromptlyAsync(Func<CancellationToken, Task> call)
    {
        using var cts = new CancellationTokenSource();
        var running = call(cts.Token);
        await Task.Delay(TimeSpan.FromMilliseconds(300));
        Assert.False(running.IsCompleted, "The call ended before it was cancelled.");

        var clock = Stopwatch.StartNew();
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running.WaitAsync(TimeSpan.FromSeconds(10)));
        clock.Stop();
        output.WriteLine($"ended {clock.Elapsed.TotalMilliseconds:0.0} ms after the cancellation");
        Assert.True(clock.Elapsed < Prompt, $"The call took {clock.Elapsed.TotalMilliseconds:0} ms to end after the cancellation.");
    }

    private static NodeOpsClientOptions Options(TimeSpan attempt, TimeSpan total)
    {
        var options = TestClients.FastOptions();
        options.MaxRetries = 10;
        options.AttemptTimeout = attempt;
        options.TotalTimeout = total;
        return options;
    }
}
