using NodeOps.Emulator;
using NodeOps.Emulator.Admin;
using NodeOps.Emulator.Faults;
using NodeOps.Engine.Providers.SfCompute;
using NodeOps.Engine.Tests.Support;

namespace NodeOps.Engine.Tests.Providers.SfCompute;

/// <summary>
/// Every SF Compute endpoint against the emulator over loopback HTTP. Tests that change a node add their
/// own (admin API), so the seeded nodes stay as the emulator's README describes them.
/// </summary>
public sealed class SfComputeEmulatorTests(EmulatorFixture emulator) : IClassFixture<EmulatorFixture>
{
    private const string Provider = "sfcompute";

    private NodeOpsClient Client(NodeOpsClientOptions? options = null) => emulator.Client(CloudProvider.SFCompute, options);

    private SfComputeClient Sf(NodeOpsClientOptions? options = null) => Client(options).ProviderClient<SfComputeClient>();

    private static string NewId() => "n_" + Guid.NewGuid().ToString("N")[..16];

    /// <summary>Adds an autoreserved node (the admin API makes every SF node autoreserved).</summary>
    private async Task<string> AddNodeAsync(string status = "running", string? vmStatus = null, string? procurementId = null)
    {
        var id = NewId();
        await emulator.Admin.AddNodeAsync(Provider, new AdminNodeRequest
        {
            Id = id,
            Name = "test-" + id[2..],
            Status = status,
            VmStatus = vmStatus,
            ClusterId = procurementId ?? "proc_test" + id[2..10],
        });
        return id;
    }

    private async Task<List<RequestLogEntry>> RequestsAsync(string method, string pathContains) =>
        (await emulator.Admin.GetRequestsAsync(Provider))
            .Where(e => e.Method == method && e.Path.Contains(pathContains, StringComparison.Ordinal))
            .ToList();

    // ---- list and get ----------------------------------------------------------------------------

    [Fact]
    public async Task Lists_the_seeded_nodes_with_known_statuses_and_their_vms()
    {
        var nodes = await Sf().ListNodesAsync(names: ["gpu-01-001", "gpu-01-002", "gpu-01-003", "gpu-01-004", "gpu-01-005", "gpu-01-006", "gpu-01-007"]).ToListAsync();

        var byName = nodes.ToDictionary(n => n.Name!);
        Assert.Equal(7, byName.Count);
        Assert.Equal(GpuNodeStatus.Ready, byName["gpu-01-001"].Status);
        Assert.Equal(GpuNodeStatus.Ready, byName["gpu-01-002"].Status);
        Assert.Equal(GpuNodeStatus.Failed, byName["gpu-01-003"].Status);
        Assert.Equal(GpuNodeStatus.Terminated, byName["gpu-01-004"].Status);
        Assert.Equal(GpuNodeStatus.Provisioning, byName["gpu-01-005"].Status);
        Assert.Equal(GpuNodeStatus.Provisioning, byName["gpu-01-006"].Status);
        Assert.Equal(GpuNodeStatus.Terminating, byName["gpu-01-007"].Status);

        // The two VM status casings of the SDK and the docs both read as running.
        Assert.Equal("Running", byName["gpu-01-001"].VmStatus);
        Assert.Equal("running", byName["gpu-01-002"].VmStatus);
        Assert.Equal("NodeFailure", byName["gpu-01-003"].VmStatus, StringComparer.OrdinalIgnoreCase);
        Assert.All(nodes, n =>
        {
            Assert.StartsWith("n_", n.Id, StringComparison.Ordinal);
            Assert.StartsWith("proc_", n.ClusterId, StringComparison.Ordinal);
            Assert.Equal(n.ClusterId, n.ProcurementId);
            Assert.Null(n.GpuCount);
            Assert.NotNull(n.CreatedAt);
            Assert.Equal(emulator.BaseUrl(CloudProvider.SFCompute), n.Endpoint);
            if (n.CurrentVm is { } vm)
            {
                Assert.Contains(n.Vms, v => v.Id == vm.Id);
            }
        });
    }

