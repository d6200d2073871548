using System.Text.RegularExpressions;
using NodeOps.Engine;
using NodeOps.Engine.Providers.Exalsius;
using NodeOps.Engine.Providers.SfCompute;
using NodeOps.Engine.Providers.Together;
using NodeOps.Engine.Providers.VoltagePark;
using NodeOps.Engine.Tests.Support;

namespace NodeOps.Reliability.Tests.UserInput;

/// <summary>
/// Input a provider would reject, or that would reach a different resource, or that would make a
/// retry unsafe, is refused before anything is sent: <see cref="ErrorKind.InvalidArgument"/>, a message
/// naming the parameter as the cmdlets spell it, and zero requests at the server. Cases go through the
/// provider clients and the facade the cmdlets use.
/// </summary>
public sealed class RefusedBeforeSendingTests
{
    private static readonly RemediationTarget[] VpTargets = [new("g1", "f1")];
    private static readonly RemediationTarget[] TgTargets = [new("i-1", "c1")];
    private static readonly RemediationTarget[] SfTargets = [new("n1")];
    private static readonly string LongKey = new('k', IdempotencyKeys.MaxLength + 1);

    private static readonly Dictionary<string, (CloudProvider Provider, string Parameter, Func<NodeOpsClient, Task> Call)> Cases = new()
    {
        // ---- idempotency keys -----------------------------------------------------------------------
        ["VP key of 256 characters"] = (CloudProvider.VoltagePark, "IdempotencyKey", c => Vp(c).RemediateNodesAsync("f1", ["g1"], idempotencyKey: LongKey)),
        ["VP key with a space"] = (CloudProvider.VoltagePark, "IdempotencyKey", c => Vp(c).RemediateNodesAsync("f1", ["g1"], idempotencyKey: "nightly run")),
        ["VP key with non-ASCII"] = (CloudProvider.VoltagePark, "IdempotencyKey", c => Vp(c).RemediateNodesAsync("f1", ["g1"], idempotencyKey: "clé-1")),
        ["VP key with a line break"] = (CloudProvider.VoltagePark, "IdempotencyKey", c => Vp(c).RemediateNodesAsync("f1", ["g1"], idempotencyKey: "k\r\nX-Injected: 1")),
        ["facade operation key of 256"] = (CloudProvider.Together, "IdempotencyKey", c => Drain(c.RemediateAsync(TgTargets, new RemediationSettings(), LongKey))),
        ["operation key of 256"] = (CloudProvider.SFCompute, "IdempotencyKey", _ => Task.FromResult(new RemediationOperation(new RemediationSettings(), LongKey))),
        ["Together empty remediation id"] = (CloudProvider.Together, "RemediationId", c => Tg(c).CreateRemediationAsync("c1", "i-1", null, null, "")),
        ["Together remediation id of 256"] = (CloudProvider.Together, "RemediationId", c => Tg(c).CreateRemediationAsync("c1", "i-1", null, null, LongKey)),
        ["Together remediation id with a space"] = (CloudProvider.Together, "RemediationId", c => Tg(c).CreateRemediationAsync("c1", "i-1", null, null, "rem 1")),

        // ---- cloud-init user data ---------------------------------------------------------------------
        ["SF plain-text cloud-init"] = (CloudProvider.SFCompute, "CloudInitUserData", c => Sf(c).RedeployAsync("n1", cloudInitUserData: "#cloud-config\nruncmd: [reboot]")),
        ["SF unpadded base64"] = (CloudProvider.SFCompute, "CloudInitUserData", c => c.RedeployNodeAsync(new RedeployRequest { NodeId = "n1", CloudInitUserData = "aGVsbG8" })),
        ["SF base64url alphabet"] = (CloudProvider.SFCompute, "CloudInitUserData", c => c.RedeployNodeAsync(new RedeployRequest { NodeId = "n1", CloudInitUserData = "I2Nsb3VkLWNvbmZpZw-_" })),
        ["SF wrapped base64"] = (CloudProvider.SFCompute, "CloudInitUserData", c => Drain(c.RemediateAsync(SfTargets, new RemediationSettings { CloudInitUserData = "I2Nsb3Vk\nLWNvbmZpZw==" }))),
        ["SF empty image id"] = (CloudProvider.SFCompute, "ImageId", c => Drain(c.RemediateAsync(SfTargets, new RemediationSettings { ImageId = " " }))),

        // ---- amounts and sizes ------------------------------------------------------------------------
        ["Exalsius amount 0"] = (CloudProvider.Exalsius, "Amount", c => c.ImportNodeFromOfferAsync(new ImportFromOfferRequest { OfferId = "o1", Amount = 0 })),
        ["Exalsius amount -5"] = (CloudProvider.Exalsius, "Amount", c => c.ImportNodeFromOfferAsync(new ImportFromOfferRequest { OfferId = "o1", Amount = -5 })),
        ["Exalsius negative price"] = (CloudProvider.Exalsius, "PricePerHour", c => c.ImportNodeViaSshAsync(Ssh(price: -1))),
        ["Exalsius infinite price"] = (CloudProvider.Exalsius, "PricePerHour", c => c.ImportNodeViaSshAsync(Ssh(price: double.PositiveInfinity))),
        ["VP page size 0"] = (CloudProvider.VoltagePark, "PageSize", c => Drain(c.GetNodesAsync(new NodeQuery { ClusterId = "f1", PageSize = 0 }))),
        ["VP page size 101"] = (CloudProvider.VoltagePark, "PageSize", c => Drain(Vp(c).ListFleetsAsync(101))),
        ["Together page size 1001"] = (CloudProvider.Together, "PageSize", c => Drain(c.GetRemediationsAsync(new RemediationQuery { ClusterId = "c1", PageSize = 1001 }))),

        // ---- free text and modes ----------------------------------------------------------------------
        ["VP message of 2001 characters"] = (CloudProvider.VoltagePark, "Reason", c => Drain(c.RemediateAsync(VpTargets, new RemediationSettings { Reason = new string('r', 2001) }))),
        ["VP message of 2001 emoji"] = (CloudProvider.VoltagePark, "Message", c => Vp(c).RemediateNodesAsync("f1", ["g1"], string.Concat(Enumerable.Repeat("🔥", 2001)))),
        ["Together unknown mode"] = (CloudProvider.Together, "Mode", c => Tg(c).CreateRemediationAsync("c1", "i-1", "Reboot", null, "rem-1")),
        ["Together lower-case wire mode"] = (CloudProvider.Together, "Mode", c => Drain(c.RemediateAsync(TgTargets, new RemediationSettings { Mode = "remediation_mode_vm_only" }))),
        ["Together approve with unknown mode"] = (CloudProvider.Together, "Mode", c => c.ApproveRemediationAsync(new RemediationRef("r1", "i-1", "c1"), mode: "sideways")),
        ["a Together mode sent to VP"] = (CloudProvider.VoltagePark, "Mode", c => Drain(c.RemediateAsync(VpTargets, new RemediationSettings { Mode = "VmOnly" }))),

        // ---- ids ----------------------------------------------------------------------------------------
        ["VP empty node id"] = (CloudProvider.VoltagePark, "NodeId", c => Vp(c).GetNodeAsync("f1", "")),
        ["VP empty fleet id"] = (CloudProvider.VoltagePark, "FleetId", c => Drain(Vp(c).ListNodesAsync(""))),
        ["VP blank node to remediate"] = (CloudProvider.VoltagePark, "NodeId", c => Vp(c).RemediateNodesAsync("f1", [" "])),
        ["Exalsius empty node id"] = (CloudProvider.Exalsius, "NodeId", c => c.RemoveNodeAsync("")),
        ["Exalsius empty offer id"] = (CloudProvider.Exalsius, "OfferId", c => c.ImportNodeFromOfferAsync(new ImportFromOfferRequest { OfferId = "" })),
        ["Together empty cluster id"] = (CloudProvider.Together, "ClusterId", c => c.GetClusterAsync("")),
        ["Together empty instance id"] = (CloudProvider.Together, "InstanceId", c => Tg(c).CreateRemediationAsync("c1", "", null, null, "rem-1")),
        ["Together remediations without a cluster"] = (CloudProvider.Together, "ClusterId", c => Drain(c.GetRemediationsAsync(new RemediationQuery()))),
        ["SF empty id"] = (CloudProvider.SFCompute, "Id", c => c.RedeployNodeAsync(new RedeployRequest { NodeId = "" })),
        ["SF id with a line break"] = (CloudProvider.SFCompute, "Id", c => Sf(c).ReleaseAsync("n1\r\nX-Injected: 1")),
        ["SF id with a NUL"] = (CloudProvider.SFCompute, "Id", c => c.RemoveNodeAsync("n1\0")),
        ["SF dot-dot id"] = (CloudProvider.SFCompute, "Id", c => c.RemoveNodeAsync("..")),
        ["SF id with a lone surrogate"] = (CloudProvider.SFCompute, "Id", c => Sf(c).RedeployAsync("n_\ud800")),
        ["SF id filter with a lone surrogate"] = (CloudProvider.SFCompute, "Id", c => Drain(c.GetNodesAsync(new NodeQuery { Ids = ["n_\udfff"] }))),
        ["Together instance with a lone surrogate"] = (CloudProvider.Together, "Id", c => c.GetNodeAsync("i-\udc00", "c1")),
        ["VP node with a lone surrogate"] = (CloudProvider.VoltagePark, "NodeId", c => Vp(c).RemediateNodesAsync("f1", ["g\ud83d"])),

        // ---- other parameters ---------------------------------------------------------------------------
        ["Exalsius SSH endpoint without a port"] = (CloudProvider.Exalsius, "SshEndpoint", c => c.ImportNodeViaSshAsync(Ssh(endpoint: "10.0.0.5"))),
        ["Exalsius SSH endpoint as a URL"] = (CloudProvider.Exalsius, "SshEndpoint", c => c.ImportNodeViaSshAsync(Ssh(endpoint: "ssh://10.0.0.5:22"))),
        ["Exalsius SSH key that is not a uuid"] = (CloudProvider.Exalsius, "SshKeyId", c => c.ImportNodeViaSshAsync(Ssh(sshKeyId: "my-laptop-key"))),
        ["Exalsius hostname with a control character"] = (CloudProvider.Exalsius, "Hostname", c => c.ImportNodeFromOfferAsync(new ImportFromOfferRequest { OfferId = "o1", Hostname = "h\u0007" })),
        ["Exalsius hostname with a lone surrogate"] = (CloudProvider.Exalsius, "Hostname", c => c.ImportNodeFromOfferAsync(new ImportFromOfferRequest { OfferId = "o1", Hostname = "h\ud800" })),
        ["Exalsius blank hosting provider"] = (CloudProvider.Exalsius, "HostingProvider", c => Drain(c.GetNodesAsync(new NodeQuery { HostingProvider = " " }))),
        ["SF combined filters"] = (CloudProvider.SFCompute, "NodeType", c => Drain(c.GetNodesAsync(new NodeQuery { Ids = ["n1"], NodeType = "reserved" }))),
    };

