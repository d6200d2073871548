using NodeOps.Engine.Providers;
using NodeOps.Engine.Providers.VoltagePark;

namespace NodeOps.Engine.Tests.Providers.VoltagePark;

/// <summary>Mapping tables of providers-api.md §5 and the descriptor's region handling.</summary>
public sealed class VoltageParkMappingTests
{
    [Theory]
    [InlineData("PROVISIONING", GpuNodeStatus.Provisioning)]
    [InlineData("ONBOARDING", GpuNodeStatus.Provisioning)]
    [InlineData("CONFIGURING", GpuNodeStatus.Provisioning)]
    [InlineData("BASELINING", GpuNodeStatus.Provisioning)]
    [InlineData("TESTING", GpuNodeStatus.Provisioning)]
    [InlineData("VALIDATION", GpuNodeStatus.Provisioning)]
    [InlineData("READY", GpuNodeStatus.Ready)]
    [InlineData("ACTIVE", GpuNodeStatus.InUse)]
    [InlineData("UNHEALTHY", GpuNodeStatus.Degraded)]
    [InlineData("FAILED_PROVISIONING", GpuNodeStatus.Failed)]
    [InlineData("CONTRACTING", GpuNodeStatus.Terminating)]
    [InlineData("TERMINATING", GpuNodeStatus.Terminating)]
    [InlineData("TERMINATED", GpuNodeStatus.Terminated)]
    [InlineData("HIBERNATING", GpuNodeStatus.Unknown)]
    [InlineData("active", GpuNodeStatus.Unknown)]
    [InlineData("", GpuNodeStatus.Unknown)]
    [InlineData(null, GpuNodeStatus.Unknown)]
    public void Node_state_maps_per_section_5(string? state, GpuNodeStatus expected) =>
        Assert.Equal(expected, VoltageParkMapping.NodeStatusOf(state, null));

    [Theory]
    [InlineData("READY", "unhealthy", GpuNodeStatus.Degraded)]
    [InlineData("READY", "degraded", GpuNodeStatus.Degraded)]
    [InlineData("ACTIVE", "unhealthy", GpuNodeStatus.Degraded)]
    [InlineData("ACTIVE", "Degraded", GpuNodeStatus.Degraded)]
    [InlineData("ACTIVE", "healthy", GpuNodeStatus.InUse)]
    [InlineData("ACTIVE", "unknown", GpuNodeStatus.InUse)]
    [InlineData("READY", null, GpuNodeStatus.Ready)]
    [InlineData("PROVISIONING", "unhealthy", GpuNodeStatus.Provisioning)]
    [InlineData("TERMINATING", "unhealthy", GpuNodeStatus.Terminating)]
    [InlineData("FAILED_PROVISIONING", "unhealthy", GpuNodeStatus.Failed)]
    public void Health_only_lowers_Ready_and_InUse(string state, string? health, GpuNodeStatus expected) =>
        Assert.Equal(expected, VoltageParkMapping.NodeStatusOf(state, health));

    [Theory]
    [InlineData("ACTIVE", ClusterStatus.Ready)]
    [InlineData("INACTIVE", ClusterStatus.Paused)]
    [InlineData("PROVISIONING", ClusterStatus.Provisioning)]
    [InlineData("SCALING_UP", ClusterStatus.Scaling)]
    [InlineData("SCALING_DOWN", ClusterStatus.Scaling)]
    [InlineData("DECOMMISSIONED", ClusterStatus.Terminated)]
    [InlineData("TERMINATING", ClusterStatus.Deleting)]
    [InlineData("TERMINATED", ClusterStatus.Terminated)]
    [InlineData("MIGRATING", ClusterStatus.Unknown)]
    [InlineData(null, ClusterStatus.Unknown)]
    public void Fleet_status_maps_to_cluster_status(string? status, ClusterStatus expected) =>
        Assert.Equal(expected, VoltageParkMapping.ClusterStatusOf(status));