    [Fact]
    public async Task Lists_every_seeded_node_and_none_maps_to_Unknown()
    {
        var all = await Client().GetNodesAsync().ToListAsync();

        Assert.True(all.Count >= 40, $"{all.Count} nodes");
        Assert.DoesNotContain(all, n => n.Status == GpuNodeStatus.Unknown);
        Assert.Contains(all, n => ((SfComputeNode)n).Vms.Count > 1);
        Assert.Equal(all.Count, all.Select(n => n.Id).Distinct().Count());
    }

    [Fact]
    public async Task Filters_by_ids_names_type_and_procurement()
    {
        var all = await Sf().ListNodesAsync().ToListAsync();
        var two = all.Where(n => n.Name!.StartsWith("gpu-", StringComparison.Ordinal)).Take(2).ToList();

        var byIds = await Client().GetNodesAsync(new NodeQuery { Ids = two.Select(n => n.Id).ToList() }).ToListAsync();
        var byNames = await Client().GetNodesAsync(new NodeQuery { Names = two.Select(n => n.Name!).ToList() }).ToListAsync();
        var reserved = await Client().GetNodesAsync(new NodeQuery { NodeType = "reserved" }).ToListAsync();
        var procurement = all[0].ProcurementId!;
        var inProcurement = await Client().GetNodesAsync(new NodeQuery { ClusterId = procurement }).ToListAsync();

        Assert.Equal(two.Select(n => n.Id).Order(), byIds.Select(n => n.Id).Order());
        Assert.Equal(two.Select(n => n.Id).Order(), byNames.Select(n => n.Id).Order());
        Assert.NotEmpty(reserved);
        Assert.All(reserved, n => Assert.Equal("reserved", ((SfComputeNode)n).NodeType));
        Assert.Equal(all.Count(n => n.NodeType == "reserved"), reserved.Count);
        Assert.Equal(all.Count(n => n.ProcurementId == procurement), inProcurement.Count);
        Assert.All(inProcurement, n => Assert.Equal(procurement, n.ClusterId));

        var queries = (await emulator.Admin.GetRequestsAsync(Provider)).Where(e => e.Method == "GET" && e.Path.EndsWith("/v1/nodes", StringComparison.Ordinal)).Select(e => e.Query).ToList();
        Assert.Contains($"id={two[0].Id}&id={two[1].Id}", queries);
        Assert.Contains("type=reserved", queries);
    }

    [Fact]
    public async Task Gets_a_node_by_id_and_by_name()
    {
        var seeded = await Sf().ListNodesAsync(names: ["gpu-02-001"]).SingleAsync();

        var byId = await Client().GetNodeAsync(seeded.Id);
        var byName = await Sf().GetNodeAsync("gpu-02-001");

        Assert.Equal(seeded.Id, byId.Id);
        Assert.Equal(seeded.Id, byName.Id);
        Assert.Equal("gpu-02-001", byName.Name);
        Assert.Equal(seeded.CurrentVm!.Id, byName.CurrentVm!.Id);
    }

    [Fact]
    public async Task A_missing_node_is_NotFound_in_the_v2_error_shape()
    {
        var ex = await Assert.ThrowsAsync<NodeOpsApiException>(() => Sf().GetNodeAsync("n_doesnotexist0000"));

        Assert.Equal(ErrorKind.NotFound, ex.Kind);
        Assert.Equal(404, ex.StatusCode);
        Assert.Equal("not_found", ex.ProviderCode);
        Assert.False(string.IsNullOrEmpty(ex.ProviderMessage));
    }

    [Fact]
    public async Task Unknown_statuses_and_awkward_ids_survive_the_round_trip()
    {
        var id = "odd/id " + Guid.NewGuid().ToString("N")[..8];
        await emulator.Admin.AddNodeAsync(Provider, new AdminNodeRequest { Id = id, Status = "hibernating" });

        var node = await Sf().GetNodeAsync(id);

        Assert.Equal(id, node.Id);
        Assert.Equal(GpuNodeStatus.Unknown, node.Status);
        Assert.Equal("hibernating", node.ProviderStatus);
    }

    [Fact]
    public async Task A_wrong_token_is_an_authentication_error()
    {
        var ex = await Assert.ThrowsAsync<NodeOpsApiException>(() => emulator.Client(CloudProvider.SFCompute, token: "wrong").GetNodesAsync().ToListAsync().AsTask());

        Assert.Equal(ErrorKind.AuthenticationFailed, ex.Kind);
        Assert.Equal("authentication_error", ex.ProviderCode);
    }

