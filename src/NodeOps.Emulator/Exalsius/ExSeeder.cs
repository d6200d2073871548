using System.Globalization;
using NodeOps.Emulator.Hosting;

namespace NodeOps.Emulator.Exalsius;

/// <summary>
/// Generates groups of <c>NodesPerCluster</c> nodes; the ADDED and DEPLOYED nodes of a group form one
/// cluster. The first eight positions of every group are fixed (see README) so each group has an AVAILABLE
/// and a DEPLOYED node of both types; the rest is a random mix.
/// </summary>
internal static class ExSeeder
{
    public const string Namespace = "ns-acme-ml";
    public const string Owner = "auth0|acme-ml-ops";

    private static readonly (string Provider, string Region, string Zone, string Location, string InstanceType, string Gpu, int GpuCount, int GpuMemory, double Price)[] CloudShapes =
    [
        ("aws", "us-east-1", "us-east-1a", "US East (N. Virginia)", "p5.48xlarge", "H100", 8, 80, 98.32),
        ("gcp", "us-central1", "us-central1-a", "Iowa", "a3-highgpu-8g", "H100", 8, 80, 88.49),
        ("azure", "eastus", "eastus-2", "East US", "Standard_ND96isr_H100_v5", "H100", 8, 80, 98.00),
        ("lambda", "us-west-1", "us-west-1a", "California", "gpu_8x_a100_80gb_sxm4", "A100", 8, 80, 14.32),
    ];

    private static readonly (string Gpu, int Count, int Memory)[] SelfManagedShapes =
    [
        ("RTX 4090", 4, 24), ("L40S", 8, 48), ("A100", 8, 80), ("MI300X", 8, 192),
    ];

    private static readonly (string Type, string Status)[] Fixed =
    [
        ("CLOUD", "AVAILABLE"), ("SELF_MANAGED", "AVAILABLE"), ("CLOUD", "DEPLOYED"), ("SELF_MANAGED", "DEPLOYED"),
        ("CLOUD", "FAILED"), ("SELF_MANAGED", "WARNING"), ("SELF_MANAGED", "DISCOVERING"), ("CLOUD", "ADDED"),
    ];

    public static ExStore Seed(SeedSpec spec)
    {
        var store = new ExStore();
        var random = new SeedRandom(SeedRandom.For(spec.Seed, "exalsius"));
        var sshKeys = new[] { random.Uuid(), random.Uuid() };
        var groups = (spec.NodesPerProvider + spec.NodesPerCluster - 1) / spec.NodesPerCluster;
        var index = 0;
        for (var g = 0; g < groups; g++)
        {
            var created = spec.Anchor.AddDays(-40 + g);
            var cluster = new ExCluster
            {
                Id = random.Uuid(),
                Name = string.Create(CultureInfo.InvariantCulture, $"ex-cluster-{g + 1:D2}"),
                Status = groups > 1 && g == groups - 1 ? "DEPLOYING" : "READY",
                ClusterType = g % 2 == 0 ? "CLOUD" : "REMOTE",
                CreatedAt = created,
                UpdatedAt = created.AddHours(1),
            };

            var size = Math.Min(spec.NodesPerCluster, spec.NodesPerProvider - index);
            for (var k = 0; k < size; k++, index++)
            {
                var (type, status) = k < Fixed.Length ? Fixed[k] : RandomNode(random);
                var node = NewNode(store, random, type, status, index, created.AddMinutes(k), sshKeys);
                store.Add(node);
                if (status is "ADDED" or "DEPLOYED")
                {
                    (cluster.ControlPlane.Count == 0 ? cluster.ControlPlane : cluster.Workers).Add(node.Id);
                }
            }

            if (cluster.ControlPlane.Count > 0)
            {
                store.Add(cluster);
            }
        }

        SeedOffers(store, random, spec.Anchor);
        return store;
    }

    private static (string Type, string Status) RandomNode(SeedRandom random)
    {
        var type = random.Chance(0.5) ? "CLOUD" : "SELF_MANAGED";
        var status = random.NextDouble() switch
        {
            < 0.45 => "DEPLOYED",
            < 0.70 => "AVAILABLE",
            < 0.80 => "ADDED",
            < 0.85 => "WARNING",
            < 0.90 => "FAILED",
            < 0.95 => "PENDING",
            _ => "DISCOVERING",
        };
        return (type, status);
    }

