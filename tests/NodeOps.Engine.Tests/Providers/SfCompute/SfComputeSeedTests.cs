using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using NodeOps.Engine.Json;
using NodeOps.Engine.Providers.SfCompute;
using NodeOps.Engine.Tests.Support;

namespace NodeOps.Engine.Tests.Providers.SfCompute;

/// <summary>Seed 004's request and response, parsed and mapped exactly as written.</summary>
public sealed class SfComputeSeedTests
{
    private static readonly DateTimeOffset T1640995200 = new(2022, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset T1641003600 = new(2022, 1, 1, 2, 20, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset T1641007200 = new(2022, 1, 1, 3, 20, 0, TimeSpan.Zero);

    [Fact]
    public void The_embedded_response_is_the_seed_byte_for_byte()
    {
        // SHA-256 of the response example in ../shared/seeds/004_fae2d593ac984b93.txt (1320 bytes, LF).
        var bytes = Encoding.UTF8.GetBytes(SfComputeSeed.RedeployResponse);
        Assert.Equal(1320, bytes.Length);
        Assert.Equal("24374b4aa0cfc980a83082620f267be72842b0fdb6a6f9382ccd9b385fbeb2d2", Convert.ToHexStringLower(SHA256.HashData(bytes)));
    }

    [Fact]
    public void The_seed_response_parses_field_for_field()
    {
        var n = JsonReply.Parse(Encoding.UTF8.GetBytes(SfComputeSeed.RedeployResponse), SfComputeJsonContext.Default.SfNode, CloudProvider.SFCompute, "seed");

        Assert.Equal("node", n.Object);
        Assert.Equal("n_b1dc52505c6db143", n.Id);
        Assert.Equal("cuda-crunch", n.Name);
        Assert.Equal("hayesvalley", n.Zone);
        Assert.Equal("H100", n.GpuType);
        Assert.Equal("sfcompute", n.Owner);
        Assert.Equal("running", n.Status);
        Assert.Equal(1640995200, n.CreatedAt);
        Assert.Equal(1640995200, n.UpdatedAt);
        Assert.Equal(1640995200, n.StartAt);
        Assert.Equal(1641007200, n.EndAt);
        Assert.Null(n.DeletedAt);
        Assert.Equal(1000, n.MaxPricePerNodeHour);
        Assert.Equal("autoreserved", n.NodeType);
        Assert.Equal("proc_b1dc52505c6de142", n.ProcurementId);

        Assert.Equal("list", n.Vms!.Object);
        Assert.Collection(
            n.Vms.Data!,
            old =>
            {
                Assert.Equal("vm", old.Object);
                Assert.Equal("vm_oldInstance", old.Id);
                Assert.Equal("destroyed", old.Status);
                Assert.Equal(1640995200, old.CreatedAt);
                Assert.Equal(1640995200, old.UpdatedAt);
                Assert.Equal(1640995200, old.StartAt);
                Assert.Equal(1641007200, old.EndAt);
                Assert.Equal("vmi_old_id", old.ImageId);
                Assert.Equal("hayesvalley", old.Zone);
            },
            @new =>
            {
                Assert.Equal("vm", @new.Object);
                Assert.Equal("vm_newInstance", @new.Id);
                Assert.Equal("running", @new.Status);
                Assert.Equal(1641003600, @new.CreatedAt);
                Assert.Equal(1641003600, @new.UpdatedAt);
                Assert.Equal(1641003600, @new.StartAt);
                Assert.Equal(1641007200, @new.EndAt);
                Assert.Equal("vmi_new_id", @new.ImageId);
                Assert.Equal("hayesvalley", @new.Zone);
            });

        var c = n.CurrentVm!;
        Assert.Equal("vm", c.Object);
        Assert.Equal("vm_newInstance", c.Id);
        Assert.Equal("running", c.Status);
        Assert.Equal(1641003600, c.CreatedAt);
        Assert.Equal(1641003600, c.UpdatedAt);
        Assert.Equal(1641003600, c.StartAt);
        Assert.Equal(1641007200, c.EndAt);

        // The seed's current_vm names another image than the same VM in vms.data; both are kept as sent.
        Assert.Equal("vmi_myOZZXw4pfcp7H9DQOldd", c.ImageId);
        Assert.Equal("hayesvalley", c.Zone);
    }

    [Fact]
    public void The_seed_response_maps_to_a_ready_node_with_its_vms()
    {
        var endpoint = new Uri("https://api.sfcompute.com");
        var wire = JsonReply.Parse(Encoding.UTF8.GetBytes(SfComputeSeed.RedeployResponse), SfComputeJsonContext.Default.SfNode, CloudProvider.SFCompute, "seed");

        var node = SfComputeMapping.ToNode(wire, endpoint);

        Assert.Equal(CloudProvider.SFCompute, node.Provider);
        Assert.Equal("n_b1dc52505c6db143", node.Id);
        Assert.Equal("cuda-crunch", node.Name);
        Assert.Equal(GpuNodeStatus.Ready, node.Status);
        Assert.Equal("running", node.ProviderStatus);
        Assert.Equal("H100", node.GpuType);
        Assert.Null(node.GpuCount);
        Assert.Null(node.Region);
        Assert.Equal("hayesvalley", node.Zone);
        Assert.Equal("proc_b1dc52505c6de142", node.ClusterId);
        Assert.Equal("proc_b1dc52505c6de142", node.ProcurementId);
        Assert.Equal(T1640995200, node.CreatedAt);
        Assert.Equal(T1640995200, node.UpdatedAt);
        Assert.Equal(T1640995200, node.StartAt);
        Assert.Equal(T1641007200, node.EndAt);
        Assert.Null(node.DeletedAt);
        Assert.Equal("sfcompute", node.Owner);
        Assert.Equal("autoreserved", node.NodeType);
        Assert.Equal(1000, node.MaxPricePerNodeHour);
        Assert.Equal(endpoint, node.Endpoint);

        Assert.Equal(["vm_oldInstance", "vm_newInstance"], node.Vms.Select(v => v.Id));
        Assert.Equal(["destroyed", "running"], node.Vms.Select(v => v.Status));
        Assert.Equal(["vmi_old_id", "vmi_new_id"], node.Vms.Select(v => v.ImageId));
        Assert.Equal(T1641003600, node.Vms[1].CreatedAt);
        Assert.Equal(T1641007200, node.Vms[1].EndAt);

        var current = node.CurrentVm!;
        Assert.Equal("vm_newInstance", current.Id);
        Assert.Equal("running", current.Status);
        Assert.Equal("running", node.VmStatus);
        Assert.Equal("vmi_myOZZXw4pfcp7H9DQOldd", current.ImageId);
        Assert.Equal("hayesvalley", current.Zone);
        Assert.Equal(T1641003600, current.CreatedAt);
        Assert.Equal(T1641003600, current.StartAt);
        Assert.Equal(T1641003600, current.UpdatedAt);
        Assert.Equal(T1641007200, current.EndAt);
    }

    [Fact]
    public async Task Redeploy_sends_the_seed_request_and_maps_the_seed_response_to_a_succeeded_remediation()
    {
        await using var server = new CannedHttpServer(CannedResponse.Json(SfComputeSeed.RedeployResponse));

        var r = await SfComputeTestData.Client(server).RedeployAsync("n_b1dc52505c6db143", "vmi_1234567890abcdef", "aGVsbG8gd29ybGQ=", overrideEmpty: false);

        var request = Assert.Single(server.Requests);
        Assert.Equal("PUT", request.Method);
        Assert.Equal("/v1/nodes/n_b1dc52505c6db143/redeploy", request.Target);
        Assert.StartsWith("application/json", request.Header("Content-Type"), StringComparison.Ordinal);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(SfComputeSeed.RedeployRequest), JsonNode.Parse(request.BodyText)), request.BodyText);

        // The seed's field order, compactly: the same bytes a careful reader of the docs would send.
        Assert.Equal("""{"image_id":"vmi_1234567890abcdef","cloud_init_user_data":"aGVsbG8gd29ybGQ=","override_empty":false}""", request.BodyText);

        var redeploy = Assert.IsType<SfComputeRemediation>(r);
        Assert.Equal(CloudProvider.SFCompute, redeploy.Provider);
        Assert.Equal("vm_newInstance", redeploy.Id);
        Assert.Equal("n_b1dc52505c6db143", redeploy.NodeId);
        Assert.Equal("cuda-crunch", redeploy.NodeName);
        Assert.Equal("proc_b1dc52505c6de142", redeploy.ClusterId);
        Assert.Equal("redeploy", redeploy.Action);
        Assert.Equal(RemediationState.Succeeded, redeploy.State);
        Assert.Equal("running", redeploy.ProviderState);
        Assert.Equal(T1641003600, redeploy.CreatedAt);
        Assert.Equal(T1641003600, redeploy.StartedAt);
        Assert.Equal(T1641003600, redeploy.CompletedAt);
        Assert.Equal("vmi_myOZZXw4pfcp7H9DQOldd", redeploy.ImageId);
        Assert.Equal("hayesvalley", redeploy.Zone);
        Assert.Null(redeploy.Error);
        Assert.Null(redeploy.IdempotencyKey);
        Assert.Equal(server.BaseUrl, redeploy.Endpoint);
    }

    [Fact]
    public void The_seed_request_parses_into_the_redeploy_body_and_serialises_back_to_the_same_fields()
    {
        var body = JsonSerializer.Deserialize(SfComputeSeed.RedeployRequest, SfComputeJsonContext.Default.SfRedeployBody)!;

        Assert.Equal("vmi_1234567890abcdef", body.ImageId);
        Assert.Equal("aGVsbG8gd29ybGQ=", body.CloudInitUserData);
        Assert.False(body.OverrideEmpty);
        var back = JsonSerializer.Serialize(body, SfComputeJsonContext.Default.SfRedeployBody);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(SfComputeSeed.RedeployRequest), JsonNode.Parse(back)), back);
    }
}
