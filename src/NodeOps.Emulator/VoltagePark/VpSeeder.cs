using System.Globalization;
using NodeOps.Emulator.Hosting;

namespace NodeOps.Emulator.VoltagePark;

/// <summary>
/// Generates fleets of <c>NodesPerCluster</c> nodes. Every fleet except the last is ACTIVE (a single fleet is
/// ACTIVE); the last is PROVISIONING with nodes still being set up. In each ACTIVE fleet the first nodes are
/// fixed so tests can rely on them (see README); the rest are drawn from a realistic mix.
/// </summary>
internal static class VpSeeder
{
    private static readonly (string InstanceType, string GpuType)[] Shapes =
    [
        ("h100-8x-bm", "H100-SXM5-80GB"),
        ("h200-8x-bm", "H200-SXM5-141GB"),
        ("b200-8x-bm", "B200-SXM6-180GB"),
        ("a100-8x-bm", "A100-SXM4-80GB"),
    ];

    private static readonly string[] Transitional = ["TESTING", "BASELINING", "CONFIGURING", "VALIDATION"];
    private static readonly string[] SettingUp = ["PROVISIONING", "ONBOARDING", "CONFIGURING"];

    public static VpStore Seed(SeedSpec spec)
    {
        var store = new VpStore();
        var random = new SeedRandom(SeedRandom.For(spec.Seed, "voltagepark"));
        var fleetCount = (spec.NodesPerProvider + spec.NodesPerCluster - 1) / spec.NodesPerCluster;
        var nodeIndex = 0;
        for (var f = 0; f < fleetCount; f++)
        {
            var active = f < fleetCount - 1 || fleetCount == 1;
            var shape = Shapes[f % Shapes.Length];
            var requested = spec.Anchor.AddDays(-60 + f).ToUnixTimeMilliseconds();
            var fleet = new VpFleet
            {
                FleetId = random.Uuid(),
                Name = string.Create(CultureInfo.InvariantCulture, $"fleet-{f + 1:D2}-{shape.InstanceType}"),
                Status = active ? "ACTIVE" : "PROVISIONING",
                RequestedAt = requested,
                ProvisionedAt = active ? requested + 4 * 3_600_000 : null,
                CreatedAt = requested,
                UpdatedAt = requested + 5 * 3_600_000,
                InstanceType = shape.InstanceType,
                Network = f % 3 == 2 ? "ethernet" : "infiniband",
                MachineImage = "Ubuntu 24.04",
            };
            store.Add(fleet);

            var size = Math.Min(spec.NodesPerCluster, spec.NodesPerProvider - nodeIndex);
            for (var k = 0; k < size; k++, nodeIndex++)
            {
                var (state, health, withGpuType) = active ? ActiveNode(k, random) : (SettingUp[k % SettingUp.Length], "healthy", true);
                fleet.Add(new VpNode
                {
                    NodeName = string.Create(CultureInfo.InvariantCulture, $"g{nodeIndex + 100:D4}"),
                    FleetId = fleet.FleetId,
                    State = state,
                    PublicIp = SeedRandom.Ip(147, nodeIndex),
                    GpuType = withGpuType ? shape.GpuType : null,
                    SteadyHealth = health,
                    HealthUpdatedAt = spec.Anchor.AddMinutes(-random.Next(1, 120)).ToUnixTimeMilliseconds(),
                });
            }
        }

        return store;
    }

    private static (string State, string Health, bool WithGpuType) ActiveNode(int k, SeedRandom random)
    {
        switch (k)
        {
            case 0: return ("ACTIVE", "healthy", true);
            case 1: return ("UNHEALTHY", "healthy", true);
            case 2: return ("READY", "healthy", true);
            case 3: return ("ACTIVE", "degraded", true);
            case 4: return ("VALIDATION", "healthy", true);
            case 5: return ("ACTIVE", "healthy", false);
        }

        var roll = random.NextDouble();
        var state = roll switch
        {
            < 0.78 => "ACTIVE",
            < 0.86 => "READY",
            < 0.92 => "UNHEALTHY",
            _ => random.Pick(Transitional),
        };
        var health = state == "ACTIVE" && random.Chance(0.04) ? "degraded" : "healthy";
        return (state, health, true);
    }
}