    // ---- redeploy ---------------------------------------------------------------------------------

    [Fact]
    public async Task Redeploy_replaces_the_vm_and_is_tracked_to_Succeeded()
    {
        var id = await AddNodeAsync(vmStatus: "Running");
        var before = await Sf().GetNodeAsync(id);
        var settings = await emulator.Admin.GetSettingsAsync();

        // A long boot first, so the node is seen mid-redeploy however slow this machine is; then the
        // usual short one, so the wait below ends quickly.
        await emulator.Admin.UpdateSettingsAsync(new EmulatorSettingsUpdate { SfVmBootMs = 60_000 });
        Remediation redeploy;
        GpuNode during;
        try
        {
            redeploy = await Client().RedeployNodeAsync(new RedeployRequest { NodeId = id, CloudInitUserData = "I2Nsb3VkLWNvbmZpZwo=" });
            during = await Client().GetNodeAsync(id);
        }
        finally
        {
            await emulator.Admin.UpdateSettingsAsync(new EmulatorSettingsUpdate { SfVmBootMs = settings.SfVmBootMs });
        }

        Assert.NotNull(redeploy.Id);
        Assert.NotEqual(before.CurrentVm!.Id, redeploy.Id);
        Assert.Equal(id, redeploy.NodeId);
        Assert.Equal("redeploy", redeploy.Action);
        Assert.Equal(RemediationState.Running, redeploy.State);
        Assert.Equal("Pending", redeploy.ProviderState, StringComparer.OrdinalIgnoreCase);
        Assert.Equal(GpuNodeStatus.Remediating, during.Status);

        var done = await Client().WaitForRemediationAsync(new RemediationRef(redeploy.Id, id), TimeSpan.FromSeconds(15));

        Assert.Equal(RemediationState.Succeeded, done.State);
        Assert.NotNull(done.CompletedAt);
        var after = await Sf().GetNodeAsync(id);
        Assert.Equal(GpuNodeStatus.Ready, after.Status);
        Assert.Equal(redeploy.Id, after.CurrentVm!.Id);
        Assert.Equal("destroyed", after.Vms.Single(v => v.Id == before.CurrentVm.Id).Status, StringComparer.OrdinalIgnoreCase);

        var old = await Client().GetRemediationAsync(new RemediationRef(before.CurrentVm.Id, id));
        Assert.Equal(RemediationState.Failed, old.State);
        Assert.Contains(redeploy.Id!, old.Error, StringComparison.Ordinal);

        var put = Assert.Single(await RequestsAsync("PUT", id));
        Assert.Equal("""{"cloud_init_user_data":"I2Nsb3VkLWNvbmZpZwo="}""", put.Body);
        Assert.Equal(1, (await emulator.Admin.GetCountsAsync()).RemediationCount(Provider, id));
    }

    [Fact]
    public async Task Invoke_remediation_redeploys_with_the_settings()
    {
        var a = await AddNodeAsync();
        var b = await AddNodeAsync();

        var outcomes = await Client().RemediateAsync([new RemediationTarget(a), new RemediationTarget(b)], new RemediationSettings { OverrideEmpty = true }).ToListAsync();

        Assert.Equal(2, outcomes.Count);
        Assert.All(outcomes, o => Assert.True(o.Succeeded, o.Error?.Message));
        Assert.All(outcomes, o => Assert.StartsWith("vm_", o.Remediation!.Id, StringComparison.Ordinal));
        var counts = await emulator.Admin.GetCountsAsync();
        Assert.Equal(1, counts.RemediationCount(Provider, a));
        Assert.Equal(1, counts.RemediationCount(Provider, b));
        Assert.Equal("""{"override_empty":true}""", Assert.Single(await RequestsAsync("PUT", a)).Body);
    }

