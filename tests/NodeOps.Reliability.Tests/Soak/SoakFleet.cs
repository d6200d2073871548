using NodeOps.Emulator.Admin;
using NodeOps.Engine.Tests.Support;

namespace NodeOps.Reliability.Tests.Soak;

/// <summary>
/// Fresh nodes added to the emulator through its admin API, so every one of them is remediable and its
/// server-side count starts at zero: Voltage Park nodes in fleets of <c>fleetSize</c> (one batch request
/// each) and Together instances in clusters of their own. Ids carry <c>tag</c>, so fleets built by
/// different tests on one emulator never meet.
/// </summary>
internal sealed class SoakFleet
{
    private SoakFleet(IReadOnlyList<NodeRef> voltagePark, IReadOnlyList<NodeRef> together)
    {
        VoltagePark = voltagePark;
        Together = together;
    }

    public IReadOnlyList<NodeRef> VoltagePark { get; }

    public IReadOnlyList<NodeRef> Together { get; }

    public IEnumerable<NodeRef> All => VoltagePark.Concat(Together);

    public static async Task<SoakFleet> CreateAsync(EmulatorFixture emulator, string tag, int voltageParkNodes, int fleetSize, int togetherNodes, int clusterSize)
    {
        var vpEndpoint = emulator.BaseUrl(CloudProvider.VoltagePark);
        var tgEndpoint = emulator.BaseUrl(CloudProvider.Together);
        var vp = new List<NodeRef>(voltageParkNodes);
        var tg = new List<NodeRef>(togetherNodes);
        for (var i = 0; i < voltageParkNodes; i++)
        {
            var fleet = $"{tag}-fleet-{i / fleetSize:D3}";
            var node = new NodeRef(CloudProvider.VoltagePark, $"{tag}-g{i:D4}", fleet, vpEndpoint);
            await emulator.Admin.AddNodeAsync("voltagepark", new AdminNodeRequest { Id = node.Id, ClusterId = fleet, Status = i % 2 == 0 ? "ACTIVE" : "UNHEALTHY" });
            vp.Add(node);
        }

        for (var i = 0; i < togetherNodes; i++)
        {
            var cluster = $"{tag}-cluster-{i / clusterSize:D3}";
            var node = new NodeRef(CloudProvider.Together, $"{tag}-i{i:D4}", cluster, tgEndpoint);
            await emulator.Admin.AddNodeAsync("together", new AdminNodeRequest { Id = node.Id, ClusterId = cluster, Status = "Ready", Phase = "NODE_PHASE_RUNNING" });
            tg.Add(node);
        }

        return new SoakFleet(vp, tg);
    }

    /// <summary>Remediations of <paramref name="node"/> the emulator has created.</summary>
    public static int Count(EmulatorCounts counts, NodeRef node)
    {
        var (provider, key) = CountKey(node);
        return counts.RemediationCount(provider, key);
    }

    /// <summary>The key under which the emulator counts remediations of <paramref name="node"/>.</summary>
    private static (string Provider, string Key) CountKey(NodeRef node) => node.Provider switch
    {
        CloudProvider.VoltagePark => ("voltagepark", $"{node.ClusterId}/{node.Id}"),
        CloudProvider.Together => ("together", $"{node.ClusterId}/{node.Id}"),
        _ => throw new ArgumentOutOfRangeException(nameof(node), node.Provider, "The soak remediates Voltage Park and Together nodes."),
    };
}
