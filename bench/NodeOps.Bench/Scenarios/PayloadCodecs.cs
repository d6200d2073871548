using NodeOps.Engine;
using NodeOps.Engine.Json;
using NodeOps.Engine.Providers.Exalsius;
using NodeOps.Engine.Providers.SfCompute;
using NodeOps.Engine.Providers.Together;
using NodeOps.Engine.Providers.VoltagePark;

namespace NodeOps.Bench.Scenarios;

/// <summary>
/// A provider payload and the engine's own read of it: the source-generated deserialisation and the mapping
/// to the common model, the same calls each provider client makes inside its reply reader.
/// </summary>
internal sealed record PayloadCodec(string Name, byte[] Payload, Func<byte[], int> Read)
{
    /// <summary>Objects (nodes or remediations) one read of the payload yields.</summary>
    public int Objects { get; init; }
}

internal static class PayloadCodecs
{
    private static readonly Uri Endpoint = new("http://127.0.0.1/bench");

    public static Func<byte[], int> VoltageParkNodes(string fleetId) => body =>
    {
        const string What = "nodes of fleet";
        var page = JsonReply.Parse(body, VoltageParkJsonContext.Default.VpListNodesResponse, CloudProvider.VoltagePark, What);
        var count = 0;
        foreach (var node in Wire.Require(page.Nodes, "nodes", CloudProvider.VoltagePark, What))
        {
            count += VoltageParkMapping.ToNode(node, fleetId, null, Endpoint).Id.Length > 0 ? 1 : 0;
        }

        return count;
    };

    public static Func<byte[], int> VoltageParkRemediations(string fleetId) => body =>
    {
        var replies = JsonReply.Parse(body, VoltageParkJsonContext.Default.ListVpRemediateNodeResponse, CloudProvider.VoltagePark, "remediate reply");
        var count = 0;
        foreach (var reply in replies)
        {
            count += VoltageParkMapping.ToRemediation(reply, reply.NodeId!, fleetId, "bench", "BENCHMARK", "bench-key", Endpoint).NodeId.Length > 0 ? 1 : 0;
        }

        return count;
    };

    public static int ExalsiusNodes(byte[] body)
    {
        var list = JsonReply.Parse(body, ExalsiusJsonContext.Default.ExNodesList, CloudProvider.Exalsius, "list nodes");
        var count = 0;
        foreach (var node in Wire.Entries(list.Nodes))
        {
            count += ExalsiusMapping.ToNode(node, Endpoint).Id.Length > 0 ? 1 : 0;
        }

        return count;
    }

    public static int TogetherNodes(byte[] body)
    {
        var cluster = JsonReply.Parse(body, TogetherJsonContext.Default.TgCluster, CloudProvider.Together, "cluster");
        var count = 0;
        foreach (var worker in cluster.GpuWorkerNodes ?? [])
        {
            count += TogetherMapping.ToNode(worker, cluster, Endpoint, deleted: false).Id.Length > 0 ? 1 : 0;
        }

        return count;
    }

    public static Func<byte[], int> TogetherRemediations(string clusterId) => body =>
    {
        var page = JsonReply.Parse(body, TogetherJsonContext.Default.TgRemediationList, CloudProvider.Together, "remediations");
        var count = 0;
        foreach (var item in page.Remediations ?? [])
        {
            count += TogetherMapping.ToRemediation(item, Endpoint, clusterId).Id!.Length > 0 ? 1 : 0;
        }

        return count;
    };

    public static int SfComputeNodes(byte[] body)
    {
        var list = JsonReply.Parse(body, SfComputeJsonContext.Default.SfNodeList, CloudProvider.SFCompute, "list nodes");
        return SfComputeMapping.ToNodes(list, Endpoint).Count;
    }

    /// <summary>SF Compute's remediation is a redeploy; its reply is the node with the new VM.</summary>
    public static int SfComputeRedeploy(byte[] body)
    {
        var node = JsonReply.Parse(body, SfComputeJsonContext.Default.SfNode, CloudProvider.SFCompute, "node");
        return SfComputeMapping.ToRedeploy(SfComputeMapping.ToNode(node, Endpoint)).Id!.Length > 0 ? 1 : 0;
    }
}