    [Fact]
    public async Task Redeploy_is_not_resent_after_the_connection_drops_once_the_server_acted()
    {
        var id = await AddNodeAsync();
        await emulator.Admin.AddScriptedFaultsAsync(Provider, new ScriptedFault { Kind = "drop-after", Method = "PUT", PathContains = $"/{id}/redeploy" });

        var ex = await Assert.ThrowsAsync<NodeOpsException>(() => Sf().RedeployAsync(id));

        Assert.Equal(ErrorKind.OutcomeUnknown, ex.Kind);
        var log = await RequestsAsync("PUT", id);
        Assert.Equal("drop-after", Assert.Single(log).Fault);
        Assert.Equal(1, (await emulator.Admin.GetCountsAsync()).RemediationCount(Provider, id));

        // What the error recommends: look at the node. The redeploy did happen.
        var node = await Sf().GetNodeAsync(id);
        Assert.Equal(2, node.Vms.Count);
    }

    [Fact]
    public async Task Redeploy_is_not_retried_after_a_500()
    {
        var id = await AddNodeAsync();
        await emulator.Admin.AddScriptedFaultsAsync(Provider, new ScriptedFault { Kind = "status", Status = 500, Method = "PUT", PathContains = $"/{id}/redeploy" });

        var ex = await Assert.ThrowsAsync<NodeOpsApiException>(() => Sf().RedeployAsync(id));

        Assert.Equal(ErrorKind.ServerError, ex.Kind);
        Assert.Equal("api_error", ex.ProviderCode);
        Assert.Single(await RequestsAsync("PUT", id));
        Assert.Equal(0, (await emulator.Admin.GetCountsAsync()).RemediationCount(Provider, id));
    }

    [Fact]
    public async Task Redeploy_is_retried_after_a_429()
    {
        var id = await AddNodeAsync();
        await emulator.Admin.AddScriptedFaultsAsync(Provider, new ScriptedFault { Kind = "ratelimit", RetryAfterSeconds = 0, Method = "PUT", PathContains = $"/{id}/redeploy" });

        var redeploy = await Sf().RedeployAsync(id);

        Assert.NotNull(redeploy.Id);
        var log = await RequestsAsync("PUT", id);
        Assert.Equal(2, log.Count);
        Assert.Equal("ratelimit", log[0].Fault);
        Assert.Equal(1, (await emulator.Admin.GetCountsAsync()).RemediationCount(Provider, id));
    }

    [Fact]
    public async Task A_second_redeploy_while_the_first_boots_is_refused_by_the_server()
    {
        var settings = await emulator.Admin.GetSettingsAsync();
        var id = await AddNodeAsync();
        await emulator.Admin.UpdateSettingsAsync(new EmulatorSettingsUpdate { SfVmBootMs = 10_000 });
        try
        {
            await Sf().RedeployAsync(id);
            var ex = await Assert.ThrowsAsync<NodeOpsApiException>(() => Sf().RedeployAsync(id));

            Assert.Equal(ErrorKind.InvalidState, ex.Kind);
            Assert.Equal("conflict", ex.ProviderCode);
        }
        finally
        {
            await emulator.Admin.UpdateSettingsAsync(new EmulatorSettingsUpdate { SfVmBootMs = settings.SfVmBootMs });
        }
    }

    [Theory]
    [InlineData("pending", null)]
    [InlineData("failed", "NodeFailure")]
    public async Task Redeploying_a_node_that_is_not_running_is_InvalidState(string status, string? vmStatus)
    {
        var id = await AddNodeAsync(status, vmStatus);

        var ex = await Assert.ThrowsAsync<NodeOpsApiException>(() => Sf().RedeployAsync(id));

        Assert.Equal(ErrorKind.InvalidState, ex.Kind);
        Assert.Equal(409, ex.StatusCode);
    }

    [Fact]
    public async Task Cloud_init_that_is_not_base64_never_reaches_the_server()
    {
        var id = await AddNodeAsync();

        var ex = await Assert.ThrowsAsync<NodeOpsException>(() => Client().RedeployNodeAsync(new RedeployRequest { NodeId = id, CloudInitUserData = "#cloud-config\nruncmd: []" }));

        Assert.Equal(ErrorKind.InvalidArgument, ex.Kind);
        Assert.Contains("-CloudInitUserData", ex.Message, StringComparison.Ordinal);
        Assert.Empty(await RequestsAsync("PUT", id));
    }

    [Fact]
    public async Task Listing_remediations_is_not_supported()
    {
        var ex = Assert.Throws<NodeOpsException>(() => Client().GetRemediationsAsync(new RemediationQuery()));

        Assert.Equal(ErrorKind.NotSupported, ex.Kind);
    }

