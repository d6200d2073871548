using NodeOps.Engine.Tests.Support;

namespace NodeOps.Engine.Tests.Providers.Together;

/// <summary>
/// What the Together client puts on the wire, read back from the emulator's request log: the instance path
/// segment (an instance, or <c>-</c> for the whole cluster), the paging names, the review comment, and the
/// cluster endpoints' own error shape.
/// </summary>
public sealed class TogetherWireTests(EmulatorFixture emulator) : IClassFixture<EmulatorFixture>
{
    private NodeOpsClient Client() => emulator.Client(CloudProvider.Together);

    private async Task<IReadOnlyList<NodeOps.Emulator.Admin.RequestLogEntry>> SinceAsync(long seq) =>
        await emulator.Admin.GetRequestsAsync("together", seq);

    [Fact]
    public async Task One_instances_remediations_are_listed_and_got_under_its_own_path_and_the_cluster_under_a_dash()
    {
        var cluster = await Client().GetClustersAsync().FirstAsync();
        var pending = await Client().GetRemediationsAsync(new RemediationQuery { ClusterId = cluster.Id, State = [RemediationState.PendingApproval] }).FirstAsync();
        var instance = pending.NodeId;

        var seq = await emulator.LastRequestSeqAsync("together");
        var mine = await Client().GetRemediationsAsync(new RemediationQuery { ClusterId = cluster.Id, NodeId = instance }).ToListAsync();
        var byId = await Client().GetRemediationAsync(new RemediationRef(pending.Id, instance, cluster.Id));
        var byIdWithoutInstance = await Client().GetRemediationAsync(new RemediationRef(pending.Id, string.Empty, cluster.Id));

        Assert.Contains(mine, r => r.Id == pending.Id);
        Assert.All(mine, r => Assert.Equal(instance, r.NodeId));
        Assert.Equal(pending.Id, byId.Id);
        Assert.Equal(pending.Id, byIdWithoutInstance.Id);
        Assert.Equal(instance, byIdWithoutInstance.NodeId);
        var paths = (await SinceAsync(seq)).Select(e => e.Path).ToList();
        Assert.Collection(
            paths,
            p => Assert.EndsWith($"/v1/compute/clusters/{cluster.Id}/instances/{instance}/remediations", p, StringComparison.Ordinal),
            p => Assert.EndsWith($"/v1/compute/clusters/{cluster.Id}/instances/{instance}/remediations/{pending.Id}", p, StringComparison.Ordinal),
            p => Assert.EndsWith($"/v1/compute/clusters/{cluster.Id}/instances/-/remediations/{pending.Id}", p, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Paging_sends_pageSize_then_pageToken_until_has_next_is_false()
    {
        var cluster = (await Client().GetClustersAsync().ToListAsync()).Last();
        var everything = await Client().GetRemediationsAsync(new RemediationQuery { ClusterId = cluster.Id }).ToListAsync();
        Assert.True(everything.Count > 2, "the seeded cluster has history to page through");

        var seq = await emulator.LastRequestSeqAsync("together");
        var paged = await Client().GetRemediationsAsync(new RemediationQuery { ClusterId = cluster.Id, PageSize = 2 }).ToListAsync();

        Assert.Equal(everything.Select(r => r.Id), paged.Select(r => r.Id));
        var requests = await SinceAsync(seq);
        Assert.Equal((everything.Count + 1) / 2, requests.Count);
        Assert.All(requests, e => Assert.EndsWith($"/clusters/{cluster.Id}/instances/-/remediations", e.Path, StringComparison.Ordinal));
        Assert.Equal("pageSize=2", requests[0].Query);
        Assert.All(requests.Skip(1), e => Assert.Matches("^pageSize=2&pageToken=[^&]+$", e.Query));
    }

    [Fact]
    public async Task Approve_and_reject_send_the_comment_in_the_body_and_approve_always_sends_one()
    {
        // The last cluster: the first one's pending approvals belong to the instance-path test.
        var cluster = (await Client().GetClustersAsync().ToListAsync()).Last();
        var pending = await Client().GetRemediationsAsync(new RemediationQuery { ClusterId = cluster.Id, State = [RemediationState.PendingApproval] }).ToListAsync();
        Assert.Equal(2, pending.Count);

        var seq = await emulator.LastRequestSeqAsync("together");
        var rejected = await Client().DenyRemediationAsync(new RemediationRef(pending[0].Id, pending[0].NodeId, cluster.Id), "not during the training run");
        var approved = await Client().ApproveRemediationAsync(new RemediationRef(pending[1].Id, pending[1].NodeId, cluster.Id));

        Assert.Equal(RemediationState.Rejected, rejected.State);
        Assert.Equal("not during the training run", rejected.ReviewComment);
        Assert.Equal(RemediationState.Pending, approved.State);
        var posts = (await SinceAsync(seq)).Where(e => e.Method == "POST").ToList();
        Assert.Equal(2, posts.Count);
        Assert.EndsWith($"/remediations/{pending[0].Id}/reject", posts[0].Path, StringComparison.Ordinal);
        Assert.Equal("""{"comment":"not during the training run"}""", posts[0].Body);
        Assert.EndsWith($"/remediations/{pending[1].Id}/approve", posts[1].Path, StringComparison.Ordinal);
        Assert.Equal("{}", posts[1].Body);
    }

    [Fact]
    public async Task An_unknown_cluster_is_NotFound_read_from_the_cluster_error_shape()
    {
        var ex = await Assert.ThrowsAsync<NodeOpsApiException>(() => Client().GetClusterAsync("no-such-cluster"));

        Assert.Equal(404, ex.StatusCode);
        Assert.Equal(ErrorKind.NotFound, ex.Kind);
        Assert.Equal("not_found", ex.ProviderCode);
        Assert.Contains("cluster no-such-cluster not found", ex.Message, StringComparison.Ordinal);
        Assert.Equal("no-such-cluster", ex.Target);
    }
}
