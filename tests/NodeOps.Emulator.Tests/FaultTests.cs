using System.Diagnostics;
using System.Net;
using System.Text.Json;
using NodeOps.Emulator.Faults;
using NodeOps.Emulator.Tests.Support;

namespace NodeOps.Emulator.Tests;

public sealed class FaultTests
{
    [Theory]
    [InlineData("voltagepark", "voltagepark/v1/fleets", 503)]
    [InlineData("exalsius", "exalsius/v1/nodes", 500)]
    [InlineData("together", "together/v1/compute/clusters", 502)]
    [InlineData("sfcompute", "sfcompute/v1/nodes", 503)]
    public async Task AStatusFaultAnswersInTheProviderShape(string provider, string path, int status)
    {
        await using var emu = await TestEmulator.StartAsync();
        await emu.Admin.AddScriptedFaultsAsync(provider, new ScriptedFault { Kind = "status", Status = status });
        var body = await emu.GetJsonAsync(path, (HttpStatusCode)status);
        AuthTests.AssertProviderErrorShape(provider, body, status, remediationPath: false);
        await emu.GetJsonAsync(path);

        var log = await emu.Admin.GetRequestsAsync(provider);
        Assert.Equal(["status", "none"], log.Select(e => e.Fault));
        Assert.Equal([status, 200], log.Select(e => e.Status));
    }

    [Fact]
    public async Task AStatusFaultDoesNotProcessTheRequest()
    {
        await using var emu = await TestEmulator.StartAsync();
        var node = (await emu.GetJsonAsync("sfcompute/v1/nodes")).Items("data")[0];
        await emu.Admin.AddScriptedFaultsAsync("sfcompute", new ScriptedFault { Kind = "status", Status = 500, Method = "PUT" });
        await emu.SendJsonAsync(HttpMethod.Put, $"sfcompute/v1/nodes/{node.Str("id")}/redeploy", "{}", HttpStatusCode.InternalServerError);
        var after = await emu.GetJsonAsync("sfcompute/v1/nodes/" + node.Str("id"));
        Assert.Equal(node.GetProperty("current_vm").Str("id"), after.GetProperty("current_vm").Str("id"));
        var counts = await emu.Admin.GetCountsAsync();
        Assert.Equal(0, counts.RemediationCount("sfcompute", node.Str("id")));
        Assert.Equal(1, counts.FaultCount("sfcompute", "status"));
    }

    [Fact]
    public async Task ARemediationPathStatusFaultUsesRpcStatus()
    {
        await using var emu = await TestEmulator.StartAsync();
        var (clusterId, instanceId) = await TogetherTests.CleanWorkerAsync(emu);
        await emu.Admin.AddScriptedFaultsAsync("together", new ScriptedFault { Kind = "status", Status = 503, PathContains = "/remediations" });
        var body = await emu.SendJsonAsync(HttpMethod.Post, $"together/v1/compute/clusters/{clusterId}/instances/{instanceId}/remediations", """{"mode":"REMEDIATION_MODE_VM_ONLY"}""", HttpStatusCode.ServiceUnavailable);
        Assert.Equal(14, body.GetProperty("code").GetInt32());
        Assert.Equal(0, (await emu.Admin.GetCountsAsync()).RemediationCount("together", $"{clusterId}/{instanceId}"));
    }

