using System.Text.Json.Serialization;

namespace NodeOps.Emulator.VoltagePark;

// Server-side wire shapes of the Voltage Park (Harbor) API, camelCase as the SDK's pydantic aliases.
// Optional fields left null are omitted; fields the docs say are null (not absent) carry JsonIgnore(Never).

internal sealed record VpNodeWire(string NodeName, string State, string PublicIp, string? FleetId, string? GpuType);

internal sealed record VpFleetNodeWire(string NodeName, string State, string PublicIp, string? GpuType);

internal sealed record VpFleetNodeSpecWire(string InstanceType, int? Replicas, IReadOnlyList<VpFleetNodeWire>? Nodes);

internal sealed record VpFleetComputeFootprintWire(VpFleetNodeSpecWire GpuNodes);

internal sealed record VpStorageConfigWire(string MountPoint, long Size);

internal sealed record VpInfrastructureWire(string Network, IReadOnlyList<VpStorageConfigWire> Vast);

internal sealed record VpBootstrapWire(string? CloudInit, string MachineImage, IReadOnlyList<string> SshPubKeys);

internal sealed record VpFleetAppsWire(string Mk8s, string Slurm);

internal sealed record VpFleetWire(
    string FleetId,
    string Name,
    string Status,
    long RequestedAt,
    long? ProvisionedAt,
    long CreatedAt,
    long UpdatedAt,
    string ComputeType,
    VpFleetComputeFootprintWire MinimumFootprint,
    VpInfrastructureWire Infrastructure,
    VpBootstrapWire Bootstrap,
    VpFleetAppsWire? FleetApps);

internal sealed record VpListFleetsWire(
    IReadOnlyList<VpFleetWire> Fleets,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? NextToken,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] int? Limit);

internal sealed record VpListNodesWire(
    IReadOnlyList<VpNodeWire> Nodes,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? NextToken,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] int? Limit);

internal sealed record VpNodeHealthWire(string NodeId, string Status, long LastUpdatedAt);

internal sealed record VpFleetHealthWire(string FleetId, string? Status, IReadOnlyList<VpNodeHealthWire>? NodeHealth);

internal sealed record VpFleetHealth422Wire(string Error, string FleetId, string Status);

internal sealed record VpRemediateResponseWire(
    string NodeId,
    string RemediateStatus,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? RejectionCause);

internal sealed record VpErrorWire(string Error, string? Code, long Timestamp, IReadOnlyDictionary<string, string>? Details);
