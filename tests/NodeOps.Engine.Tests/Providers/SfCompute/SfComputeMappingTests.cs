using System.Text;
using NodeOps.Engine.Json;
using NodeOps.Engine.Providers.SfCompute;
using static NodeOps.Engine.Tests.Providers.SfCompute.SfComputeTestData;

namespace NodeOps.Engine.Tests.Providers.SfCompute;

/// <summary>Status, VM status and time mapping (providers-api.md §5), from JSON as the API sends it.</summary>
public sealed class SfComputeMappingTests
{
    private static readonly Uri Endpoint = new("https://api.sfcompute.com");

    private static SfComputeNode Map(string json) =>
        SfComputeMapping.ToNode(
            JsonReply.Parse(Encoding.UTF8.GetBytes(json), SfComputeJsonContext.Default.SfNode, CloudProvider.SFCompute, "test"),
            Endpoint);

    [Theory]
    [InlineData("pending", GpuNodeStatus.Provisioning)]
    [InlineData("awaitingcapacity", GpuNodeStatus.Provisioning)]
    [InlineData("running", GpuNodeStatus.Ready)]
    [InlineData("released", GpuNodeStatus.Terminating)]
    [InlineData("terminated", GpuNodeStatus.Terminated)]
    [InlineData("deleted", GpuNodeStatus.Terminated)]
    [InlineData("failed", GpuNodeStatus.Failed)]
    [InlineData("unknown", GpuNodeStatus.Unknown)]
    [InlineData("awaiting_allocation", GpuNodeStatus.Unknown)]
    [InlineData("hibernating", GpuNodeStatus.Unknown)]
    [InlineData("", GpuNodeStatus.Unknown)]
    public void Every_node_status_maps_and_the_raw_value_is_kept(string status, GpuNodeStatus expected)
    {
        var node = Map(Node(status: status));

        Assert.Equal(expected, node.Status);
        Assert.Equal(status, node.ProviderStatus);
    }

    [Fact]
    public void A_missing_status_is_Unknown()
    {
        var node = Map("""{"object":"node","id":"n_1","name":"x"}""");

        Assert.Equal(GpuNodeStatus.Unknown, node.Status);
        Assert.Null(node.ProviderStatus);
        Assert.Null(node.CurrentVm);
        Assert.Empty(node.Vms);
        Assert.Null(node.CreatedAt);
    }

    [Theory]
    [InlineData("Running", GpuNodeStatus.Ready)]
    [InlineData("running", GpuNodeStatus.Ready)]
    [InlineData("RUNNING", GpuNodeStatus.Ready)]
    [InlineData("NodeFailure", GpuNodeStatus.Failed)]
    [InlineData("nodefailure", GpuNodeStatus.Failed)]
    [InlineData("Pending", GpuNodeStatus.Provisioning)]
    [InlineData("pending", GpuNodeStatus.Provisioning)]
    [InlineData("Unspecified", GpuNodeStatus.Ready)]
    [InlineData("Rebooting", GpuNodeStatus.Ready)]
    public void A_running_nodes_first_vm_refines_its_status_whatever_the_casing(string vmStatus, GpuNodeStatus expected)
    {
        var node = Map(Node(status: "running", vms: [Vm("vm_first", vmStatus)]));

        Assert.Equal(expected, node.Status);
        Assert.Equal("running", node.ProviderStatus);
        Assert.Equal(vmStatus, node.VmStatus);
    }

    [Theory]
    [InlineData("Pending")]
    [InlineData("pending")]
    [InlineData("PENDING")]
    public void A_pending_vm_after_an_earlier_vm_is_a_redeploy_in_progress(string vmStatus)
    {
        var node = Map(Node(status: "running", vms: [Vm("vm_old", "Destroyed", 1700000000), Vm("vm_new", vmStatus, 1700003600)]));

        Assert.Equal(GpuNodeStatus.Remediating, node.Status);
        Assert.Equal("vm_new", node.CurrentVm!.Id);
    }

    [Fact]
    public void A_pending_vm_without_a_vms_list_is_Provisioning_for_want_of_evidence_of_a_redeploy()
    {
        var node = Map(Node(status: "running", vms: [], current: Vm("vm_new", "Pending"), withVmsList: false));

        Assert.Equal(GpuNodeStatus.Provisioning, node.Status);
    }

    [Theory]
    [InlineData("pending")]
    [InlineData("released")]
    [InlineData("failed")]
    public void The_vm_refines_only_a_running_node(string status)
    {
        var node = Map(Node(status: status, vms: [Vm("vm_old", "Destroyed"), Vm("vm_new", "Pending")]));

        Assert.NotEqual(GpuNodeStatus.Remediating, node.Status);
    }

    [Fact]
    public void A_running_node_with_a_null_current_vm_is_Ready()
    {
        var node = Map(Node(status: "running", vms: [], current: "null"));

        Assert.Equal(GpuNodeStatus.Ready, node.Status);
        Assert.Null(node.CurrentVm);
        Assert.Null(node.VmStatus);
    }

