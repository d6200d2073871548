using System.Text.Json;
using NodeOps.Engine.Providers.Exalsius;
using NodeOps.Engine.Tests.Support;
using static NodeOps.Engine.Tests.Providers.Exalsius.ExalsiusFixtures;

namespace NodeOps.Engine.Tests.Providers.Exalsius;

/// <summary>The seed's example, the descriptor, the capabilities and the token-presence reader.</summary>
public sealed class ExalsiusContractTests
{
    /// <summary>The seed file's bytes without the trailing newline the copy ends with.</summary>
    private static byte[] Seed(string name)
    {
        var bytes = SeedFiles.Bytes(name);
        var end = bytes.Length;
        while (end > 0 && bytes[end - 1] is (byte)'\n' or (byte)'\r')
        {
            end--;
        }

        return bytes[..end];
    }

    [Fact]
    public void The_seed_import_ssh_example_round_trips_through_the_request_dto()
    {
        var seed = Seed("exalsius-import-ssh.request.json");

        var dto = JsonSerializer.Deserialize(seed, ExalsiusJsonContext.Default.ExNodeImportSshRequest);
        Assert.NotNull(dto);
        Assert.Equal("my-server-001", dto.Hostname);
        Assert.Equal("192.168.1.100:22", dto.Endpoint);
        Assert.Equal("ubuntu", dto.Username);
        Assert.Equal("123e4567-e89b-12d3-a456-426614174000", dto.SshKeyId);
        Assert.Equal("On-premises GPU server", dto.Description);
        Assert.Null(dto.PricePerHour);

        Assert.Equal(seed, JsonSerializer.SerializeToUtf8Bytes(dto, ExalsiusJsonContext.Default.ExNodeImportSshRequest));
    }

    [Fact]
    public void The_seed_example_passes_validation_and_is_sent_byte_for_byte()
    {
        var seed = Seed("exalsius-import-ssh.request.json");
        var request = new ImportViaSshRequest
        {
            Hostname = "my-server-001",
            Endpoint = "192.168.1.100:22",
            Username = "ubuntu",
            SshKeyId = "123e4567-e89b-12d3-a456-426614174000",
            Description = "On-premises GPU server",
        };

        var wire = ExalsiusClient.ToWire(request);

        Assert.Equal(seed, JsonSerializer.SerializeToUtf8Bytes(wire, ExalsiusJsonContext.Default.ExNodeImportSshRequest));
    }

    [Theory]
    [InlineData("""{"node_id":"n"}""", false)]
    [InlineData("""{"node_id":"n","next_access_token":null}""", false)]
    [InlineData("""{"node_id":"n","next_access_token":""}""", false)]
    [InlineData("""{"node_id":"n","next_access_token":"abc"}""", true)]
    [InlineData("""{"node_id":"n","next_access_token":"\u0061bc"}""", true)]
    [InlineData("""{"node_id":"n","next_access_token":{"value":"abc"}}""", true)]
    public void The_patch_reply_records_only_whether_a_token_came(string json, bool issued)
    {
        var reply = JsonSerializer.Deserialize(json, ExalsiusJsonContext.Default.ExNodePatchResponse);

        Assert.Equal(issued, reply!.NextAccessTokenIssued);
        Assert.DoesNotContain(typeof(ExNodePatchResponse).GetProperties(), p => p.PropertyType == typeof(string) && p.Name.Contains("Token", StringComparison.Ordinal));
    }

    [Fact]
    public void The_token_presence_can_never_be_written_back()
    {
        Assert.Throws<NotSupportedException>(() => JsonSerializer.Serialize(new ExNodePatchResponse { NextAccessTokenIssued = true }, ExalsiusJsonContext.Default.ExNodePatchResponse));
    }

    [Fact]
    public void Is_registered_with_its_token_variable_and_default_endpoint()
    {
        var connection = ProviderConnection.Create(CloudProvider.Exalsius, ApiCredential.FromToken("t", "test"));

        Assert.Equal("https://api.exalsius.ai/", connection.Endpoint.ToString());
        Assert.Equal(["EXALSIUS_ACCESS_TOKEN", "NODEOPS_EXALSIUS_TOKEN"], CredentialResolver.TokenVariables(CloudProvider.Exalsius));
    }

    [Fact]
    public void An_endpoint_given_with_v1_still_gets_v1_once()
    {
        var connection = ProviderConnection.Create(CloudProvider.Exalsius, ApiCredential.FromToken("t", "test"), new Uri("https://api.exalsius.ai/v1"));

        Assert.Equal("https://api.exalsius.ai/", connection.Endpoint.ToString());
    }

    [Fact]
    public async Task Supports_every_node_operation_but_remediation()
    {
        await using var server = new CannedHttpServer(CannedResponse.Json("{}"));
        var facade = Facade(server);

        Assert.True(facade.Supports(NodeOperation.ListNodes));
        Assert.True(facade.Supports(NodeOperation.ListClusters));
        Assert.True(facade.Supports(NodeOperation.Remove));
        Assert.True(facade.Supports(NodeOperation.Import));
        Assert.True(facade.Supports(NodeOperation.Update));
        Assert.False(facade.Supports(NodeOperation.Remediate));
        Assert.False(facade.Supports(NodeOperation.TrackRemediation));
        Assert.False(facade.Supports(NodeOperation.Redeploy));
        Assert.False(facade.Supports(NodeOperation.Release));

        var ex = Assert.Throws<NodeOpsException>(() => facade.PlanRemediation([], new RemediationSettings()));
        Assert.Equal(ErrorKind.NotSupported, ex.Kind);
        Assert.Contains("Remove-GpuNode", ex.RecommendedAction, StringComparison.Ordinal);
        Assert.Equal(0, server.RequestCount);
    }

    [Theory]
    [InlineData("PENDING", ClusterStatus.Provisioning)]
    [InlineData("DEPLOYING", ClusterStatus.Provisioning)]
    [InlineData("READY", ClusterStatus.Ready)]
    [InlineData("DELETING", ClusterStatus.Deleting)]
    [InlineData("FAILED", ClusterStatus.Failed)]
    [InlineData("STAGING", ClusterStatus.Provisioning)]
    [InlineData("RUNNING", ClusterStatus.Ready)]
    [InlineData("DELETED", ClusterStatus.Terminated)]
    [InlineData("MAINTENANCE", ClusterStatus.Unknown)]
    [InlineData(null, ClusterStatus.Unknown)]
    public void Maps_cluster_status(string? wire, ClusterStatus expected) =>
        Assert.Equal(expected, ExalsiusMapping.ClusterStatusOf(wire));
}
