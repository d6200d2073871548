using NodeOps.Emulator.Faults;
using NodeOps.Engine.Providers.Together;
using NodeOps.Engine.Tests.Support;

namespace NodeOps.Engine.Tests.Providers.Together;

public sealed class TogetherEmulatorTests(EmulatorFixture emulator) : IClassFixture<EmulatorFixture>
{
    private NodeOpsClient Client(NodeOpsClientOptions? options = null) => emulator.Client(CloudProvider.Together, options);

    private TogetherClient Together(NodeOpsClientOptions? options = null) => Client(options).ProviderClient<TogetherClient>();

    private async Task<GpuCluster> FirstClusterAsync() => await Client().GetClustersAsync().FirstAsync();

    [Fact]
    public async Task Lists_clusters_and_gets_each_one()
    {
        var clusters = await Client().GetClustersAsync().ToListAsync();

        Assert.NotEmpty(clusters);
        foreach (var c in clusters)
        {
            var one = await Client().GetClusterAsync(c.Id);
            Assert.Equal(c.Id, one.Id);
            Assert.Equal(CloudProvider.Together, one.Provider);
            Assert.NotEqual(ClusterStatus.Unknown, one.Status);
            Assert.True(one.NodeCount > 0);
        }

        Assert.Contains(clusters, c => c.Status == ClusterStatus.Degraded);
    }

    [Fact]
    public async Task Worker_nodes_are_the_nodes_with_instance_ids_and_deleted_ones_are_left_out()
    {
        var cluster = await FirstClusterAsync();
        var nodes = await Client().GetNodesAsync(new NodeQuery { ClusterId = cluster.Id }).ToListAsync();

        Assert.Equal(cluster.NodeCount, nodes.Count);
        Assert.All(nodes, n =>
        {
            var t = Assert.IsType<TogetherNode>(n);
            Assert.NotEqual(t.WorkerNodeId, t.Id);
            Assert.Equal(cluster.Id, n.ClusterId);
            Assert.NotEqual(GpuNodeStatus.Terminated, n.Status);
        });

        // Nodes with an automated remediation waiting for approval are the ones Together's checks flagged.
        var pending = await Client().GetRemediationsAsync(new RemediationQuery { ClusterId = cluster.Id, State = [RemediationState.PendingApproval] }).ToListAsync();
        Assert.NotEmpty(pending);
        Assert.All(pending, r => Assert.Equal(GpuNodeStatus.Degraded, nodes.Single(n => n.Id == r.NodeId).Status));

        var all = await Together().ListNodesAsync(cluster.Id, includeDeleted: true).ToListAsync();
        Assert.Contains(all, n => n.Status == GpuNodeStatus.Terminated);
    }

    [Fact]
    public async Task Every_node_of_every_cluster_is_listed_without_a_cluster_id()
    {
        var all = await Client().GetNodesAsync().ToListAsync();
        var clusters = await Client().GetClustersAsync().ToListAsync();

        Assert.Equal(clusters.Sum(c => c.NodeCount), all.Count);
    }

    [Fact]
    public async Task Gets_a_node_by_instance_id_with_and_without_its_cluster()
    {
        var cluster = await FirstClusterAsync();
        var node = await Client().GetNodesAsync(new NodeQuery { ClusterId = cluster.Id }).FirstAsync();

        Assert.Equal(node.Id, (await Client().GetNodeAsync(node.Id, cluster.Id)).Id);
        Assert.Equal(node.Id, (await Client().GetNodeAsync(node.Id)).Id);
        var ex = await Assert.ThrowsAsync<NodeOpsException>(() => Client().GetNodeAsync("no-such-instance", cluster.Id));
        Assert.Equal(ErrorKind.NotFound, ex.Kind);
    }

    [Fact]
    public async Task Created_remediation_starts_pending_and_runs_to_succeeded()
    {
        var cluster = await FirstClusterAsync();
        var node = await Client().GetNodesAsync(new NodeQuery { ClusterId = cluster.Id }).FirstAsync();

        var outcome = await Client().RemediateAsync([new RemediationTarget(node.Id, cluster.Id)], new RemediationSettings { Reason = "Xid 79", Mode = "HostAware" }).SingleAsync();

        Assert.True(outcome.Succeeded, outcome.Error?.Message);
        var r = outcome.Remediation!;
        Assert.Equal(RemediationState.Pending, r.State);
        Assert.Equal(TogetherModes.HostAware, r.Action);
        Assert.Equal("Xid 79", r.Reason);
        Assert.Equal(r.IdempotencyKey, r.Id);

        var done = await Client().WaitForRemediationAsync(new RemediationRef(r.Id, r.NodeId, r.ClusterId), TimeSpan.FromSeconds(15));
        Assert.Equal(RemediationState.Succeeded, done.State);
        Assert.NotNull(done.StartedAt);
        Assert.NotNull(done.CompletedAt);
    }

    [Fact]
    public async Task The_same_operation_key_creates_nothing_new_on_a_rerun()
    {
        var cluster = await FirstClusterAsync();
        var node = await Client().GetNodesAsync(new NodeQuery { ClusterId = cluster.Id }).Skip(3).FirstAsync();
        var key = "runbook-" + Guid.NewGuid();
        var target = new RemediationTarget(node.Id, cluster.Id);

        var first = await Client().RemediateAsync([target], new RemediationSettings { Reason = "r" }, key).SingleAsync();
        var second = await Client().RemediateAsync([target], new RemediationSettings { Reason = "r" }, key).SingleAsync();

        Assert.Equal(first.Remediation!.Id, second.Remediation!.Id);
        var counts = await emulator.Admin.GetCountsAsync();
        Assert.Equal(1, counts.RemediationCount("together", $"{cluster.Id}/{node.Id}"));
    }