    // ---- release ----------------------------------------------------------------------------------

    [Fact]
    public async Task Releases_an_autoreserved_node_once()
    {
        var id = await AddNodeAsync();

        var node = await Client().ReleaseNodeAsync(id);
        var again = await Assert.ThrowsAsync<NodeOpsApiException>(() => Client().ReleaseNodeAsync(id));

        Assert.Equal(GpuNodeStatus.Terminating, node.Status);
        Assert.Equal("released", node.ProviderStatus);
        Assert.Equal(ErrorKind.InvalidState, again.Kind);
        var patch = (await RequestsAsync("PATCH", id)).First();
        Assert.EndsWith($"/v1/nodes/{id}/release", patch.Path, StringComparison.Ordinal);
        Assert.True(string.IsNullOrEmpty(patch.Body));
    }

    [Fact]
    public async Task Release_and_delete_are_not_resent_when_the_connection_is_aborted_after_the_server_acted()
    {
        var released = await AddNodeAsync();
        var deleted = await AddNodeAsync(status: "terminated");
        await emulator.Admin.AddScriptedFaultsAsync(
            Provider,
            new ScriptedFault { Kind = "drop-after", Method = "PATCH", PathContains = $"/{released}/release" },
            new ScriptedFault { Kind = "drop-after", Method = "DELETE", PathContains = $"/{deleted}" });

        var ex1 = await Assert.ThrowsAsync<NodeOpsException>(() => Sf().ReleaseAsync(released));
        var ex2 = await Assert.ThrowsAsync<NodeOpsException>(() => Sf().DeleteAsync(deleted));

        Assert.Equal(ErrorKind.OutcomeUnknown, ex1.Kind);
        Assert.Equal(ErrorKind.OutcomeUnknown, ex2.Kind);
        Assert.Equal("drop-after", Assert.Single(await RequestsAsync("PATCH", released)).Fault);
        Assert.Equal("drop-after", Assert.Single(await RequestsAsync("DELETE", deleted)).Fault);
        Assert.Equal("released", (await Sf().GetNodeAsync(released)).ProviderStatus);
        Assert.Equal("deleted", (await Sf().GetNodeAsync(deleted)).ProviderStatus);
    }

    [Fact]
    public async Task Releasing_a_reserved_node_is_refused()
    {
        // The admin API cannot add reserved SF nodes; the seeded second procurement is reserved, and a
        // refused release changes nothing.
        var reserved = await Sf().ListNodesAsync(names: ["gpu-02-002"]).SingleAsync();
        Assert.Equal("reserved", reserved.NodeType);

        var ex = await Assert.ThrowsAsync<NodeOpsApiException>(() => Sf().ReleaseAsync(reserved.Id));

        Assert.Equal(ErrorKind.ValidationFailed, ex.Kind);
        Assert.Equal("invalid_request_error", ex.ProviderCode);
    }

    // ---- delete -----------------------------------------------------------------------------------

    [Fact]
    public async Task Deletes_a_node_without_vms_and_it_reads_back_as_Terminated()
    {
        var id = await AddNodeAsync(status: "terminated");

        await Client().RemoveNodeAsync(id);

        var node = await Sf().GetNodeAsync(id);
        Assert.Equal(GpuNodeStatus.Terminated, node.Status);
        Assert.Equal("deleted", node.ProviderStatus);
        Assert.NotNull(node.DeletedAt);
        Assert.Equal(204, Assert.Single(await RequestsAsync("DELETE", id)).Status);
    }

    [Fact]
    public async Task Deleting_a_node_with_a_running_vm_is_refused()
    {
        var id = await AddNodeAsync(vmStatus: "Running");

        var ex = await Assert.ThrowsAsync<NodeOpsApiException>(() => Client().RemoveNodeAsync(id));

        Assert.Equal(ErrorKind.InvalidState, ex.Kind);
        Assert.Equal("conflict", ex.ProviderCode);
        Assert.Single(await RequestsAsync("DELETE", id));
        Assert.Equal(GpuNodeStatus.Ready, (await Sf().GetNodeAsync(id)).Status);
    }
}
