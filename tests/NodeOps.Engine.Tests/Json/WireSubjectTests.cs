using System.Text;
using NodeOps.Engine.Json;
using NodeOps.Engine.Providers.SfCompute;
using NodeOps.Engine.Providers.Together;
using NodeOps.Engine.Providers.VoltagePark;

namespace NodeOps.Engine.Tests.Json;

/// <summary>
/// Mapping errors name the object a bad field belongs to. The name is built only when there is an error
/// (mapping a listing checks fields of every node), so these tests pin the texts it produces.
/// </summary>
public sealed class WireSubjectTests
{
    private static readonly Uri Endpoint = new("https://example.test");

    [Fact]
    public void Formats_kind_id_and_owner_like_the_messages_always_did()
    {
        Assert.Equal("node 'g1'", new WireSubject("node", "g1").ToString());
        Assert.Equal("node of fleet ''", new WireSubject("node of fleet", null).ToString());
        Assert.Equal("list fleets", ((WireSubject)"list fleets").ToString());
        Assert.Equal("VM of node 'n_1'", ((WireSubject)"VM").Of("node", "n_1").ToString());
        Assert.Equal("VM 'vm_1' of node 'n_1'", new WireSubject("VM", "vm_1").Of("node", "n_1").ToString());
    }

    [Theory]
    [InlineData("""{"object":"node","id":"n_1","current_vm":{"id":"vm_1","created_at":-5}}""", "VM 'vm_1' of node 'n_1'")]
    [InlineData("""{"object":"node","id":"n_1","vms":{"object":"list","data":[{"object":"vm"}]}}""", "VM of node 'n_1'")]
    [InlineData("""{"object":"node","id":"n_1","created_at":-1}""", "node 'n_1'")]
    public void SF_Compute_errors_name_the_node_and_the_vm(string json, string subject)
    {
        var ex = Assert.Throws<NodeOpsException>(() => SfComputeMapping.ToNode(
            JsonReply.Parse(Encoding.UTF8.GetBytes(json), SfComputeJsonContext.Default.SfNode, CloudProvider.SFCompute, "test"), Endpoint));

        Assert.Equal(ErrorKind.InvalidResponse, ex.Kind);
        Assert.StartsWith($"SFCompute {subject}: ", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Voltage_Park_errors_name_the_fleet_of_a_node_without_a_name()
    {
        var ex = Assert.Throws<NodeOpsException>(() => VoltageParkMapping.ToNode(new VpNode { State = "ACTIVE" }, "f-1", null, Endpoint));

        Assert.Equal("VoltagePark node of fleet 'f-1': the reply is missing the required field 'nodeName'.", ex.Message);
    }

    [Fact]
    public void Together_errors_name_the_node_with_the_bad_time()
    {
        var worker = new TgWorkerNode { InstanceId = "i-1", PhaseTransitions = [new TgPhaseTransition { Phase = "NODE_PHASE_RUNNING", TransitionTime = "yesterday" }] };

        var ex = Assert.Throws<NodeOpsException>(() => TogetherMapping.ToNode(worker, new TgCluster { ClusterId = "c-1" }, Endpoint, deleted: false));

        Assert.Equal("Together node 'i-1': 'yesterday' is not an RFC 3339 time.", ex.Message);
    }
}