    [Fact]
    public async Task A_dropped_connection_after_create_is_retried_with_the_same_id_and_creates_one()
    {
        var cluster = await FirstClusterAsync();
        var node = await Client().GetNodesAsync(new NodeQuery { ClusterId = cluster.Id }).Skip(4).FirstAsync();
        await emulator.Admin.AddScriptedFaultsAsync("together", new ScriptedFault { Kind = "drop-after", Method = "POST", PathContains = $"/instances/{node.Id}/remediations" });

        var outcome = await Client().RemediateAsync([new RemediationTarget(node.Id, cluster.Id)], new RemediationSettings()).SingleAsync();

        Assert.True(outcome.Succeeded, outcome.Error?.Message);
        var log = (await emulator.Admin.GetRequestsAsync("together")).Where(e => e.Method == "POST" && e.Path.Contains(node.Id, StringComparison.Ordinal)).ToList();
        Assert.Equal(2, log.Count);
        Assert.Equal(log[0].RemediationId, log[1].RemediationId);
        Assert.Equal("drop-after", log[0].Fault);
        var counts = await emulator.Admin.GetCountsAsync();
        Assert.Equal(1, counts.RemediationCount("together", $"{cluster.Id}/{node.Id}"));
    }

    [Fact]
    public async Task Lists_pending_approvals_page_by_page_and_approves_one()
    {
        var cluster = await FirstClusterAsync();
        var pending = await Client().GetRemediationsAsync(new RemediationQuery { ClusterId = cluster.Id, State = [RemediationState.PendingApproval], PageSize = 1 }).ToListAsync();

        Assert.Equal(2, pending.Count);
        Assert.All(pending, r => Assert.Equal("REMEDIATION_TRIGGER_AUTOMATED", r.Trigger));
        var log = await emulator.Admin.GetRequestsAsync("together");
        Assert.Contains(log, e => e.Query.Contains("pageToken=", StringComparison.Ordinal) && e.Query.Contains("state=PENDING_APPROVAL", StringComparison.Ordinal));

        var target = pending[0];
        var approved = await Client().ApproveRemediationAsync(new RemediationRef(target.Id, target.NodeId, cluster.Id), "ok by test");
        Assert.Equal(RemediationState.Pending, approved.State);
        Assert.Equal("ok by test", approved.ReviewComment);
        Assert.False(string.IsNullOrEmpty(approved.ReviewedBy));

        var again = await Assert.ThrowsAsync<NodeOpsApiException>(() => Client().ApproveRemediationAsync(new RemediationRef(target.Id, target.NodeId, cluster.Id)));
        Assert.Equal(ErrorKind.InvalidState, again.Kind);
        Assert.Equal("FAILED_PRECONDITION", again.ProviderCode);
    }

    [Fact]
    public async Task Reject_marks_the_remediation_rejected_and_cancel_needs_a_cancellable_state()
    {
        var cluster = (await Client().GetClustersAsync().ToListAsync()).Last();
        var pending = await Client().GetRemediationsAsync(new RemediationQuery { ClusterId = cluster.Id, State = [RemediationState.PendingApproval] }).ToListAsync();
        var first = pending[0];
        var second = pending[1];

        var rejected = await Client().DenyRemediationAsync(new RemediationRef(first.Id, first.NodeId, cluster.Id), "not now");
        Assert.Equal(RemediationState.Rejected, rejected.State);
        Assert.Equal("CANCELLED", rejected.ProviderState);

        var cancelled = await Client().StopRemediationAsync(new RemediationRef(second.Id, second.NodeId, cluster.Id));
        Assert.Equal(RemediationState.Cancelled, cancelled.State);

        var history = await Client().GetRemediationsAsync(new RemediationQuery { ClusterId = cluster.Id, State = [RemediationState.Succeeded] }).FirstAsync();
        var ex = await Assert.ThrowsAsync<NodeOpsApiException>(() => Client().StopRemediationAsync(new RemediationRef(history.Id, history.NodeId, cluster.Id)));
        Assert.Equal(ErrorKind.InvalidState, ex.Kind);
        Assert.Equal(NodeOpsErrorCategory.InvalidOperation, ex.Category);
    }

    [Fact]
    public async Task States_newer_than_the_documents_are_kept_raw()
    {
        var cluster = await FirstClusterAsync();
        var all = await Client().GetRemediationsAsync(new RemediationQuery { ClusterId = cluster.Id }).ToListAsync();

        Assert.Contains(all, r => r.ProviderState == "QUARANTINED" && r.State == RemediationState.Running);
    }

    [Fact]
    public async Task A_wrong_token_is_an_authentication_error()
    {
        var ex = await Assert.ThrowsAsync<NodeOpsApiException>(() => emulator.Client(CloudProvider.Together, token: "wrong").GetClustersAsync().ToListAsync().AsTask());

        Assert.Equal(401, ex.StatusCode);
        Assert.Equal(ErrorKind.AuthenticationFailed, ex.Kind);
    }
}
