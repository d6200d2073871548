using System.Text.Json;
using NodeOps.Emulator.Admin;
using NodeOps.Emulator.Faults;
using NodeOps.Emulator;
using NodeOps.Engine.Providers.VoltagePark;
using NodeOps.Engine.Tests.Support;

namespace NodeOps.Engine.Tests.Providers.VoltagePark;

/// <summary>
/// Remediation against the emulator (its own instance: these tests change state). Each test adds its
/// nodes to a fleet of its own through the admin API, so counts and request logs are per test.
/// </summary>
public sealed class VoltageParkEmulatorRemediationTests(EmulatorFixture emulator) : IClassFixture<EmulatorFixture>
{
    private NodeOpsClient Client(NodeOpsClientOptions? options = null) => emulator.Client(CloudProvider.VoltagePark, options);

    private VoltageParkClient VoltagePark(NodeOpsClientOptions? options = null) => Client(options).ProviderClient<VoltageParkClient>();

    /// <summary>A new ACTIVE fleet holding the given nodes (name → state).</summary>
    private async Task<string> FleetWithAsync(params (string Name, string State)[] nodes)
    {
        var fleetId = Guid.NewGuid().ToString();
        foreach (var (name, state) in nodes)
        {
            await emulator.Admin.AddNodeAsync("voltagepark", new AdminNodeRequest { Id = name, Status = state, ClusterId = fleetId, GpuType = "H100-SXM5-80GB" });
        }

        return fleetId;
    }

