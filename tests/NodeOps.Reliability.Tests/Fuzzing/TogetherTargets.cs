using NodeOps.Engine;
using NodeOps.Engine.Providers.Together;

namespace NodeOps.Reliability.Tests.Fuzzing;

/// <summary>Every Together reply reader: clusters and their workers, remediations (create, list, get, review), errors.</summary>
internal static class TogetherTargets
{
    private const CloudProvider P = CloudProvider.Together;
    private const string Cluster = "28bd7dad-9b68-4d16-87ed-13930c290c6a";
    private const string Instance = "i-07045cd2f07651298";

    private static readonly CannedReply LastRemediationPage = new(200, """{"remediations":[],"has_next":false,"next_page_token":""}"""u8.ToArray());

    private static TogetherClient Tg(NodeOpsClient client) => client.ProviderClient<TogetherClient>();

    private static bool IsFirstPage(HttpRequestMessage r) => !r.RequestUri!.Query.Contains("pageToken=", StringComparison.Ordinal);

    private static bool IsClusterList(HttpRequestMessage r) => r.RequestUri!.AbsolutePath.EndsWith("/clusters", StringComparison.Ordinal);

    private static CannedReply Valid(HttpRequestMessage r) =>
        IsClusterList(r) ? Corpus.Ok("together-clusters.json")
        : r.RequestUri!.AbsolutePath.EndsWith("/remediations", StringComparison.Ordinal) ? LastRemediationPage
        : Corpus.Ok("together-cluster.json");

    public static IEnumerable<FuzzTarget> All() =>
    [
        new()
        {
            Name = "Together list clusters",
            Provider = P,
            Bases = ["together-clusters.json"],
            Invoke = async (c, ct) => await Tg(c).ListClustersAsync(null, ct).ToListAsync(ct),
        },
        new()
        {
            Name = "Together get cluster",
            Provider = P,
            Bases = ["together-cluster.json"],
            ForeignBases = ["together-remediation.json"],
            Invoke = async (c, ct) => await Tg(c).GetClusterAsync(Cluster, ct),
        },
        new()
        {
            Name = "Together list nodes of a cluster",
            Provider = P,
            Bases = ["together-cluster.json"],
            Invoke = async (c, ct) => await Tg(c).ListNodesAsync(Cluster, includeDeleted: true, ct).ToListAsync(ct),
        },
        new()
        {
            Name = "Together cluster list read for a listing of every node",
            Provider = P,
            Bases = ["together-clusters.json"],
            IsFuzzed = IsClusterList,
            Other = Valid,
            Invoke = async (c, ct) => await Tg(c).ListNodesAsync(null, includeDeleted: true, ct).ToListAsync(ct),
        },
        new()
        {
            Name = "Together get node",
            Provider = P,
            Bases = ["together-cluster.json"],
            Invoke = async (c, ct) => await Tg(c).GetNodeAsync(Instance, Cluster, ct),
        },
        new()
        {
            Name = "Together create remediation",
            Provider = P,
            Bases = ["together-remediation.json", "seed:together-remediation.response.json"],
            ForeignBases = ["seed:together-create-remediation.request.json"],
            Invoke = async (c, ct) => await Tg(c).CreateRemediationAsync(Cluster, Instance, "RebootVm", "Xid 79", "r-1", ct),
        },
        new()
        {
            Name = "Together get remediation",
            Provider = P,
            Bases = ["together-remediation.json", "seed:together-remediation.response.json"],
            Invoke = async (c, ct) => await Tg(c).GetRemediationAsync(Cluster, Instance, "r-1", ct),
        },
        new()
        {
            Name = "Together approve remediation",
            Provider = P,
            Bases = ["together-remediation.json", "seed:together-remediation.response.json"],
            Invoke = async (c, ct) => await Tg(c).ApproveRemediationAsync(Cluster, null, "r-1", "ok", null, ct),
        },
        new()
        {
            Name = "Together list remediations",
            Provider = P,
            Bases = ["together-remediations.json", "seed:together-list-remediations.response.json"],
            ForeignBases = ["together-cluster.json"],
            IsFuzzed = IsFirstPage,
            Other = Valid,
            Invoke = async (c, ct) => await Tg(c).ListRemediationsAsync(Cluster, cancellationToken: ct).ToListAsync(ct),
        },
        new()
        {
            Name = "Together 404 error body",
            Provider = P,
            Status = 404,
            Bases = ["together-error-rpc.json", "together-error.json"],
            ForeignBases = ["sfcompute-error.json"],
            Invoke = async (c, ct) => await Tg(c).GetRemediationAsync(Cluster, Instance, "nope", ct),
        },
        new()
        {
            Name = "Together 400 error body on approve",
            Provider = P,
            Status = 400,
            Bases = ["together-error-rpc.json"],
            Invoke = async (c, ct) => await Tg(c).ApproveRemediationAsync(Cluster, Instance, "r-1", null, null, ct),
        },
    ];
}