    public static TheoryData<string> CaseNames() => new(Cases.Keys);

    [Theory]
    [MemberData(nameof(CaseNames))]
    public async Task Is_refused_naming_the_parameter_and_nothing_is_sent(string name)
    {
        var (provider, parameter, call) = Cases[name];
        await using var server = new CannedHttpServer(CannedResponse.Json("{}"));

        var ex = await Assert.ThrowsAsync<NodeOpsException>(() => call(TestClients.Create(provider, server.BaseUrl)));

        Assert.Equal(ErrorKind.InvalidArgument, ex.Kind);
        Assert.Matches(new Regex($"-{parameter}\\b"), ex.Message);
        Assert.Equal(0, server.RequestCount);
    }

    [Theory]
    [InlineData(CloudProvider.VoltagePark)]
    [InlineData(CloudProvider.Together)]
    public async Task A_key_of_exactly_255_characters_is_sent(CloudProvider provider)
    {
        var key = new string('k', IdempotencyKeys.MaxLength);
        await using var server = new CannedHttpServer(CannedResponse.Json(provider == CloudProvider.VoltagePark
            ? """[{"nodeId":"g1","remediateStatus":"accepted","rejectionCause":null}]"""
            : """{"id":"r1","instance_id":"i-1","state":"PENDING"}"""));
        var client = TestClients.Create(provider, server.BaseUrl);

        if (provider == CloudProvider.VoltagePark)
        {
            await Vp(client).RemediateNodesAsync("f1", ["g1"], idempotencyKey: key);
            Assert.Equal(key, Assert.Single(server.Requests).Header("Idempotency-Key"));
        }
        else
        {
            await Tg(client).CreateRemediationAsync("c1", "i-1", null, null, key);
            Assert.EndsWith("remediation_id=" + key, Assert.Single(server.Requests).Target, StringComparison.Ordinal);
        }
    }

    private static VoltageParkClient Vp(NodeOpsClient c) => c.ProviderClient<VoltageParkClient>();

    private static TogetherClient Tg(NodeOpsClient c) => c.ProviderClient<TogetherClient>();

    private static SfComputeClient Sf(NodeOpsClient c) => c.ProviderClient<SfComputeClient>();

    private static ImportViaSshRequest Ssh(string endpoint = "10.0.0.5:22", string sshKeyId = "123e4567-e89b-12d3-a456-426614174000", double? price = null) =>
        new() { Hostname = "h1", Endpoint = endpoint, Username = "ubuntu", SshKeyId = sshKeyId, PricePerHour = price };

    private static async Task Drain<T>(IAsyncEnumerable<T> items)
    {
        await foreach (var _ in items)
        {
        }
    }
}
