using System.Net;
using NodeOps.Emulator.Faults;
using NodeOps.Emulator.Tests.Support;

namespace NodeOps.Emulator.Tests;

/// <summary>Idempotency-Key as seed 000 describes it.</summary>
public sealed class VoltageParkIdempotencyTests
{
    private const string Body = """[{"nodeId":"g0101","message":"Xid 79","cause":"GPU_FAILURE"}]""";

    [Fact]
    public async Task ASecondRequestWithTheSameKeyReplaysTheFirstResponseWithoutRemediatingAgain()
    {
        await using var emu = await TestEmulator.StartAsync(o => o.VpRemediationStepMs = 60_000);
        var fleetId = await VoltageParkTests.FirstFleetIdAsync(emu);
        var path = $"voltagepark/v1/fleets/{fleetId}/nodes/remediate";
        using var first = await emu.SendAsync(HttpMethod.Post, path, Body, ("Idempotency-Key", "key-1"));
        using var second = await emu.SendAsync(HttpMethod.Post, path, Body, ("Idempotency-Key", "key-1"));
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await second.Content.ReadAsStringAsync());
        Assert.Equal(1, (await emu.Admin.GetCountsAsync()).RemediationCount("voltagepark", $"{fleetId}/g0101"));

        // Without a key the same body is a new request (and here rejected: the node is already being remediated).
        var third = await emu.SendJsonAsync(HttpMethod.Post, path, Body, HttpStatusCode.OK);
        Assert.Equal("rejected", third.Items()[0].Str("remediateStatus"));
    }

    [Fact]
    public async Task AFailedRequestIsReplayedWithItsOriginalStatus()
    {
        await using var emu = await TestEmulator.StartAsync();
        var path = "voltagepark/v1/fleets/no-such-fleet/nodes/remediate";
        var first = await emu.SendJsonAsync(HttpMethod.Post, path, Body, HttpStatusCode.NotFound, ("Idempotency-Key", "key-404"));
        var second = await emu.SendJsonAsync(HttpMethod.Post, path, Body, HttpStatusCode.NotFound, ("Idempotency-Key", "key-404"));
        Assert.Equal(first.GetRawText(), second.GetRawText());
    }

    [Fact]
    public async Task TheSameKeyWithADifferentBodyIs422()
    {
        await using var emu = await TestEmulator.StartAsync();
        var fleetId = await VoltageParkTests.FirstFleetIdAsync(emu);
        var path = $"voltagepark/v1/fleets/{fleetId}/nodes/remediate";
        await emu.SendJsonAsync(HttpMethod.Post, path, Body, HttpStatusCode.OK, ("Idempotency-Key", "key-2"));
        var error = await emu.SendJsonAsync(HttpMethod.Post, path, """[{"nodeId":"g0100","message":"m","cause":"c"}]""", (HttpStatusCode)422, ("Idempotency-Key", "key-2"));
        Assert.Equal("IDEMPOTENCY_KEY_MISMATCH", error.Str("code"));

        var otherFleet = (await emu.GetJsonAsync("voltagepark/v1/fleets")).Items("fleets")[1].Str("fleetId");
        await emu.SendJsonAsync(HttpMethod.Post, $"voltagepark/v1/fleets/{otherFleet}/nodes/remediate", Body, (HttpStatusCode)422, ("Idempotency-Key", "key-2"));
    }

    [Fact]
    public async Task TheSameKeyWhileTheFirstIsStillProcessingIs409()
    {
        await using var emu = await TestEmulator.StartAsync(o => o.VpRemediateProcessingMs = 3000);
        var fleetId = await VoltageParkTests.FirstFleetIdAsync(emu);
        var path = $"voltagepark/v1/fleets/{fleetId}/nodes/remediate";
        var firstTask = emu.SendAsync(HttpMethod.Post, path, Body, ("Idempotency-Key", "key-3"));
        await Wait.UntilAsync(async () => (await emu.Admin.GetCountsAsync()).RemediationCount("voltagepark", $"{fleetId}/g0101") == 1, "first request processed");
        var conflict = await emu.SendJsonAsync(HttpMethod.Post, path, Body, HttpStatusCode.Conflict, ("Idempotency-Key", "key-3"));
        Assert.Equal("IDEMPOTENCY_KEY_IN_PROGRESS", conflict.Str("code"));

        using var first = await firstTask;
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        using var replay = await emu.SendAsync(HttpMethod.Post, path, Body, ("Idempotency-Key", "key-3"));
        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await replay.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task KeysLongerThan255CharactersAreRejected()
    {
        await using var emu = await TestEmulator.StartAsync();
        var fleetId = await VoltageParkTests.FirstFleetIdAsync(emu);
        var path = $"voltagepark/v1/fleets/{fleetId}/nodes/remediate";
        await emu.SendJsonAsync(HttpMethod.Post, path, Body, HttpStatusCode.BadRequest, ("Idempotency-Key", new string('k', 256)));
        await emu.SendJsonAsync(HttpMethod.Post, path, Body, HttpStatusCode.OK, ("Idempotency-Key", new string('k', 255)));
    }

    [Fact]
    public async Task ARetryAfterADroppedResponseReplaysTheProcessedResult()
    {
        await using var emu = await TestEmulator.StartAsync();
        var fleetId = await VoltageParkTests.FirstFleetIdAsync(emu);
        var path = $"voltagepark/v1/fleets/{fleetId}/nodes/remediate";
        await emu.Admin.AddScriptedFaultsAsync("voltagepark", new ScriptedFault { Kind = "drop-after", Method = "POST" });

        await Assert.ThrowsAsync<HttpRequestException>(() => emu.SendAsync(HttpMethod.Post, path, Body, ("Idempotency-Key", "key-drop")));
        Assert.Equal(1, (await emu.Admin.GetCountsAsync()).RemediationCount("voltagepark", $"{fleetId}/g0101"));

        var replay = await emu.SendJsonAsync(HttpMethod.Post, path, Body, HttpStatusCode.OK, ("Idempotency-Key", "key-drop"));
        Assert.Equal("accepted", replay.Items()[0].Str("remediateStatus"));
        var counts = await emu.Admin.GetCountsAsync();
        Assert.Equal(1, counts.RemediationCount("voltagepark", $"{fleetId}/g0101"));
        Assert.Equal(1, counts.FaultCount("voltagepark", "drop-after"));

        var log = await emu.Admin.GetRequestsAsync("voltagepark");
        var posts = log.Where(e => e.Method == "POST").ToList();
        Assert.Equal(2, posts.Count);
        Assert.All(posts, e => Assert.Equal("key-drop", e.IdempotencyKey));
        Assert.Equal("drop-after", posts[0].Fault);
        Assert.Equal(200, posts[0].Status);
        Assert.Equal("none", posts[1].Fault);
    }
}
