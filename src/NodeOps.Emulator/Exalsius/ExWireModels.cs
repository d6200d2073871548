namespace NodeOps.Emulator.Exalsius;

// Server-side wire shapes of the Exalsius API (snake_case via the naming policy). CloudNode and
// SelfManagedNode carry exactly the BaseNode fields plus their own; the node_type value discriminates them.

internal sealed record ExHardwareWire(int? GpuCount, string? GpuVendor, string? GpuType, int? GpuMemory, int? CpuCores, int? MemoryGb, int? StorageGb);

internal sealed record ExSoftwareWire(string? Docker, string? Nvidia, string? Amd);

internal sealed record ExSystemWire(string? Os, string? Kernel);

internal sealed record ExCloudNodeWire(
    string Id,
    string NodeType,
    string NodeStatus,
    double PricePerHour,
    string? Namespace,
    string? Hostname,
    string? Description,
    string? Location,
    DateTimeOffset? ImportTime,
    string? WarningMessage,
    ExHardwareWire? Hardware,
    ExSoftwareWire? Software,
    ExSystemWire? System,
    string Provider,
    string Region,
    string InstanceType,
    string? AvailabilityZone);

internal sealed record ExSelfManagedNodeWire(
    string Id,
    string NodeType,
    string NodeStatus,
    double PricePerHour,
    string? Namespace,
    string? Hostname,
    string? Description,
    string? Location,
    DateTimeOffset? ImportTime,
    string? WarningMessage,
    ExHardwareWire? Hardware,
    ExSoftwareWire? Software,
    ExSystemWire? System,
    string Endpoint,
    string Username,
    string SshKeyId,
    DateTimeOffset? LastHeartbeatDate);

internal sealed record ExNodesListWire(IReadOnlyList<object> Nodes, int Total);

internal sealed record ExNodeDeleteWire(string NodeId);

internal sealed record ExNodePatchWire(string NodeId, string NextAccessToken, int NextAccessTokenExpiresIn, string NextAccessTokenType);

internal sealed record ExNodeImportWire(IReadOnlyList<string> NodeIds, int Total);

internal sealed record ExOfferWire(
    string Id,
    string Provider,
    string Location,
    string Region,
    string AvailabilityZone,
    string InstanceType,
    int GpuCount,
    string GpuVendor,
    string GpuType,
    int GpuMemory,
    double PricePerHour,
    string PriceType,
    DateTimeOffset ScrapeTime);

internal sealed record ExOffersListWire(
    IReadOnlyList<ExOfferWire> Offers,
    int Total,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.Never)] string? NextCursor,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.Never)] string? PrevCursor);

internal sealed record ExClusterWire(
    string Id,
    string Name,
    string Namespace,
    string Owner,
    string ClusterType,
    string ClusterStatus,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    IReadOnlyList<string> ControlPlaneNodeIds,
    IReadOnlyList<string> WorkerNodeIds,
    string K8sVersion);

internal sealed record ExClustersListWire(IReadOnlyList<ExClusterWire> Clusters, int Total);

internal sealed record ExClusterNodesWire(string ClusterId, IReadOnlyList<string> ControlPlaneNodeIds, IReadOnlyList<string> WorkerNodeIds, int TotalNodes);

internal sealed record ExClusterNodeRemoveWire(string NodeId);

internal sealed record ExProblemWire(ExProblemDetailWire Detail);

internal sealed record ExProblemDetailWire(string Type, string Title, int Status, string Detail, string Instance);