    [Theory]
    [InlineData("Pending", RemediationState.Running)]
    [InlineData("pending", RemediationState.Running)]
    [InlineData("Running", RemediationState.Succeeded)]
    [InlineData("running", RemediationState.Succeeded)]
    [InlineData("NodeFailure", RemediationState.Failed)]
    [InlineData("NODEFAILURE", RemediationState.Failed)]
    [InlineData("Destroyed", RemediationState.Failed)]
    [InlineData("destroyed", RemediationState.Failed)]
    [InlineData("Unspecified", RemediationState.Unknown)]
    [InlineData("Migrating", RemediationState.Unknown)]
    [InlineData("", RemediationState.Unknown)]
    public void Vm_status_maps_to_the_redeploys_state(string vmStatus, RemediationState expected)
    {
        var node = Map(Node(vms: [Vm("vm_old", "Destroyed"), Vm("vm_new", vmStatus)]));

        var r = SfComputeMapping.ToRemediation(node.CurrentVm!, node);

        Assert.Equal(expected, r.State);
        Assert.Equal(vmStatus, r.ProviderState);
        Assert.Equal("vm_new", r.Id);
        Assert.Equal("redeploy", r.Action);
        Assert.Equal(expected.IsTerminal() ? node.CurrentVm!.UpdatedAt : null, r.CompletedAt);
        Assert.Equal(expected == RemediationState.Failed, r.Error is not null);
    }

    [Fact]
    public void A_destroyed_vm_replaced_by_a_later_one_names_its_successor()
    {
        var node = Map(Node(vms: [Vm("vm_a", "Destroyed"), Vm("vm_b", "Destroyed"), Vm("vm_c", "Running")]));

        var r = SfComputeMapping.ToRemediation(node.Vms[1], node);

        Assert.Equal(RemediationState.Failed, r.State);
        Assert.Contains("vm_c", r.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Unix_seconds_become_utc_times()
    {
        var node = Map("""
            {"object":"node","id":"n_1","name":"x","status":"running","created_at":0,"updated_at":1,"start_at":1700000000,"end_at":253402300799,"deleted_at":1640995200,
             "current_vm":{"object":"vm","id":"vm_1","status":"Running","created_at":1641003600,"updated_at":1641003601,"start_at":1641003602,"end_at":1641007200,"zone":"z","image_id":null}}
            """);

        Assert.Equal(DateTimeOffset.UnixEpoch, node.CreatedAt);
        Assert.Equal(DateTimeOffset.UnixEpoch.AddSeconds(1), node.UpdatedAt);
        Assert.Equal(new DateTimeOffset(2023, 11, 14, 22, 13, 20, TimeSpan.Zero), node.StartAt);
        Assert.Equal(new DateTimeOffset(9999, 12, 31, 23, 59, 59, TimeSpan.Zero), node.EndAt);
        Assert.Equal(new DateTimeOffset(2022, 1, 1, 0, 0, 0, TimeSpan.Zero), node.DeletedAt);
        Assert.Equal(TimeSpan.Zero, node.CreatedAt!.Value.Offset);
        var vm = node.CurrentVm!;
        Assert.Equal(new DateTimeOffset(2022, 1, 1, 2, 20, 0, TimeSpan.Zero), vm.CreatedAt);
        Assert.Equal(new DateTimeOffset(2022, 1, 1, 2, 20, 1, TimeSpan.Zero), vm.UpdatedAt);
        Assert.Equal(new DateTimeOffset(2022, 1, 1, 2, 20, 2, TimeSpan.Zero), vm.StartAt);
        Assert.Equal(new DateTimeOffset(2022, 1, 1, 3, 20, 0, TimeSpan.Zero), vm.EndAt);
        Assert.Null(vm.ImageId);
    }

    [Theory]
    [InlineData("""{"object":"node","id":"n_1","created_at":-1}""")]
    [InlineData("""{"object":"node","id":"n_1","created_at":253402300800}""")]
    [InlineData("""{"object":"node","id":"n_1","current_vm":{"id":"vm_1","created_at":-5}}""")]
    public void Out_of_range_times_are_an_InvalidResponse(string json)
    {
        var ex = Assert.Throws<NodeOpsException>(() => Map(json));

        Assert.Equal(ErrorKind.InvalidResponse, ex.Kind);
        Assert.Contains("out of range", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"object":"node","name":"x","status":"running"}""", "'id'")]
    [InlineData("""{"object":"node","id":"n_1","current_vm":{"object":"vm","status":"Running"}}""", "'id'")]
    [InlineData("""{"object":"node","id":"n_1","vms":{"object":"list","data":[{"object":"vm"}]}}""", "'id'")]
    public void A_node_or_vm_without_an_id_is_an_InvalidResponse(string json, string field)
    {
        var ex = Assert.Throws<NodeOpsException>(() => Map(json));

        Assert.Equal(ErrorKind.InvalidResponse, ex.Kind);
        Assert.Contains(field, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_redeploy_reply_without_a_current_vm_is_accepted_without_an_id()
    {
        var node = Map(Node(vms: [], current: "null"));

        var r = SfComputeMapping.ToRedeploy(node);

        Assert.Null(r.Id);
        Assert.Equal(RemediationState.Accepted, r.State);
        Assert.Equal(node.Id, r.NodeId);
    }
}
