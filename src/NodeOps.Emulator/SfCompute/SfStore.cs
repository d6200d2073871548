namespace NodeOps.Emulator.SfCompute;

/// <summary>All SF Compute data of one seeding. Guarded by <see cref="Gate"/>.</summary>
internal sealed class SfStore
{
    public object Gate { get; } = new();

    public List<SfNode> Nodes { get; } = [];

    public Dictionary<string, SfNode> NodesById { get; } = new(StringComparer.Ordinal);

    public List<SfImageWire> Images { get; } = [];

    public void Add(SfNode node)
    {
        Nodes.Add(node);
        NodesById[node.Id] = node;
    }

    /// <summary>Paths take a node id or a node name.</summary>
    public SfNode? Find(string idOrName)
        => NodesById.TryGetValue(idOrName, out var node) ? node : Nodes.Find(n => string.Equals(n.Name, idOrName, StringComparison.Ordinal));
}

internal sealed class SfNode
{
    public required string Id { get; init; }

    public required string Name { get; init; }

    public required string GpuType { get; init; }

    public required string Owner { get; init; }

    public required string Status { get; set; }

    public required string NodeType { get; init; }

    public string? Zone { get; init; }

    public long? CreatedAt { get; init; }

    public long? UpdatedAt { get; set; }

    public long? StartAt { get; init; }

    public long? EndAt { get; init; }

    public long? DeletedAt { get; set; }

    public long? MaxPricePerNodeHour { get; init; }

    public string? ProcurementId { get; init; }

    /// <summary>Seeded VM statuses use the SDK's casing (Running) on some nodes and the docs' (running) on others.</summary>
    public bool SdkCase { get; init; }

    public List<SfVm> Vms { get; } = [];

    /// <summary>The newest VM unless it has been destroyed.</summary>
    public SfVm? CurrentVm => Vms.Count > 0 && !Vms[^1].Is("destroyed") ? Vms[^1] : null;

    public bool Is(string status) => string.Equals(Status, status, StringComparison.OrdinalIgnoreCase);

    public string VmStatus(string lower) => SdkCase ? lower switch
    {
        "running" => "Running",
        "pending" => "Pending",
        "destroyed" => "Destroyed",
        "nodefailure" => "NodeFailure",
        _ => lower,
    } : lower;

    /// <summary>A redeployed VM boots after the configured time (evaluated lazily on read).</summary>
    public void Advance(DateTimeOffset now, int bootMs)
    {
        foreach (var vm in Vms)
        {
            if (vm.PendingSince is { } since && vm.Is("pending") && now >= since.AddMilliseconds(bootMs))
            {
                vm.Status = VmStatus("running");
                vm.UpdatedAt = since.AddMilliseconds(bootMs).ToUnixTimeSeconds();
                vm.PendingSince = null;
            }
        }
    }

    public SfNodeWire ToWire()
    {
        var vms = Vms.Select(v => v.ToWire()).ToList();
        var current = CurrentVm;
        return new SfNodeWire(
            "node", Id, Name, Zone, GpuType, Owner, Status, CreatedAt, UpdatedAt, StartAt, EndAt, DeletedAt, MaxPricePerNodeHour, NodeType, ProcurementId,
            new SfVmListWire("list", vms), current is null ? null : vms[^1]);
    }
}

internal sealed class SfVm
{
    public required string Id { get; init; }

    public required string Status { get; set; }

    public long CreatedAt { get; init; }

    public long UpdatedAt { get; set; }

    public long StartAt { get; init; }

    public long? EndAt { get; set; }

    public string? ImageId { get; init; }

    public string? Zone { get; init; }

    /// <summary>Kept so a later redeploy without override_empty can inherit it; not part of the VM object.</summary>
    public string? CloudInitUserData { get; init; }

    public DateTimeOffset? PendingSince { get; set; }

    public bool Is(string status) => string.Equals(Status, status, StringComparison.OrdinalIgnoreCase);

    public SfVmWire ToWire() => new("vm", Id, Status, CreatedAt, UpdatedAt, StartAt, EndAt, ImageId, Zone);
}
