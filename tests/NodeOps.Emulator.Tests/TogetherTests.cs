using System.Net;
using System.Text.Json;
using NodeOps.Emulator.Tests.Support;

namespace NodeOps.Emulator.Tests;

public sealed class TogetherTests
{
    private const string VmOnly = """{"mode":"REMEDIATION_MODE_VM_ONLY","reason":"Xid 79 on GPU 3"}""";

    [Fact]
    public async Task ClustersListWorkersWithInstanceIdsLatestRemediationAndDeletedNodes()
    {
        await using var emu = await TestEmulator.StartAsync();
        var clusters = (await emu.GetJsonAsync("together/v1/compute/clusters")).Items("clusters");
        Assert.Equal(2, clusters.Count);
        Assert.Equal("Ready", clusters[0].Str("status"));
        Assert.Equal("Degraded", clusters[1].Str("status"));

        var cluster = await emu.GetJsonAsync("together/v1/compute/clusters/" + clusters[0].Str("cluster_id"));
        var workers = cluster.Items("gpu_worker_nodes");
        Assert.Equal(20, workers.Count);
        Assert.All(workers, w => Assert.NotEqual(w.Str("node_id"), w.Str("instance_id")));
        Assert.All(workers, w => Assert.NotEmpty(w.Items("phase_transitions")));
        Assert.False(workers[0].Has("latest_remediation"));
        var latest = workers[1].GetProperty("latest_remediation");
        Assert.Equal("PENDING_APPROVAL", latest.Str("state"));
        Assert.Equal("REMEDIATION_TRIGGER_AUTOMATED", latest.Str("trigger"));
        Assert.Equal(workers[1].Str("instance_id"), latest.Str("instance_id"));
        Assert.True(workers[5].GetProperty("marked_for_deletion").GetBoolean());

        var deleted = Assert.Single(cluster.Items("deleted_gpu_worker_nodes"));
        Assert.True(deleted.Has("deleted_at"));
        Assert.DoesNotContain(workers, w => w.Str("instance_id") == deleted.Str("instance_id"));
        Assert.Equal(8 * 20, cluster.GetProperty("num_gpus").GetInt32());
        Assert.EndsWith("Z", cluster.Str("created_at"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownClusterIsA404InTheClusterErrorShape()
    {
        await using var emu = await TestEmulator.StartAsync();
        var error = await emu.GetJsonAsync("together/v1/compute/clusters/nope", HttpStatusCode.NotFound);
        AuthTests.AssertProviderErrorShape("together", error, 404, remediationPath: false);
    }

    [Fact]
    public async Task ApiCreatedRemediationsRunPendingRunningSucceeded()
    {
        // A long step first, so PENDING is observed whatever the machine's load; then a short one to finish.
        await using var emu = await TestEmulator.StartAsync(o => o.TogetherStepMs = 60_000);
        var (clusterId, instanceId) = await CleanWorkerAsync(emu);
        var created = await emu.SendJsonAsync(HttpMethod.Post, $"together/v1/compute/clusters/{clusterId}/instances/{instanceId}/remediations", VmOnly, HttpStatusCode.OK);
        Assert.Equal("PENDING", created.Str("state"));
        Assert.Equal("REMEDIATION_TRIGGER_MANUAL", created.Str("trigger"));
        Assert.Equal("REMEDIATION_MODE_VM_ONLY", created.Str("mode"));
        Assert.Equal("Xid 79 on GPU 3", created.Str("reason"));
        Assert.Equal(clusterId, created.Str("cluster_id"));
        Assert.Equal(instanceId, created.Str("instance_id"));
        Assert.False(created.Has("start_time"));
        var id = created.Str("id");
        var path = $"together/v1/compute/clusters/{clusterId}/instances/{instanceId}/remediations/{id}";
        Assert.Equal("PENDING", (await emu.GetJsonAsync(path)).Str("state"));

        await emu.Admin.UpdateSettingsAsync(new EmulatorSettingsUpdate { TogetherStepMs = 100 });
        await Wait.UntilAsync(async () => (await emu.GetJsonAsync(path)).Str("state") == "SUCCEEDED", "remediation SUCCEEDED");

        var done = await emu.GetJsonAsync($"together/v1/compute/clusters/{clusterId}/instances/-/remediations/{id}");
        var createTime = Time(done, "create_time");
        var startTime = Time(done, "start_time");
        var endTime = Time(done, "end_time");
        Assert.Equal(TimeSpan.FromMilliseconds(100), startTime - createTime);
        Assert.Equal(TimeSpan.FromMilliseconds(100), endTime - startTime);
        Assert.Equal(endTime, Time(done, "update_time"));

        var worker = (await emu.GetJsonAsync("together/v1/compute/clusters/" + clusterId)).Items("gpu_worker_nodes").Single(w => w.Str("instance_id") == instanceId);
        Assert.Equal(id, worker.GetProperty("latest_remediation").Str("id"));
        var phases = worker.Items("phase_transitions").TakeLast(2).ToList();
        Assert.Equal(["NODE_PHASE_BOOTING", "NODE_PHASE_RUNNING"], phases.Select(p => p.Str("phase")));
        Assert.Equal(startTime, Time(phases[0], "transition_time"));
        Assert.Equal(endTime, Time(phases[1], "transition_time"));
        Assert.Equal("Ready", worker.Str("status"));
        Assert.Equal(1, (await emu.Admin.GetCountsAsync()).RemediationCount("together", $"{clusterId}/{instanceId}"));
    }

    private static DateTimeOffset Time(JsonElement element, string name)
        => DateTimeOffset.Parse(element.Str(name), System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task RemediationIdMakesCreateIdempotent()
    {
        await using var emu = await TestEmulator.StartAsync();
        var (clusterId, instanceId) = await CleanWorkerAsync(emu);
        var path = $"together/v1/compute/clusters/{clusterId}/instances/{instanceId}/remediations?remediation_id=my-op-42";
        var first = await emu.SendJsonAsync(HttpMethod.Post, path, VmOnly, HttpStatusCode.OK);
        Assert.Equal("my-op-42", first.Str("id"));
        var again = await emu.SendJsonAsync(HttpMethod.Post, path, VmOnly, HttpStatusCode.OK);
        Assert.Equal("my-op-42", again.Str("id"));
        Assert.Equal(first.Str("create_time"), again.Str("create_time"));
        Assert.Equal(1, (await emu.Admin.GetCountsAsync()).RemediationCount("together", $"{clusterId}/{instanceId}"));

        var conflict = await emu.SendJsonAsync(HttpMethod.Post, path, """{"mode":"REMEDIATION_MODE_HOST_AWARE","reason":"Xid 79 on GPU 3"}""", HttpStatusCode.Conflict);
        Assert.Equal(6, conflict.GetProperty("code").GetInt32());

        var otherInstance = (await emu.GetJsonAsync("together/v1/compute/clusters/" + clusterId)).Items("gpu_worker_nodes")[6].Str("instance_id");
        await emu.SendJsonAsync(HttpMethod.Post, $"together/v1/compute/clusters/{clusterId}/instances/{otherInstance}/remediations?remediation_id=my-op-42", VmOnly, HttpStatusCode.Conflict);

        var list = await emu.GetJsonAsync($"together/v1/compute/clusters/{clusterId}/instances/{instanceId}/remediations");
        Assert.Single(list.Items("remediations"), r => r.Str("id") == "my-op-42");
    }

    [Theory]
    [InlineData("{}", 400, 3)]
    [InlineData("""{"reason":"x"}""", 400, 3)]
    [InlineData("""{"mode":"REMEDIATION_MODE_TELEPORT"}""", 400, 3)]
    [InlineData("""{"mode":"REMEDIATION_MODE_VM_ONLY","reason":5}""", 400, 3)]
    [InlineData("", 400, 3)]
    [InlineData("nope", 400, 3)]
    public async Task CreateValidatesTheBody(string body, int status, int code)
    {
        await using var emu = await TestEmulator.StartAsync();
        var (clusterId, instanceId) = await CleanWorkerAsync(emu);
        var error = await emu.SendJsonAsync(HttpMethod.Post, $"together/v1/compute/clusters/{clusterId}/instances/{instanceId}/remediations", body, (HttpStatusCode)status);
        Assert.Equal(code, error.GetProperty("code").GetInt32());
        AuthTests.AssertProviderErrorShape("together", error, status, remediationPath: true);
    }

    [Fact]
    public async Task CreateOnUnknownOrDeletedInstancesIs404()
    {
        await using var emu = await TestEmulator.StartAsync();
        var cluster = await emu.GetJsonAsync("together/v1/compute/clusters/" + (await ClusterIdAsync(emu)));
        var clusterId = cluster.Str("cluster_id");
        var deleted = cluster.Items("deleted_gpu_worker_nodes")[0].Str("instance_id");
        var error = await emu.SendJsonAsync(HttpMethod.Post, $"together/v1/compute/clusters/{clusterId}/instances/{deleted}/remediations", VmOnly, HttpStatusCode.NotFound);
        Assert.Equal(5, error.GetProperty("code").GetInt32());
        await emu.SendJsonAsync(HttpMethod.Post, $"together/v1/compute/clusters/{clusterId}/instances/i-nope/remediations", VmOnly, HttpStatusCode.NotFound);
        await emu.SendJsonAsync(HttpMethod.Post, "together/v1/compute/clusters/nope/instances/i-nope/remediations", VmOnly, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task ApproveMovesPendingApprovalToPendingWithReviewFields()
    {
        await using var emu = await TestEmulator.StartAsync(o => o.TogetherStepMs = 60_000);
        var (clusterId, pending) = await PendingApprovalsAsync(emu);
        var target = pending[0];
        var path = $"together/v1/compute/clusters/{clusterId}/instances/{target.Str("instance_id")}/remediations/{target.Str("id")}";

        await emu.SendJsonAsync(HttpMethod.Post, path + "/approve", null, HttpStatusCode.BadRequest);
        await emu.SendJsonAsync(HttpMethod.Post, path + "/approve", """{"mode":"REMEDIATION_MODE_HOST_POWER_CYCLE"}""", HttpStatusCode.BadRequest);

        var approved = await emu.SendJsonAsync(HttpMethod.Post, path + "/approve", """{"comment":"go ahead","mode":"REMEDIATION_MODE_HOST_AWARE"}""", HttpStatusCode.OK);
        Assert.Equal("PENDING", approved.Str("state"));
        Assert.Equal("go ahead", approved.Str("review_comment"));
        Assert.Equal("REMEDIATION_MODE_HOST_AWARE", approved.Str("mode"));
        Assert.False(string.IsNullOrEmpty(approved.Str("reviewed_by")));
        Assert.True(approved.Has("review_time"));

        var again = await emu.SendJsonAsync(HttpMethod.Post, path + "/approve", "{}", HttpStatusCode.BadRequest);
        Assert.Equal(9, again.GetProperty("code").GetInt32());
        await emu.SendJsonAsync(HttpMethod.Post, path + "/reject", "{}", HttpStatusCode.BadRequest);

        var cancelled = await emu.SendJsonAsync(HttpMethod.Post, path + "/cancel", null, HttpStatusCode.OK);
        Assert.Equal("CANCELLED", cancelled.Str("state"));
    }

    [Fact]
    public async Task ApprovedRemediationsRunToCompletion()
    {
        await using var emu = await TestEmulator.StartAsync(o => o.TogetherStepMs = 100);
        var (clusterId, pending) = await PendingApprovalsAsync(emu);
        var path = $"together/v1/compute/clusters/{clusterId}/instances/-/remediations/{pending[0].Str("id")}";
        await emu.SendJsonAsync(HttpMethod.Post, path + "/approve", "{}", HttpStatusCode.OK);
        await Wait.UntilAsync(async () => (await emu.GetJsonAsync(path)).Str("state") == "SUCCEEDED", "approved remediation succeeded");
        var cancel = await emu.SendJsonAsync(HttpMethod.Post, path + "/cancel", null, HttpStatusCode.BadRequest);
        Assert.Equal(9, cancel.GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task RejectCancelsWithReviewFieldsOnlyFromPendingApproval()
    {
        await using var emu = await TestEmulator.StartAsync();
        var (clusterId, pending) = await PendingApprovalsAsync(emu);
        var path = $"together/v1/compute/clusters/{clusterId}/instances/{pending[1].Str("instance_id")}/remediations/{pending[1].Str("id")}";
        var rejected = await emu.SendJsonAsync(HttpMethod.Post, path + "/reject", """{"comment":"job owner is draining it"}""", HttpStatusCode.OK);
        Assert.Equal("CANCELLED", rejected.Str("state"));
        Assert.Equal("job owner is draining it", rejected.Str("review_comment"));
        Assert.False(string.IsNullOrEmpty(rejected.Str("reviewed_by")));
        Assert.True(rejected.Has("end_time"));
        await emu.SendJsonAsync(HttpMethod.Post, path + "/reject", null, HttpStatusCode.BadRequest);
        await emu.SendJsonAsync(HttpMethod.Post, path + "/cancel", null, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task CancelWorksFromPendingApprovalAndPendingButNotLater()
    {
        await using var emu = await TestEmulator.StartAsync(o => o.TogetherStepMs = 60_000);
        var (clusterId, pending) = await PendingApprovalsAsync(emu);
        var fromApproval = await emu.SendJsonAsync(HttpMethod.Post, $"together/v1/compute/clusters/{clusterId}/instances/-/remediations/{pending[0].Str("id")}/cancel", null, HttpStatusCode.OK);
        Assert.Equal("CANCELLED", fromApproval.Str("state"));
        Assert.False(fromApproval.Has("reviewed_by"));

        var (_, instanceId) = await CleanWorkerAsync(emu);
        var created = await emu.SendJsonAsync(HttpMethod.Post, $"together/v1/compute/clusters/{clusterId}/instances/{instanceId}/remediations", VmOnly, HttpStatusCode.OK);
        var fromPending = await emu.SendJsonAsync(HttpMethod.Post, $"together/v1/compute/clusters/{clusterId}/instances/{instanceId}/remediations/{created.Str("id")}/cancel", null, HttpStatusCode.OK);
        Assert.Equal("CANCELLED", fromPending.Str("state"));

        await emu.Admin.UpdateSettingsAsync(new EmulatorSettingsUpdate { TogetherStepMs = 50 });
        var running = await emu.SendJsonAsync(HttpMethod.Post, $"together/v1/compute/clusters/{clusterId}/instances/{instanceId}/remediations", VmOnly, HttpStatusCode.OK);
        var runningPath = $"together/v1/compute/clusters/{clusterId}/instances/{instanceId}/remediations/{running.Str("id")}";
        await Wait.UntilAsync(async () => (await emu.GetJsonAsync(runningPath)).Str("state") == "SUCCEEDED", "remediation done");
        await emu.SendJsonAsync(HttpMethod.Post, runningPath + "/cancel", null, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task CustomMethodSpellingWithAColonIsAccepted()
    {
        await using var emu = await TestEmulator.StartAsync();
        var (clusterId, pending) = await PendingApprovalsAsync(emu);
        var approved = await emu.SendJsonAsync(HttpMethod.Post, $"together/v1/compute/clusters/{clusterId}/instances/-/remediations/{pending[0].Str("id")}:approve", "{}", HttpStatusCode.OK);
        Assert.Equal("PENDING", approved.Str("state"));
    }

    [Fact]
    public async Task GetRemediationChecksClusterAndInstance()
    {
        await using var emu = await TestEmulator.StartAsync();
        var (clusterId, pending) = await PendingApprovalsAsync(emu);
        var id = pending[0].Str("id");
        await emu.GetJsonAsync($"together/v1/compute/clusters/{clusterId}/instances/{pending[0].Str("instance_id")}/remediations/{id}");
        await emu.GetJsonAsync($"together/v1/compute/clusters/{clusterId}/instances/{pending[1].Str("instance_id")}/remediations/{id}", HttpStatusCode.NotFound);
        var other = (await emu.GetJsonAsync("together/v1/compute/clusters")).Items("clusters")[1].Str("cluster_id");
        var error = await emu.GetJsonAsync($"together/v1/compute/clusters/{other}/instances/-/remediations/{id}", HttpStatusCode.NotFound);
        Assert.Equal(5, error.GetProperty("code").GetInt32());
    }

    internal static async Task<string> ClusterIdAsync(TestEmulator emu)
        => (await emu.GetJsonAsync("together/v1/compute/clusters")).Items("clusters")[0].Str("cluster_id");

    /// <summary>Worker 0 of the first cluster: running, no remediation history (README).</summary>
    internal static async Task<(string ClusterId, string InstanceId)> CleanWorkerAsync(TestEmulator emu)
    {
        var cluster = await emu.GetJsonAsync("together/v1/compute/clusters/" + await ClusterIdAsync(emu));
        return (cluster.Str("cluster_id"), cluster.Items("gpu_worker_nodes")[0].Str("instance_id"));
    }

    internal static async Task<(string ClusterId, List<JsonElement> Pending)> PendingApprovalsAsync(TestEmulator emu)
    {
        var clusterId = await ClusterIdAsync(emu);
        var list = await emu.GetJsonAsync($"together/v1/compute/clusters/{clusterId}/instances/-/remediations?state=PENDING_APPROVAL");
        var pending = list.Items("remediations");
        Assert.Equal(2, pending.Count);
        return (clusterId, pending);
    }
}
