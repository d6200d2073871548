using System.Text.Json;
using NodeOps.Engine.Json;
using NodeOps.Engine.Providers.Together;
using NodeOps.Engine.Tests.Support;

namespace NodeOps.Engine.Tests.Providers.Together;

public sealed class TogetherSeedTests
{
    private static readonly Uri Endpoint = new("https://api.together.ai");

    [Fact]
    public void Seed_remediation_example_maps_every_field()
    {
        var wire = JsonReply.Parse(SeedFiles.Bytes("together-remediation.response.json"), TogetherJsonContext.Default.TgRemediation, CloudProvider.Together, "seed");
        var r = TogetherMapping.ToRemediation(wire, Endpoint);

        Assert.Equal(CloudProvider.Together, r.Provider);
        Assert.Equal("<string>", r.Id);
        Assert.Equal("<string>", r.NodeId);
        Assert.Equal("<string>", r.ClusterId);
        Assert.Equal("REMEDIATION_MODE_VM_ONLY", r.Action);
        Assert.Equal("REMEDIATION_TRIGGER_MANUAL", r.Trigger);
        Assert.Equal(RemediationState.PendingApproval, r.State);
        Assert.Equal("PENDING_APPROVAL", r.ProviderState);
        Assert.Equal(new DateTimeOffset(2023, 11, 7, 5, 31, 56, TimeSpan.Zero), r.CreatedAt);
        Assert.Equal(r.CreatedAt, r.StartedAt);
        Assert.Equal(r.CreatedAt, r.CompletedAt);
        Assert.Equal("<string>", r.ReviewComment);
        Assert.Equal("<string>", r.Error);
    }

    [Fact]
    public void Seed_list_example_has_one_remediation_and_a_next_page()
    {
        var list = JsonReply.Parse(SeedFiles.Bytes("together-list-remediations.response.json"), TogetherJsonContext.Default.TgRemediationList, CloudProvider.Together, "seed");

        Assert.True(list.HasNext);
        Assert.Equal("<string>", list.NextPageToken);
        var r = TogetherMapping.ToRemediation(Assert.Single(list.Remediations!), Endpoint);
        Assert.Equal(RemediationState.PendingApproval, r.State);
    }

    [Fact]
    public void Create_body_uses_the_seed_wire_names_and_omits_a_missing_reason()
    {
        using var seed = JsonDocument.Parse(SeedFiles.Text("together-create-remediation.request.json"));
        var names = seed.RootElement.EnumerateObject().Select(p => p.Name).ToHashSet();

        var full = JsonSerializer.Serialize(new TgCreateRemediationBody { Mode = TogetherModes.VmOnly, Reason = "x" }, TogetherJsonContext.Default.TgCreateRemediationBody);
        using var doc = JsonDocument.Parse(full);
        Assert.Equal(names, doc.RootElement.EnumerateObject().Select(p => p.Name).ToHashSet());

        var bare = JsonSerializer.Serialize(new TgCreateRemediationBody { Mode = TogetherModes.VmOnly }, TogetherJsonContext.Default.TgCreateRemediationBody);
        Assert.Equal("""{"mode":"REMEDIATION_MODE_VM_ONLY"}""", bare);
    }

    [Theory]
    [InlineData("PENDING_APPROVAL", null, RemediationState.PendingApproval)]
    [InlineData("PENDING", null, RemediationState.Pending)]
    [InlineData("RUNNING", null, RemediationState.Running)]
    [InlineData("QUARANTINING", null, RemediationState.Running)]
    [InlineData("QUARANTINED", null, RemediationState.Running)]
    [InlineData("SUCCEEDED", null, RemediationState.Succeeded)]
    [InlineData("FAILED", null, RemediationState.Failed)]
    [InlineData("CANCELLED", null, RemediationState.Cancelled)]
    [InlineData("CANCELLED", "ops@example.com", RemediationState.Rejected)]
    [InlineData("AUTO_RESOLVED", null, RemediationState.AutoResolved)]
    [InlineData("SOMETHING_NEW", null, RemediationState.Unknown)]
    public void Remediation_states_normalise(string wire, string? reviewedBy, RemediationState expected) =>
        Assert.Equal(expected, TogetherMapping.RemediationStateOf(wire, reviewedBy));

