using NodeOps.Engine;
using NodeOps.Engine.Providers.VoltagePark;

namespace NodeOps.Reliability.Tests.Fuzzing;

/// <summary>Every Voltage Park reply reader: fleets, fleet health (and its 422), nodes, remediate, errors.</summary>
internal static class VoltageParkTargets
{
    private const CloudProvider P = CloudProvider.VoltagePark;
    private const string Fleet = "d542ac1f-b889-40e0-99c9-2dddf1db17b5";

    private static readonly CannedReply LastNodePage = new(200, """{"nodes":[{"nodeName":"g0100","state":"ACTIVE","publicIp":"147.1.0.2"}],"nextToken":null,"limit":100}"""u8.ToArray());

    private static VoltageParkClient Vp(NodeOpsClient client) => client.ProviderClient<VoltageParkClient>();

    private static string Path(HttpRequestMessage r) => r.RequestUri!.AbsolutePath;

    /// <summary>Valid replies to every Voltage Park read, for the requests a target does not fuzz.</summary>
    private static CannedReply Valid(HttpRequestMessage r) =>
        Path(r) switch
        {
            var p when p.EndsWith("/health", StringComparison.Ordinal) => Corpus.Ok("voltagepark-fleet-health.json"),
            var p when p.EndsWith("/nodes", StringComparison.Ordinal) => LastNodePage,
            var p when p.EndsWith("/v1/fleets", StringComparison.Ordinal) => Corpus.Ok("voltagepark-fleets.json"),
            var p when p.Contains("/nodes/", StringComparison.Ordinal) => Corpus.Ok("voltagepark-node.json"),
            _ => Corpus.Ok("voltagepark-fleet.json"),
        };

    public static IEnumerable<FuzzTarget> All() =>
    [
        new()
        {
            Name = "VoltagePark list fleets",
            Provider = P,
            Bases = ["voltagepark-fleets.json"],
            Invoke = async (c, ct) => await Vp(c).ListFleetsAsync(cancellationToken: ct).ToListAsync(ct),
        },
        new()
        {
            Name = "VoltagePark get fleet",
            Provider = P,
            Bases = ["voltagepark-fleet.json"],
            ForeignBases = ["voltagepark-node.json"],
            Invoke = async (c, ct) => await Vp(c).GetFleetAsync(Fleet, ct),
        },
        new()
        {
            Name = "VoltagePark fleet health",
            Provider = P,
            Bases = ["voltagepark-fleet-health.json"],
            Invoke = async (c, ct) => await Vp(c).GetFleetHealthAsync(Fleet, ct),
        },
        new()
        {
            Name = "VoltagePark fleet health 422",
            Provider = P,
            Status = 422,
            Bases = ["voltagepark-health-unavailable.json"],
            ForeignBases = ["voltagepark-error.json"],
            Invoke = async (c, ct) => await Vp(c).GetFleetHealthAsync(Fleet, ct),
        },
        new()
        {
            Name = "VoltagePark list nodes of a fleet",
            Provider = P,
            Bases = ["voltagepark-nodes.json"],
            IsFuzzed = r => !r.RequestUri!.Query.Contains("nextToken=", StringComparison.Ordinal),
            Other = Valid,
            Invoke = async (c, ct) => await Vp(c).ListNodesAsync(Fleet, cancellationToken: ct).ToListAsync(ct),
        },
        new()
        {
            Name = "VoltagePark health read for a node listing",
            Provider = P,
            Bases = ["voltagepark-fleet-health.json"],
            IsFuzzed = r => Path(r).EndsWith("/health", StringComparison.Ordinal),
            Other = Valid,
            Invoke = async (c, ct) => await c.GetNodesAsync(new NodeQuery { ClusterId = Fleet }, ct).ToListAsync(ct),
        },
        new()
        {
            Name = "VoltagePark fleets read for a listing of every node",
            Provider = P,
            Bases = ["voltagepark-fleets.json"],
            IsFuzzed = r => Path(r).EndsWith("/v1/fleets", StringComparison.Ordinal),
            Other = Valid,
            Invoke = async (c, ct) => await c.GetNodesAsync(null, ct).ToListAsync(ct),
        },
        new()
        {
            Name = "VoltagePark get node",
            Provider = P,
            Bases = ["voltagepark-node.json"],
            ForeignBases = ["voltagepark-fleet.json"],
            Invoke = async (c, ct) => await Vp(c).GetNodeAsync(Fleet, "g0100", cancellationToken: ct),
        },
        new()
        {
            Name = "VoltagePark get node without its fleet",
            Provider = P,
            Bases = ["voltagepark-fleets.json"],
            IsFuzzed = r => Path(r).EndsWith("/v1/fleets", StringComparison.Ordinal),
            Other = Valid,
            Invoke = async (c, ct) => await c.GetNodeAsync("g0100", null, ct),
        },
        new()
        {
            Name = "VoltagePark remediate",
            Provider = P,
            Bases = ["voltagepark-remediate.response.json"],
            ForeignBases = ["voltagepark-nodes.json"],
            Invoke = async (c, ct) => await Vp(c).RemediateNodesAsync(Fleet, ["g0101", "g0104"], "Xid 79", "XID_79", "fuzz-key-1", ct),
        },
        new()
        {
            Name = "VoltagePark 404 error body",
            Provider = P,
            Status = 404,
            Bases = ["voltagepark-error.json"],
            ForeignBases = ["voltagepark-health-unavailable.json"],
            Invoke = async (c, ct) => await Vp(c).GetNodeAsync(Fleet, "g0199", cancellationToken: ct),
        },
        new()
        {
            // Not 409: a 409 with a key means "still in progress", which waits rather than failing.
            Name = "VoltagePark 503 error body on remediate",
            Provider = P,
            Status = 503,
            Bases = ["voltagepark-error.json"],
            Invoke = async (c, ct) => await Vp(c).RemediateNodesAsync(Fleet, ["g0101"], "m", "c", "fuzz-key-2", ct),
        },
    ];
}
