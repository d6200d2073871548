namespace NodeOps.Emulator.Exalsius;

/// <summary>All Exalsius data of one seeding. Guarded by <see cref="Gate"/>.</summary>
internal sealed class ExStore
{
    private long _nextSeq;

    public object Gate { get; } = new();

    public List<ExNode> Nodes { get; } = [];

    public Dictionary<string, ExNode> NodesById { get; } = new(StringComparer.Ordinal);

    public List<ExCluster> Clusters { get; } = [];

    public Dictionary<string, ExCluster> ClustersById { get; } = new(StringComparer.Ordinal);

    public List<ExOfferWire> Offers { get; } = [];

    public long NextSeq() => ++_nextSeq;

    public void Add(ExNode node)
    {
        Nodes.Add(node);
        NodesById[node.Id] = node;
    }

    public void Remove(ExNode node)
    {
        Nodes.Remove(node);
        NodesById.Remove(node.Id);
        foreach (var cluster in Clusters)
        {
            cluster.ControlPlane.Remove(node.Id);
            cluster.Workers.Remove(node.Id);
        }
    }

    public void Add(ExCluster cluster)
    {
        Clusters.Add(cluster);
        ClustersById[cluster.Id] = cluster;
    }
}

internal sealed class ExNode
{
    public required string Id { get; init; }

    public long Seq { get; init; }

    public required string NodeType { get; init; }

    public required string Status { get; set; }

    public double PricePerHour { get; init; }

    public string? Namespace { get; init; }

    public string? Hostname { get; init; }

    public string? Description { get; set; }

    public string? Location { get; init; }

    public DateTimeOffset ImportTime { get; init; }

    public string? WarningMessage { get; set; }

    public ExHardwareWire? Hardware { get; set; }

    public ExSoftwareWire? Software { get; set; }

    public ExSystemWire? System { get; set; }

    // CLOUD
    public string? CloudProvider { get; init; }

    public string? Region { get; init; }

    public string? InstanceType { get; init; }

    public string? AvailabilityZone { get; init; }

    // SELF_MANAGED
    public string? Endpoint { get; init; }

    public string? Username { get; init; }

    public string? SshKeyId { get; init; }

    public DateTimeOffset? LastHeartbeat { get; set; }

    /// <summary>Set on SSH import: the node is PENDING until discovery completes.</summary>
    public DateTimeOffset? DiscoveryStartedAt { get; set; }

    public bool IsCloud => NodeType == "CLOUD";

    /// <summary>Completes SSH discovery once its time is up (evaluated lazily on read).</summary>
    public void Advance(DateTimeOffset now, int discoveryMs)
    {
        if (DiscoveryStartedAt is { } started && Status == "PENDING" && now >= started.AddMilliseconds(discoveryMs))
        {
            Status = "AVAILABLE";
            DiscoveryStartedAt = null;
            Hardware ??= new ExHardwareWire(8, "NVIDIA", "H100", 80, 96, 1024, 7680);
            Software ??= new ExSoftwareWire("27.3.1", "550.90.07", null);
            System ??= new ExSystemWire("Ubuntu 22.04.4 LTS", "5.15.0-119-generic");
        }
    }

    public object ToWire() => IsCloud
        ? new ExCloudNodeWire(
            Id, NodeType, Status, PricePerHour, Namespace, Hostname, Description, Location, ImportTime, WarningMessage, Hardware, Software, System,
            CloudProvider ?? "", Region ?? "", InstanceType ?? "", AvailabilityZone)
        : new ExSelfManagedNodeWire(
            Id, NodeType, Status, PricePerHour, Namespace, Hostname, Description, Location, ImportTime, WarningMessage, Hardware, Software, System,
            Endpoint ?? "", Username ?? "", SshKeyId ?? "", LastHeartbeat);
}

internal sealed class ExCluster
{
    public required string Id { get; init; }

    public required string Name { get; init; }

    public required string Status { get; init; }

    public required string ClusterType { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; set; }

    public List<string> ControlPlane { get; } = [];

    public List<string> Workers { get; } = [];

    public ExClusterWire ToWire() => new(Id, Name, ExSeeder.Namespace, ExSeeder.Owner, ClusterType, Status, CreatedAt, UpdatedAt, [.. ControlPlane], [.. Workers], "1.32.0");
}
