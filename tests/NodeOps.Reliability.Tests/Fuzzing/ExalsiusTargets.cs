using NodeOps.Engine;
using NodeOps.Engine.Providers.Exalsius;

namespace NodeOps.Reliability.Tests.Fuzzing;

/// <summary>Every Exalsius reply reader: pool, node, clusters and their members, delete, patch, imports, errors.</summary>
internal static class ExalsiusTargets
{
    private const CloudProvider P = CloudProvider.Exalsius;
    private const string Cluster = "2aad676c-2cc7-4246-8fe8-a8e4757735d7";
    private const string ControlPlaneNode = "7ef9bae3-9bad-4a91-80c6-9f35dab84b35";

    private static readonly CannedReply MemberNode = new(200, """{"id":"7ef9bae3-9bad-4a91-80c6-9f35dab84b35","node_type":"CLOUD","node_status":"DEPLOYED","price_per_hour":2.5,"hostname":"ex-cloud-0002","provider":"aws","region":"us-east-1","instance_type":"p5.48xlarge"}"""u8.ToArray());

    private static ExalsiusClient Ex(NodeOpsClient client) => client.ProviderClient<ExalsiusClient>();

    private static string Path(HttpRequestMessage r) => r.RequestUri!.AbsolutePath;

    private static bool IsClusterMembers(HttpRequestMessage r) => Path(r).Contains("/v1/cluster/", StringComparison.Ordinal);

    private static CannedReply Valid(HttpRequestMessage r) =>
        Path(r) switch
        {
            var p when p.Contains("/v1/cluster/", StringComparison.Ordinal) => Corpus.Ok("exalsius-cluster-nodes.json"),
            var p when p.EndsWith("/v1/nodes", StringComparison.Ordinal) => Corpus.Ok("exalsius-nodes.json"),
            var p when p.EndsWith("/v1/clusters", StringComparison.Ordinal) => Corpus.Ok("exalsius-clusters.json"),
            _ => MemberNode,
        };

    private static NodeUpdate Update() => new()
    {
        NodeId = "2b2f36e6-35da-4eda-a6de-f2e68d4dfb5d",
        Hardware = new NodeHardware { GpuCount = 8, GpuType = "H100", GpuMemoryGb = 80 },
        Software = new NodeSoftware { Docker = "27.0", Nvidia = "550.54" },
        System = new NodeSystem { Os = "Ubuntu 22.04", Kernel = "6.5" },
    };

    public static IEnumerable<FuzzTarget> All() =>
    [
        new()
        {
            Name = "Exalsius list nodes",
            Provider = P,
            Bases = ["exalsius-nodes.json"],
            ForeignBases = ["exalsius-clusters.json"],
            Invoke = async (c, ct) => await Ex(c).ListNodesAsync(cancellationToken: ct).ToListAsync(ct),
        },
        new()
        {
            Name = "Exalsius describe node",
            Provider = P,
            Bases = ["exalsius-node-cloud.json", "exalsius-node-self-managed.json"],
            ForeignBases = ["seed:exalsius-import-ssh.request.json"],
            Invoke = async (c, ct) => await Ex(c).DescribeNodeAsync("96491f89-412c-4727-8b92-518de79a8e96", ct),
        },
        new()
        {
            Name = "Exalsius cluster members read for a node listing",
            Provider = P,
            Bases = ["exalsius-cluster-nodes.json"],
            IsFuzzed = IsClusterMembers,
            Other = Valid,
            Invoke = async (c, ct) => await c.GetNodesAsync(new NodeQuery { ClusterId = Cluster }, ct).ToListAsync(ct),
        },
        new()
        {
            Name = "Exalsius pool read for a cluster's node listing",
            Provider = P,
            Bases = ["exalsius-nodes.json"],
            IsFuzzed = r => !IsClusterMembers(r),
            Other = Valid,
            Invoke = async (c, ct) => await c.GetNodesAsync(new NodeQuery { ClusterId = Cluster }, ct).ToListAsync(ct),
        },
        new()
        {
            Name = "Exalsius get node in a cluster",
            Provider = P,
            Bases = ["exalsius-cluster-nodes.json"],
            IsFuzzed = IsClusterMembers,
            Other = Valid,
            Invoke = async (c, ct) => await c.GetNodeAsync(ControlPlaneNode, Cluster, ct),
        },
        new()
        {
            Name = "Exalsius list clusters",
            Provider = P,
            Bases = ["exalsius-clusters.json"],
            Invoke = async (c, ct) => await Ex(c).ListClustersAsync(ct).ToListAsync(ct),
        },
        new()
        {
            Name = "Exalsius get cluster",
            Provider = P,
            Bases = ["exalsius-clusters.json"],
            Invoke = async (c, ct) => await Ex(c).GetClusterAsync(Cluster, ct),
        },
        new()
        {
            Name = "Exalsius cluster nodes",
            Provider = P,
            Bases = ["exalsius-cluster-nodes.json"],
            Invoke = async (c, ct) => await Ex(c).GetClusterNodesAsync(Cluster, ct),
        },
        new()
        {
            Name = "Exalsius delete node",
            Provider = P,
            Bases = ["exalsius-delete.response.json"],
            Invoke = async (c, ct) => await Ex(c).DeleteNodeAsync("96491f89-412c-4727-8b92-518de79a8e96", ct),
        },
        new()
        {
            Name = "Exalsius delete 409 error body",
            Provider = P,
            Status = 409,
            Bases = ["exalsius-error.json"],
            IsFuzzed = r => r.Method == HttpMethod.Delete,
            Other = Valid,
            Invoke = async (c, ct) => await Ex(c).DeleteNodeAsync(ControlPlaneNode, ct),
        },
        new()
        {
            Name = "Exalsius patch node",
            Provider = P,
            Bases = ["exalsius-patch.response.json"],
            Invoke = async (c, ct) => await Ex(c).PatchNodeAsync(Update(), ct),
        },
        new()
        {
            Name = "Exalsius heartbeat",
            Provider = P,
            Bases = ["exalsius-patch.response.json"],
            Invoke = async (c, ct) => await Ex(c).SendHeartbeatAsync("2b2f36e6-35da-4eda-a6de-f2e68d4dfb5d", ct),
        },
        new()
        {
            Name = "Exalsius import from offer",
            Provider = P,
            Status = 201,
            Bases = ["exalsius-import.response.json"],
            ForeignBases = ["exalsius-delete.response.json"],
            Invoke = async (c, ct) => await Ex(c).ImportFromOfferAsync("1629fd0a-3784-4e1d-a038-8d23c954b47e", "gpu-box", 2, ct),
        },
        new()
        {
            Name = "Exalsius import via SSH",
            Provider = P,
            Status = 201,
            Bases = ["exalsius-import.response.json"],
            ForeignBases = ["seed:exalsius-import-ssh.request.json"],
            Invoke = async (c, ct) => await Ex(c).ImportViaSshAsync(
                new ImportViaSshRequest { Hostname = "my-server-001", Endpoint = "192.168.1.100:22", Username = "ubuntu", SshKeyId = "123e4567-e89b-12d3-a456-426614174000" },
                ct),
        },
        new()
        {
            Name = "Exalsius 404 error body",
            Provider = P,
            Status = 404,
            Bases = ["exalsius-error.json"],
            ForeignBases = ["together-error.json"],
            Invoke = async (c, ct) => await Ex(c).DescribeNodeAsync("nope", ct),
        },
    ];
}