    [Fact]
    public async Task RateLimitAnswers429WithRetryAfter()
    {
        await using var emu = await TestEmulator.StartAsync();
        await emu.Admin.AddScriptedFaultsAsync("exalsius", new ScriptedFault { Kind = "ratelimit", RetryAfterSeconds = 7 });
        using var response = await emu.GetAsync("exalsius/v1/nodes");
        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(7), response.Headers.RetryAfter?.Delta);
        AuthTests.AssertProviderErrorShape("exalsius", await TestEmulator.ExpectJsonAsync(response, HttpStatusCode.TooManyRequests), 429, false);
        Assert.Equal(1, (await emu.Admin.GetCountsAsync()).FaultCount("exalsius", "ratelimit"));
    }

    [Fact]
    public async Task LatencyDelaysAndThenProcessesNormally()
    {
        await using var emu = await TestEmulator.StartAsync();
        using (await emu.GetAsync("voltagepark/v1/fleets"))
        {
        }

        await emu.Admin.AddScriptedFaultsAsync("voltagepark", new ScriptedFault { Kind = "latency", DelayMs = 600 });
        var watch = Stopwatch.StartNew();
        using var response = await emu.GetAsync("voltagepark/v1/fleets");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(watch.ElapsedMilliseconds >= 590);
        var timing = double.Parse(Assert.Single(response.Headers.GetValues("Server-Timing"))["emu;dur=".Length..], System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(timing <= watch.Elapsed.TotalMilliseconds - 600 + 50, $"Server-Timing {timing} includes the injected delay");
        Assert.Equal("latency", (await emu.Admin.GetRequestsAsync("voltagepark"))[^1].Fault);
    }

    [Fact]
    public async Task DropAfterProcessesTheRequestButTheClientGetsNoResponse()
    {
        await using var emu = await TestEmulator.StartAsync();
        var (clusterId, instanceId) = await TogetherTests.CleanWorkerAsync(emu);
        await emu.Admin.AddScriptedFaultsAsync("together", new ScriptedFault { Kind = "drop-after", Method = "POST" });
        var path = $"together/v1/compute/clusters/{clusterId}/instances/{instanceId}/remediations?remediation_id=op-1";
        await Assert.ThrowsAsync<HttpRequestException>(() => emu.SendAsync(HttpMethod.Post, path, """{"mode":"REMEDIATION_MODE_VM_ONLY"}"""));

        var counts = await emu.Admin.GetCountsAsync();
        Assert.Equal(1, counts.RemediationCount("together", $"{clusterId}/{instanceId}"));
        Assert.Equal(1, counts.FaultCount("together", "drop-after"));
        var entry = (await emu.Admin.GetRequestsAsync("together"))[^1];
        Assert.Equal("drop-after", entry.Fault);
        Assert.Equal(200, entry.Status);
        Assert.Equal("op-1", entry.RemediationId);

        var retry = await emu.SendJsonAsync(HttpMethod.Post, path, """{"mode":"REMEDIATION_MODE_VM_ONLY"}""", HttpStatusCode.OK);
        Assert.Equal("op-1", retry.Str("id"));
        Assert.Equal(1, (await emu.Admin.GetCountsAsync()).RemediationCount("together", $"{clusterId}/{instanceId}"));
    }

    [Fact]
    public async Task MalformedProcessesAndAnswers200WithBrokenJson()
    {
        await using var emu = await TestEmulator.StartAsync();
        var node = (await emu.GetJsonAsync("sfcompute/v1/nodes")).Items("data")[0].Str("id");
        await emu.Admin.AddScriptedFaultsAsync("sfcompute", new ScriptedFault { Kind = "malformed", Method = "PUT" });
        using var response = await emu.SendAsync(HttpMethod.Put, $"sfcompute/v1/nodes/{node}/redeploy", "{}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        Assert.NotEmpty(text);
        Assert.ThrowsAny<JsonException>(() => JsonDocument.Parse(text));
        Assert.Equal(1, (await emu.Admin.GetCountsAsync()).RemediationCount("sfcompute", node));
        Assert.Equal("malformed", (await emu.Admin.GetRequestsAsync("sfcompute"))[^1].Fault);
    }

    [Fact]
    public async Task HangNeverAnswersUntilTheClientGivesUp()
    {
        await using var emu = await TestEmulator.StartAsync();
        await emu.Admin.AddScriptedFaultsAsync("voltagepark", new ScriptedFault { Kind = "hang" });
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
        var watch = Stopwatch.StartNew();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => emu.Http.GetAsync(emu.Url("voltagepark/v1/fleets"), cts.Token));
        Assert.True(watch.ElapsedMilliseconds >= 450);

        await Wait.UntilAsync(async () => (await emu.Admin.GetRequestsAsync("voltagepark")).Any(e => e.Fault == "hang"), "hang logged");
        await emu.GetJsonAsync("voltagepark/v1/fleets");
        Assert.Equal(1, (await emu.Admin.GetCountsAsync()).FaultCount("voltagepark", "hang"));
    }

    [Fact]
    public async Task AHangingRequestDoesNotBlockShutdown()
    {
        var emu = await TestEmulator.StartAsync();
        await emu.Admin.AddScriptedFaultsAsync("exalsius", new ScriptedFault { Kind = "hang" });
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "t");
        var pending = client.GetAsync(emu.Url("exalsius/v1/nodes"));
        await Wait.UntilAsync(async () => (await emu.Admin.GetRequestsAsync("exalsius")).Count == 1, "request arrived");
        var watch = Stopwatch.StartNew();
        await emu.DisposeAsync();
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"stop took {watch.Elapsed}");
        await Assert.ThrowsAnyAsync<Exception>(() => pending);
    }

    [Fact]
    public async Task ScriptedFaultsMatchMethodAndPathAndApplyCountTimes()
    {
        await using var emu = await TestEmulator.StartAsync();
        await emu.Admin.AddScriptedFaultsAsync("sfcompute", new ScriptedFault { Kind = "status", Status = 502, PathContains = "/images", Count = 2 });
        await emu.GetJsonAsync("sfcompute/v1/nodes");
        await emu.GetJsonAsync("sfcompute/v1/vms/images", HttpStatusCode.BadGateway);
        await emu.GetJsonAsync("sfcompute/v1/nodes");
        await emu.GetJsonAsync("sfcompute/v1/vms/images", HttpStatusCode.BadGateway);
        await emu.GetJsonAsync("sfcompute/v1/vms/images");

        await emu.Admin.AddScriptedFaultsAsync("sfcompute", new ScriptedFault { Kind = "status", Status = 500, Method = "DELETE" });
        await emu.GetJsonAsync("sfcompute/v1/nodes");
        Assert.Single((await emu.Admin.GetFaultsAsync("sfcompute")).Script);
        await emu.SendJsonAsync(HttpMethod.Delete, "sfcompute/v1/nodes/n_missing", null, HttpStatusCode.InternalServerError);
        Assert.Empty((await emu.Admin.GetFaultsAsync("sfcompute")).Script);
    }

    [Fact]
    public async Task ScriptedFaultsComeBeforeRandomOnes()
    {
        await using var emu = await TestEmulator.StartAsync();
        await emu.Admin.SetFaultsAsync("together", new RandomFaultSettings { ErrorRate = 1, ErrorCodes = [500] });
        await emu.Admin.AddScriptedFaultsAsync("together", new ScriptedFault { Kind = "ratelimit" });
        await emu.GetJsonAsync("together/v1/compute/clusters", HttpStatusCode.TooManyRequests);
        await emu.GetJsonAsync("together/v1/compute/clusters", HttpStatusCode.InternalServerError);
    }

    [Fact]
    public async Task RandomFaultsAreSeededAndCanBeReadBackAndCleared()
    {
        var first = await RandomStatusesAsync(seed: 1234);
        var second = await RandomStatusesAsync(seed: 1234);
        Assert.Equal(first, second);
        Assert.Contains(200, first);
        Assert.Contains(503, first);

        await using var emu = await TestEmulator.StartAsync();
        var settings = new RandomFaultSettings { ErrorRate = 1, ErrorCodes = [502], RateLimitRate = 0.5, LatencyMs = 5 };
        await emu.Admin.SetFaultsAsync("exalsius", settings);
        var read = await emu.Admin.GetFaultsAsync("exalsius");
        Assert.Equal(1, read.Random.ErrorRate);
        Assert.Equal([502], read.Random.ErrorCodes);
        await emu.GetJsonAsync("exalsius/v1/nodes", HttpStatusCode.BadGateway);
        await emu.GetJsonAsync("sfcompute/v1/nodes");

        await emu.Admin.ClearFaultsAsync("exalsius");
        await emu.GetJsonAsync("exalsius/v1/nodes");
        Assert.Equal(0, (await emu.Admin.GetFaultsAsync("exalsius")).Random.ErrorRate);
    }

    [Fact]
    public async Task AllProvidersCanBeFaultedAtOnce()
    {
        await using var emu = await TestEmulator.StartAsync();
        await emu.Admin.SetFaultsAsync("*", new RandomFaultSettings { ErrorRate = 1, ErrorCodes = [503] });
        foreach (var path in new[] { "voltagepark/v1/fleets", "exalsius/v1/nodes", "together/v1/compute/clusters", "sfcompute/v1/nodes" })
        {
            await emu.GetJsonAsync(path, HttpStatusCode.ServiceUnavailable);
        }

        await emu.Admin.ClearFaultsAsync("*");
        await emu.GetJsonAsync("together/v1/compute/clusters");
    }

    [Fact]
    public async Task FaultsFromOptionsApplyFromTheStart()
    {
        await using var emu = await TestEmulator.StartAsync(o =>
        {
            o.Faults["sfcompute"] = new RandomFaultSettings { RateLimitRate = 1, RetryAfterSeconds = 2 };
            o.FaultScripts["together"] = [new ScriptedFault { Kind = "status", Status = 500 }];
        });
        using var limited = await emu.GetAsync("sfcompute/v1/nodes");
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        await emu.GetJsonAsync("together/v1/compute/clusters", HttpStatusCode.InternalServerError);
        await emu.GetJsonAsync("together/v1/compute/clusters");
    }

    [Fact]
    public async Task InvalidFaultSettingsAreRejected()
    {
        await using var emu = await TestEmulator.StartAsync();
        await Assert.ThrowsAsync<HttpRequestException>(() => emu.Admin.SetFaultsAsync("together", new RandomFaultSettings { ErrorRate = 2 }));
        await Assert.ThrowsAsync<HttpRequestException>(() => emu.Admin.AddScriptedFaultsAsync("together", new ScriptedFault { Kind = "explode" }));
        await Assert.ThrowsAsync<HttpRequestException>(() => emu.Admin.SetFaultsAsync("nowhere", new RandomFaultSettings()));
    }

    private static async Task<List<int>> RandomStatusesAsync(int seed)
    {
        await using var emu = await TestEmulator.StartAsync();
        await emu.Admin.SetFaultsAsync("voltagepark", new RandomFaultSettings { ErrorRate = 0.5, ErrorCodes = [503], Seed = seed });
        var statuses = new List<int>();
        for (var i = 0; i < 20; i++)
        {
            using var response = await emu.GetAsync("voltagepark/v1/fleets");
            statuses.Add((int)response.StatusCode);
        }

        return statuses;
    }
}