    [Theory]
    [InlineData("accepted", null, RemediationState.Accepted)]
    [InlineData("rejected", "NODE_BUSY", RemediationState.Rejected)]
    [InlineData("accepted", "NODE_BUSY", RemediationState.Rejected)]
    [InlineData("rejected", null, RemediationState.Rejected)]
    [InlineData("accepted", "", RemediationState.Accepted)]
    [InlineData("queued", null, RemediationState.Unknown)]
    [InlineData(null, null, RemediationState.Unknown)]
    public void Remediate_status_maps_to_remediation_state(string? status, string? cause, RemediationState expected) =>
        Assert.Equal(expected, VoltageParkMapping.RemediationStateOf(status, cause));

    [Fact]
    public void Remediation_keeps_the_key_cause_and_message_and_has_no_id()
    {
        var r = VoltageParkMapping.ToRemediation(
            new VpRemediateNodeResponse { NodeId = "g1", RemediateStatus = "on-hold" },
            "g1", "f1", "Xid 79", "TERMAL_THROTTLE", "key-1", new Uri("https://api.sea1.voltagepark.com"));

        Assert.Null(r.Id);
        Assert.Equal("g1", r.NodeId);
        Assert.Equal("f1", r.ClusterId);
        Assert.Equal("TERMAL_THROTTLE", r.Action);
        Assert.Equal("Xid 79", r.Reason);
        Assert.Equal("key-1", r.IdempotencyKey);
        Assert.Equal(RemediationState.Unknown, r.State);
        Assert.Equal("on-hold", r.ProviderState);
        Assert.Null(r.Error);
    }

    [Theory]
    [InlineData(null, "https://api.sea1.voltagepark.com/")]
    [InlineData("iad1", "https://api.iad1.voltagepark.com/")]
    [InlineData("ORD1", "https://api.ord1.voltagepark.com/")]
    [InlineData("sea1.beta", "https://api.sea1.beta.voltagepark.com/")]
    public void Default_endpoint_is_the_regional_host(string? region, string expected)
    {
        var connection = ProviderConnection.Create(CloudProvider.VoltagePark, ApiCredential.FromToken("t", "test"), region: region);

        Assert.Equal(expected, connection.Endpoint.ToString());
        Assert.Equal(region ?? "sea1", connection.Region);
    }

    [Theory]
    [InlineData("sea1/evil")]
    [InlineData("sea1.")]
    [InlineData("-sea1")]
    [InlineData("evil.com#")]
    [InlineData("sea 1")]
    public void Refuses_a_region_that_is_not_a_host_label(string region)
    {
        var ex = Assert.Throws<NodeOpsException>(() =>
            ProviderConnection.Create(CloudProvider.VoltagePark, ApiCredential.FromToken("t", "test"), region: region));

        Assert.Equal(ErrorKind.InvalidArgument, ex.Kind);
        Assert.Contains("-Region", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://api.iad1.voltagepark.com", "iad1")]
    [InlineData("https://API.SEA1.BETA.voltagepark.com/", "sea1.beta")]
    [InlineData("https://api.voltagepark.com", null)]
    [InlineData("https://example.com", null)]
    [InlineData("http://127.0.0.1:5000/voltagepark", null)]
    public void Region_is_read_back_from_the_host(string endpoint, string? expected) =>
        Assert.Equal(expected, ProviderRegistry.Get(CloudProvider.VoltagePark).RegionOf(new Uri(endpoint)));

    [Fact]
    public void Token_comes_from_VPCLOUD_ACCESS_TOKEN()
    {
        var resolver = new CredentialResolver(new ConnectionStore(), name => name == "VPCLOUD_ACCESS_TOKEN" ? "jwt-abc" : null);

        var resolved = resolver.Resolve(new CredentialRequest { Provider = CloudProvider.VoltagePark, Region = "iad1" });

        Assert.Equal("https://api.iad1.voltagepark.com/", resolved.Connection.Endpoint.ToString());
        Assert.Contains("VPCLOUD_ACCESS_TOKEN", resolved.Explanation, StringComparison.Ordinal);
        Assert.Equal("VPCLOUD_ACCESS_TOKEN", CredentialResolver.TokenVariables(CloudProvider.VoltagePark)[0]);
    }
}