    private static ExNode NewNode(ExStore store, SeedRandom random, string type, string status, int index, DateTimeOffset imported, string[] sshKeys)
    {
        if (type == "CLOUD")
        {
            var shape = CloudShapes[index % CloudShapes.Length];
            return new ExNode
            {
                Id = random.Uuid(),
                Seq = store.NextSeq(),
                NodeType = type,
                Status = status,
                PricePerHour = shape.Price,
                Namespace = Namespace,
                Hostname = string.Create(CultureInfo.InvariantCulture, $"ex-cloud-{index + 1:D4}"),
                Description = $"{shape.Provider} {shape.InstanceType}",
                Location = shape.Location,
                ImportTime = imported,
                WarningMessage = status == "WARNING" ? "Pre-installed NVIDIA driver 535 blocks deployment." : null,
                Hardware = new ExHardwareWire(shape.GpuCount, "NVIDIA", shape.Gpu, shape.GpuMemory, 192, 2048, 30_720),
                Software = new ExSoftwareWire("27.3.1", "550.90.07", null),
                System = new ExSystemWire("Ubuntu 22.04.4 LTS", "5.15.0-119-generic"),
                CloudProvider = shape.Provider,
                Region = shape.Region,
                InstanceType = shape.InstanceType,
                AvailabilityZone = index % 5 == 0 ? null : shape.Zone,
            };
        }

        var sm = SelfManagedShapes[index % SelfManagedShapes.Length];
        var amd = sm.Gpu.StartsWith("MI", StringComparison.Ordinal);
        return new ExNode
        {
            Id = random.Uuid(),
            Seq = store.NextSeq(),
            NodeType = type,
            Status = status,
            PricePerHour = Math.Round(sm.Count * 0.9, 2),
            Namespace = Namespace,
            Hostname = string.Create(CultureInfo.InvariantCulture, $"gpu-box-{index + 1:D4}"),
            Description = "On-premises GPU server",
            Location = "Berlin DC1, rack " + ((index % 12) + 1).ToString(CultureInfo.InvariantCulture),
            ImportTime = imported,
            WarningMessage = status == "WARNING" ? "Pre-installed Docker 20.10 is too old; upgrade to 24 or later." : null,
            Hardware = status is "PENDING" or "DISCOVERING" ? null : new ExHardwareWire(sm.Count, amd ? "AMD" : "NVIDIA", sm.Gpu, sm.Memory, 64, 512, 3840),
            Software = status is "PENDING" or "DISCOVERING" ? null : new ExSoftwareWire("26.1.4", amd ? null : "550.90.07", amd ? "6.2.1" : null),
            System = status is "PENDING" or "DISCOVERING" ? null : new ExSystemWire("Ubuntu 24.04.1 LTS", "6.8.0-45-generic"),
            Endpoint = string.Create(CultureInfo.InvariantCulture, $"10.20.{(index / 250) % 250}.{(index % 250) + 2}:22"),
            Username = "ubuntu",
            SshKeyId = sshKeys[index % sshKeys.Length],
            LastHeartbeat = status is "DEPLOYED" or "ADDED" or "AVAILABLE" ? imported.AddDays(10) : null,
        };
    }

    private static void SeedOffers(ExStore store, SeedRandom random, DateTimeOffset anchor)
    {
        var scraped = anchor.AddMinutes(-15);
        foreach (var shape in CloudShapes)
        {
            store.Offers.Add(new ExOfferWire(random.Uuid(), shape.Provider, shape.Location, shape.Region, shape.Zone, shape.InstanceType, shape.GpuCount, "NVIDIA", shape.Gpu, shape.GpuMemory, shape.Price, "ON_DEMAND", scraped));
            store.Offers.Add(new ExOfferWire(random.Uuid(), shape.Provider, shape.Location, shape.Region, shape.Zone, shape.InstanceType, shape.GpuCount, "NVIDIA", shape.Gpu, shape.GpuMemory, Math.Round(shape.Price * 0.4, 2), "SPOT", scraped));
        }
    }
}
