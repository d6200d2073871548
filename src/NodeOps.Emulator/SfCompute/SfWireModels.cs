using System.Text.Json.Serialization;

namespace NodeOps.Emulator.SfCompute;

// Server-side wire shapes of the SF Compute v1 nodes API (snake_case, unix-second times). Fields the docs
// mark nullable are always present, null when unset.

internal sealed record SfVmWire(
    string Object,
    string Id,
    string Status,
    long CreatedAt,
    long UpdatedAt,
    long StartAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] long? EndAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? ImageId,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Zone);

internal sealed record SfVmListWire(string Object, IReadOnlyList<SfVmWire> Data);

internal sealed record SfNodeWire(
    string Object,
    string Id,
    string Name,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Zone,
    string GpuType,
    string Owner,
    string Status,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] long? CreatedAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] long? UpdatedAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] long? StartAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] long? EndAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] long? DeletedAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] long? MaxPricePerNodeHour,
    string NodeType,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? ProcurementId,
    SfVmListWire Vms,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] SfVmWire? CurrentVm);

internal sealed record SfNodeListWire(string Object, IReadOnlyList<SfNodeWire> Data);

internal sealed record SfImageWire(string Object, string Id, string Name, long CreatedAt, string UploadStatus, string? Sha256Hash);

internal sealed record SfImageListWire(string Object, IReadOnlyList<SfImageWire> Data, bool HasMore);

internal sealed record SfErrorWire(SfErrorContentWire Error);

internal sealed record SfErrorContentWire(string Type, string Message, IReadOnlyList<SfErrorDetailWire> Details);

internal sealed record SfErrorDetailWire(string? Field, string Code, string Message);
