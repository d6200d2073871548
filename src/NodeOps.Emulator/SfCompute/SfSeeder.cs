using System.Globalization;
using NodeOps.Emulator.Hosting;

namespace NodeOps.Emulator.SfCompute;

/// <summary>
/// Generates procurements of <c>NodesPerCluster</c> nodes (even procurements autoreserved, odd reserved).
/// The first positions of each procurement are fixed (see README); VM status casing alternates between the
/// SDK's <c>Running</c> and the docs' <c>running</c>.
/// </summary>
internal static class SfSeeder
{
    public const string Owner = "acme-ml";

    private static readonly string[] Zones = ["hayesvalley", "richmond", "sunset"];

    public static SfStore Seed(SeedSpec spec)
    {
        var store = new SfStore();
        var random = new SeedRandom(SeedRandom.For(spec.Seed, "sfcompute"));
        var anchor = spec.Anchor.ToUnixTimeSeconds();
        var images = new[] { "vmi_" + random.Alnum(16), "vmi_" + random.Alnum(16) };
        store.Images.Add(new SfImageWire("image", images[0], "ubuntu-22.04-cuda-12.4", anchor - (90 * 86_400), "completed", random.Hex(64)));
        store.Images.Add(new SfImageWire("image", images[1], "ubuntu-24.04-cuda-12.8", anchor - (20 * 86_400), "completed", random.Hex(64)));

        var groups = (spec.NodesPerProvider + spec.NodesPerCluster - 1) / spec.NodesPerCluster;
        var index = 0;
        for (var g = 0; g < groups; g++)
        {
            var autoreserved = g % 2 == 0;
            var procurement = "proc_" + random.Hex(16);
            var zone = Zones[g % Zones.Length];
            var startAt = anchor - ((30 - g) * 3600L) - (anchor % 3600);
            var size = Math.Min(spec.NodesPerCluster, spec.NodesPerProvider - index);
            for (var k = 0; k < size; k++, index++)
            {
                var status = k switch
                {
                    0 or 1 => "running",
                    2 => "failed",
                    3 => "terminated",
                    4 => "pending",
                    5 => "awaitingcapacity",
                    6 => autoreserved ? "released" : "running",
                    _ => random.NextDouble() switch
                    {
                        < 0.85 => "running",
                        < 0.90 => "pending",
                        < 0.95 => "awaitingcapacity",
                        _ => "failed",
                    },
                };
                var node = new SfNode
                {
                    Id = "n_" + random.Hex(16),
                    Name = string.Create(CultureInfo.InvariantCulture, $"gpu-{g + 1:D2}-{k + 1:D3}"),
                    GpuType = (g + k) % 4 == 3 ? "H200" : "H100",
                    Owner = Owner,
                    Status = status,
                    NodeType = autoreserved ? "autoreserved" : "reserved",
                    Zone = status is "pending" or "awaitingcapacity" ? null : zone,
                    CreatedAt = startAt - 600,
                    UpdatedAt = startAt,
                    StartAt = startAt,
                    EndAt = autoreserved ? anchor - (anchor % 3600) + 7200 : startAt + (7 * 86_400),
                    MaxPricePerNodeHour = autoreserved ? 1600 : 1400,
                    ProcurementId = procurement,
                    SdkCase = k == 0 || (k != 1 && index % 2 == 0),
                };
                AddVms(node, random, images, status, startAt);
                store.Add(node);
            }
        }

        return store;
    }

    private static void AddVms(SfNode node, SeedRandom random, string[] images, string status, long startAt)
    {
        if (status is "pending" or "awaitingcapacity")
        {
            return;
        }

        if (random.Chance(0.3) || status == "terminated")
        {
            node.Vms.Add(NewVm(node, random, images[0], node.VmStatus("destroyed"), startAt, startAt + 1800));
        }

        if (status == "terminated")
        {
            return;
        }

        var vmStatus = status == "failed" ? node.VmStatus("nodefailure") : node.VmStatus("running");
        node.Vms.Add(NewVm(node, random, images[1], vmStatus, startAt + 1900, node.EndAt));
    }

    private static SfVm NewVm(SfNode node, SeedRandom random, string image, string status, long start, long? end) => new()
    {
        Id = "vm_" + random.Alnum(20),
        Status = status,
        CreatedAt = start,
        UpdatedAt = start,
        StartAt = start,
        EndAt = end,
        ImageId = image,
        Zone = node.Zone,
        CloudInitUserData = "I2Nsb3VkLWNvbmZpZwpydW5jbWQ6IFtlY2hvLCBoZWxsb10K",
    };
}