    private static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid().ToString("N")[..8]}";

    private async Task<List<RequestLogEntry>> RemediateLogAsync(string fleetId) =>
        (await emulator.Admin.GetRequestsAsync("voltagepark"))
            .Where(e => e.Method == "POST" && e.Path.Contains(fleetId, StringComparison.Ordinal) && e.Path.EndsWith("/nodes/remediate", StringComparison.Ordinal))
            .ToList();

    private async Task<int> CountAsync(string fleetId, string node) =>
        (await emulator.Admin.GetCountsAsync()).RemediationCount("voltagepark", $"{fleetId}/{node}");

    [Fact]
    public async Task Remediates_a_fleet_batch_in_one_request_and_the_nodes_go_through_provisioning_to_ready()
    {
        var (a, b) = (Unique("vp-a"), Unique("vp-b"));
        var fleetId = await FleetWithAsync((a, "ACTIVE"), (b, "UNHEALTHY"));

        var outcomes = await Client().RemediateAsync(
            [new RemediationTarget(a, fleetId), new RemediationTarget(b, fleetId)],
            new RemediationSettings { Reason = "Xid 79 on GPU 3", Cause = "TERMAL_THROTTLE" },
            "op-" + Guid.NewGuid()).ToListAsync();

        Assert.Equal(2, outcomes.Count);
        Assert.All(outcomes, o =>
        {
            Assert.True(o.Succeeded, o.Error?.Message);
            Assert.Equal(RemediationState.Accepted, o.Remediation!.State);
            Assert.Equal("accepted", o.Remediation.ProviderState);
            Assert.Equal("TERMAL_THROTTLE", o.Remediation.Action);
            Assert.Null(o.Remediation.Id);
        });

        var post = Assert.Single(await RemediateLogAsync(fleetId));
        Assert.Equal(200, post.Status);
        Assert.Equal(outcomes[0].Remediation!.IdempotencyKey, post.IdempotencyKey);
        using (var body = JsonDocument.Parse(post.Body!))
        {
            Assert.Equal(JsonValueKind.Array, body.RootElement.ValueKind);
            Assert.Equal(new[] { a, b }, body.RootElement.EnumerateArray().Select(e => e.GetProperty("nodeId").GetString()).Order());
        }

        Assert.Equal(1, await CountAsync(fleetId, a));
        Assert.Equal(1, await CountAsync(fleetId, b));

        // Voltage Park has no remediation to track: the node's state shows it (README: PROVISIONING → VALIDATION → READY).
        var during = await Client().GetNodeAsync(a, fleetId);
        Assert.Equal(GpuNodeStatus.Provisioning, during.Status);
        var deadline = DateTime.UtcNow.AddSeconds(15);
        GpuNode after;
        do
        {
            await Task.Delay(100);
            after = await Client().GetNodeAsync(a, fleetId);
        }
        while (after.Status != GpuNodeStatus.Ready && DateTime.UtcNow < deadline);

        Assert.Equal(GpuNodeStatus.Ready, after.Status);
    }

    [Fact]
    public async Task Rerunning_with_the_same_operation_key_replays_and_remediates_nothing_new()
    {
        var node = Unique("vp-replay");
        var fleetId = await FleetWithAsync((node, "ACTIVE"));
        var settings = new RemediationSettings { Reason = "NCCL timeouts", Cause = "GPU_ERROR" };
        var operation = "runbook-" + Guid.NewGuid();

        var first = await Client().RemediateAsync([new RemediationTarget(node, fleetId)], settings, operation).SingleAsync();
        var second = await Client().RemediateAsync([new RemediationTarget(node, fleetId)], settings, operation).SingleAsync();

        Assert.True(first.Succeeded, first.Error?.Message);
        Assert.True(second.Succeeded, second.Error?.Message);
        Assert.Equal(RemediationState.Accepted, second.Remediation!.State);
        Assert.Equal(first.Remediation!.IdempotencyKey, second.Remediation.IdempotencyKey);
        var log = await RemediateLogAsync(fleetId);
        Assert.Equal(2, log.Count);
        Assert.Equal(log[0].IdempotencyKey, log[1].IdempotencyKey);
        Assert.Equal(log[0].Body, log[1].Body);
        Assert.Equal(1, await CountAsync(fleetId, node));
    }

    [Fact]
    public async Task A_dropped_connection_after_processing_is_retried_with_the_same_key_and_remediates_once()
    {
        var node = Unique("vp-drop");
        var fleetId = await FleetWithAsync((node, "ACTIVE"));
        await emulator.Admin.AddScriptedFaultsAsync("voltagepark", new ScriptedFault { Kind = "drop-after", Method = "POST", PathContains = fleetId });

        var outcome = Assert.Single(await VoltagePark().RemediateNodesAsync(fleetId, [node], "drop test", "TEST"));

        Assert.True(outcome.Succeeded, outcome.Error?.Message);
        var log = await RemediateLogAsync(fleetId);
        Assert.Equal(2, log.Count);
        Assert.Equal("drop-after", log[0].Fault);
        Assert.Equal(log[0].IdempotencyKey, log[1].IdempotencyKey);
        Assert.Equal(1, await CountAsync(fleetId, node));
    }

    [Fact]
    public async Task A_503_before_processing_is_retried_with_the_same_key()
    {
        var node = Unique("vp-503");
        var fleetId = await FleetWithAsync((node, "READY"));
        await emulator.Admin.AddScriptedFaultsAsync("voltagepark", new ScriptedFault { Kind = "status", Status = 503, Method = "POST", PathContains = fleetId, Count = 2 });

        var outcome = Assert.Single(await VoltagePark().RemediateNodesAsync(fleetId, [node], idempotencyKey: "k-503-" + Guid.NewGuid()));

        Assert.True(outcome.Succeeded, outcome.Error?.Message);
        var log = await RemediateLogAsync(fleetId);
        Assert.Equal([503, 503, 200], log.Select(e => e.Status));
        Assert.Single(log.Select(e => e.IdempotencyKey).Distinct());
        Assert.Equal(1, await CountAsync(fleetId, node));
    }

    [Fact]
    public async Task A_malformed_reply_is_retried_with_the_same_key_and_the_replay_is_read()
    {
        var node = Unique("vp-malformed");
        var fleetId = await FleetWithAsync((node, "ACTIVE"));
        await emulator.Admin.AddScriptedFaultsAsync("voltagepark", new ScriptedFault { Kind = "malformed", Method = "POST", PathContains = fleetId });

        var outcome = Assert.Single(await VoltagePark().RemediateNodesAsync(fleetId, [node], "m", "c"));

        Assert.True(outcome.Succeeded, outcome.Error?.Message);
        Assert.Equal(2, (await RemediateLogAsync(fleetId)).Count);
        Assert.Equal(1, await CountAsync(fleetId, node));
    }

    [Fact]
    public async Task A_key_still_in_progress_answers_409_and_the_client_waits_and_gets_the_first_answer()
    {
        var node = Unique("vp-409");
        var fleetId = await FleetWithAsync((node, "ACTIVE"));
        var options = TestClients.FastOptions();
        options.KeyInProgressDelay = TimeSpan.FromMilliseconds(500);
        options.MaxRetries = 6;
        var key = "k-409-" + Guid.NewGuid();

        // The emulator holds the first request's key "in progress" for 1.5 s; the second arrives meanwhile.
        await emulator.Admin.UpdateSettingsAsync(new EmulatorSettingsUpdate { VpRemediateProcessingMs = 1500 });
        try
        {
            var first = VoltagePark(options).RemediateNodesAsync(fleetId, [node], "m", "c", key);
            await Task.Delay(300);
            var second = VoltagePark(options).RemediateNodesAsync(fleetId, [node], "m", "c", key);

            var results = await Task.WhenAll(first, second);

            Assert.All(results, r => Assert.True(Assert.Single(r).Succeeded));
        }
        finally
        {
            await emulator.Admin.UpdateSettingsAsync(new EmulatorSettingsUpdate { VpRemediateProcessingMs = 0 });
        }

        var posts = await RemediateLogAsync(fleetId);
        Assert.Contains(posts, e => e.Status == 409);
        Assert.All(posts, e => Assert.Equal(key, e.IdempotencyKey));
        Assert.Equal(1, await CountAsync(fleetId, node));
    }

    [Fact]
    public async Task Reusing_a_key_for_a_different_batch_is_an_idempotency_key_mismatch()
    {
        var node = Unique("vp-422");
        var fleetId = await FleetWithAsync((node, "ACTIVE"));
        var key = "k-422-" + Guid.NewGuid();
        await VoltagePark().RemediateNodesAsync(fleetId, [node], "first reason", "c", key);

        var ex = await Assert.ThrowsAsync<NodeOpsApiException>(() => VoltagePark().RemediateNodesAsync(fleetId, [node], "another reason", "c", key));

        Assert.Equal(ErrorKind.IdempotencyKeyMismatch, ex.Kind);
        Assert.Equal(422, ex.StatusCode);
        Assert.Equal(2, (await RemediateLogAsync(fleetId)).Count);
        Assert.Equal(1, await CountAsync(fleetId, node));
    }

    [Fact]
    public async Task Rejected_nodes_are_error_outcomes_naming_the_node_and_the_others_go_through()
    {
        var (ok, busy) = (Unique("vp-ok"), Unique("vp-testing"));
        var stranger = Unique("vp-elsewhere");
        var fleetId = await FleetWithAsync((ok, "ACTIVE"), (busy, "TESTING"));

        var outcomes = await Client().RemediateAsync(
            [new RemediationTarget(ok, fleetId), new RemediationTarget(busy, fleetId), new RemediationTarget(stranger, fleetId)],
            new RemediationSettings()).ToListAsync();

        Assert.Equal(3, outcomes.Count);
        Assert.True(outcomes.Single(o => o.Target.NodeId == ok).Succeeded);
        foreach (var name in new[] { busy, stranger })
        {
            var rejected = outcomes.Single(o => o.Target.NodeId == name);
            Assert.False(rejected.Succeeded);
            Assert.Equal(ErrorKind.InvalidState, rejected.Error!.Kind);
            Assert.Equal(name, rejected.Error.Target);
            Assert.Contains($"'{name}'", rejected.Error.Message, StringComparison.Ordinal);
            Assert.Equal(RemediationState.Rejected, rejected.Remediation!.State);
            Assert.False(string.IsNullOrEmpty(rejected.Remediation.Error));
            Assert.Contains(rejected.Remediation.Error!, rejected.Error.Message, StringComparison.Ordinal);
        }

        Assert.Single(await RemediateLogAsync(fleetId));
        Assert.Equal(1, await CountAsync(fleetId, ok));
        Assert.Equal(0, await CountAsync(fleetId, busy));

        using var body = JsonDocument.Parse((await RemediateLogAsync(fleetId))[0].Body!);
        Assert.All(body.RootElement.EnumerateArray(), e =>
        {
            Assert.Equal(VoltageParkClient.DefaultMessage, e.GetProperty("message").GetString());
            Assert.Equal(VoltageParkClient.DefaultCause, e.GetProperty("cause").GetString());
        });
    }

    [Fact]
    public async Task Remediating_in_an_unknown_fleet_is_NotFound_for_every_target()
    {
        var fleetId = Guid.NewGuid().ToString();

        var outcomes = await Client().RemediateAsync([new RemediationTarget("g0100", fleetId), new RemediationTarget("g0101", fleetId)], new RemediationSettings()).ToListAsync();

        Assert.Equal(2, outcomes.Count);
        Assert.All(outcomes, o =>
        {
            Assert.False(o.Succeeded);
            var api = Assert.IsType<NodeOpsApiException>(o.Error);
            Assert.Equal(ErrorKind.NotFound, api.Kind);
            Assert.Equal("FLEET_NOT_FOUND", api.ProviderCode);
        });
    }

    [Fact]
    public async Task A_node_state_newer_than_the_documents_is_Unknown_with_the_raw_value()
    {
        var node = Unique("vp-new-state");
        var fleetId = await FleetWithAsync((node, "HIBERNATING"));

        var listed = Assert.IsType<VoltageParkNode>(Assert.Single(await Client().GetNodesAsync(new NodeQuery { ClusterId = fleetId }).ToListAsync()));
        var got = await VoltagePark().GetNodeAsync(fleetId, node);

        Assert.Equal(GpuNodeStatus.Unknown, listed.Status);
        Assert.Equal("HIBERNATING", listed.ProviderStatus);
        Assert.Equal("HIBERNATING", got.State);
        Assert.Equal("H100-SXM5-80GB", got.GpuType);
    }
}