    [Theory]
    [InlineData("NODE_PHASE_RUNNING", null, false, false, GpuNodeStatus.Ready)]
    [InlineData("NODE_PHASE_BOOTING", null, false, false, GpuNodeStatus.Provisioning)]
    [InlineData("NODE_PHASE_PAUSED", null, false, false, GpuNodeStatus.Stopped)]
    [InlineData("NODE_PHASE_FAILED", null, false, false, GpuNodeStatus.Failed)]
    [InlineData("NODE_PHASE_SUCCEEDED", null, false, false, GpuNodeStatus.Terminated)]
    [InlineData("NODE_PHASE_RUNNING", "RUNNING", false, false, GpuNodeStatus.Remediating)]
    [InlineData("NODE_PHASE_RUNNING", "PENDING_APPROVAL", false, false, GpuNodeStatus.Degraded)]
    [InlineData("NODE_PHASE_BOOTING", "PENDING_APPROVAL", false, false, GpuNodeStatus.Provisioning)]
    [InlineData("NODE_PHASE_RUNNING", "SUCCEEDED", false, false, GpuNodeStatus.Ready)]
    [InlineData("NODE_PHASE_RUNNING", null, true, false, GpuNodeStatus.Terminating)]
    [InlineData("NODE_PHASE_RUNNING", null, false, true, GpuNodeStatus.Terminated)]
    [InlineData("NODE_PHASE_HIBERNATING", null, false, false, GpuNodeStatus.Unknown)]
    [InlineData(null, null, false, false, GpuNodeStatus.Unknown)]
    public void Node_status_follows_remediation_deletion_then_phase(string? phase, string? remediation, bool marked, bool deleted, GpuNodeStatus expected) =>
        Assert.Equal(expected, TogetherMapping.NodeStatusOf(phase, remediation, marked, deleted));

    [Theory]
    [InlineData("NODE_PHASE_RUNNING", "NotReady", GpuNodeStatus.Degraded)]
    [InlineData("NODE_PHASE_RUNNING", "degraded", GpuNodeStatus.Degraded)]
    [InlineData("NODE_PHASE_RUNNING", "Ready", GpuNodeStatus.Ready)]
    [InlineData("NODE_PHASE_PAUSED", "NotReady", GpuNodeStatus.Stopped)]
    [InlineData(null, "Ready", GpuNodeStatus.Ready)]
    [InlineData(null, "NotReady", GpuNodeStatus.Unknown)]
    [InlineData(null, "SomethingNew", GpuNodeStatus.Unknown)]
    public void A_running_node_whose_worker_status_is_not_ready_is_degraded(string? phase, string workerStatus, GpuNodeStatus expected) =>
        Assert.Equal(expected, TogetherMapping.NodeStatusOf(phase, null, markedForDeletion: false, deleted: false, workerStatus));

    [Fact]
    public void Worker_node_maps_instance_id_latest_phase_and_cluster_fields()
    {
        const string json = """
            {"cluster_id":"c1","cluster_name":"train","region":"us-central-8","gpu_type":"H100_SXM","status":"Degraded",
             "gpu_worker_nodes":[{"node_id":"k8s-node-1","node_name":"w1","host_name":"w1.example","status":"Ready","instance_id":"i-1",
               "num_cpu_cores":96,"num_gpus":8,"memory_gib":1024,"networks":[],"marked_for_deletion":false,
               "phase_transitions":[{"phase":"NODE_PHASE_RUNNING","transition_time":"2025-01-02T00:00:00Z"},{"phase":"NODE_PHASE_BOOTING","transition_time":"2025-01-01T00:00:00Z"}]}]}
            """;
        var cluster = JsonReply.Parse(System.Text.Encoding.UTF8.GetBytes(json), TogetherJsonContext.Default.TgCluster, CloudProvider.Together, "test");
        var node = TogetherMapping.ToNode(cluster.GpuWorkerNodes![0], cluster, Endpoint, deleted: false);

        Assert.Equal("i-1", node.Id);
        Assert.Equal("k8s-node-1", node.WorkerNodeId);
        Assert.Equal("w1.example", node.Name);
        Assert.Equal(GpuNodeStatus.Ready, node.Status);
        Assert.Equal("NODE_PHASE_RUNNING", node.ProviderStatus);
        Assert.Equal(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero), node.CreatedAt);
        Assert.Equal(8, node.GpuCount);
        Assert.Equal("H100_SXM", node.GpuType);
        Assert.Equal("us-central-8", node.Region);
        Assert.Equal("c1", node.ClusterId);
        Assert.Equal(ClusterStatus.Degraded, TogetherMapping.ToCluster(cluster, Endpoint).Status);
    }

    [Fact]
    public void A_remediation_without_an_id_is_an_invalid_response()
    {
        var wire = JsonReply.Parse("""{"instance_id":"i-1","state":"PENDING"}"""u8, TogetherJsonContext.Default.TgRemediation, CloudProvider.Together, "test");
        var ex = Assert.Throws<NodeOpsException>(() => TogetherMapping.ToRemediation(wire, Endpoint));
        Assert.Equal(ErrorKind.InvalidResponse, ex.Kind);
        Assert.Contains("'id'", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("VmOnly", "REMEDIATION_MODE_VM_ONLY")]
    [InlineData("hostaware", "REMEDIATION_MODE_HOST_AWARE")]
    [InlineData(null, "REMEDIATION_MODE_VM_ONLY")]
    [InlineData("REMEDIATION_MODE_FUTURE_THING", "REMEDIATION_MODE_FUTURE_THING")]
    public void Modes_accept_short_and_wire_names(string? given, string wire) => Assert.Equal(wire, TogetherModes.ToWire(given));

    [Fact]
    public void Unknown_modes_are_refused_naming_the_parameter()
    {
        var ex = Assert.Throws<NodeOpsException>(() => TogetherModes.ToWire("reboot please"));
        Assert.Contains("-Mode", ex.Message, StringComparison.Ordinal);
    }
}
