using NodeOps.Engine;
using NodeOps.Engine.Providers.SfCompute;

namespace NodeOps.Reliability.Tests.Fuzzing;

/// <summary>Every SF Compute reply reader: node list, node, redeploy (and its tracking), release, errors.</summary>
internal static class SfComputeTargets
{
    private const CloudProvider P = CloudProvider.SFCompute;

    private static SfComputeClient Sf(NodeOpsClient client) => client.ProviderClient<SfComputeClient>();

    public static IEnumerable<FuzzTarget> All() =>
    [
        new()
        {
            Name = "SFCompute list nodes",
            Provider = P,
            Bases = ["sfcompute-nodes.json"],
            ForeignBases = ["sfcompute-node.json"],
            Invoke = async (c, ct) => await Sf(c).ListNodesAsync(cancellationToken: ct).ToListAsync(ct),
        },
        new()
        {
            Name = "SFCompute list nodes of a procurement",
            Provider = P,
            Bases = ["sfcompute-nodes.json"],
            Invoke = async (c, ct) => await c.GetNodesAsync(new NodeQuery { ClusterId = "proc_f9644f06ee70c7ae", Ids = ["n_5ca03d3c03794496"] }, ct).ToListAsync(ct),
        },
        new()
        {
            Name = "SFCompute get node",
            Provider = P,
            Bases = ["sfcompute-node.json", "seed:sfcompute-redeploy.response.json"],
            ForeignBases = ["sfcompute-nodes.json"],
            Invoke = async (c, ct) => await Sf(c).GetNodeAsync("n_5ca03d3c03794496", ct),
        },
        new()
        {
            Name = "SFCompute redeploy",
            Provider = P,
            Bases = ["seed:sfcompute-redeploy.response.json", "sfcompute-node.json"],
            ForeignBases = ["seed:sfcompute-redeploy.request.json"],
            Invoke = async (c, ct) => await Sf(c).RedeployAsync("n_b1dc52505c6db143", "vmi_1234567890abcdef", "aGVsbG8gd29ybGQ=", false, ct),
        },
        new()
        {
            Name = "SFCompute redeploy tracking",
            Provider = P,
            Bases = ["seed:sfcompute-redeploy.response.json"],
            Invoke = async (c, ct) => await Sf(c).GetRedeployAsync("n_b1dc52505c6db143", "vm_newInstance", ct),
        },
        new()
        {
            Name = "SFCompute release",
            Provider = P,
            Bases = ["sfcompute-node.json"],
            Invoke = async (c, ct) => await Sf(c).ReleaseAsync("n_5ca03d3c03794496", ct),
        },
        new()
        {
            Name = "SFCompute 404 error body",
            Provider = P,
            Status = 404,
            Bases = ["sfcompute-error.json"],
            ForeignBases = ["voltagepark-error.json"],
            Invoke = async (c, ct) => await Sf(c).GetNodeAsync("nope", ct),
        },
        new()
        {
            Name = "SFCompute 409 error body on delete",
            Provider = P,
            Status = 409,
            Bases = ["sfcompute-error.json"],
            Invoke = async (c, ct) => { await Sf(c).DeleteAsync("n_5ca03d3c03794496", ct); return null; },
        },
    ];
}
