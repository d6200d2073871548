using System.Text.Json;

namespace NodeOps.Emulator.Tests.Support;

internal static class Json
{
    public static string Str(this JsonElement e, string name) => e.GetProperty(name).GetString()!;

    public static bool Has(this JsonElement e, string name) => e.TryGetProperty(name, out _);

    public static bool IsNull(this JsonElement e, string name) => e.TryGetProperty(name, out var p) && p.ValueKind == JsonValueKind.Null;

    public static List<JsonElement> Items(this JsonElement e, string name) => [.. e.GetProperty(name).EnumerateArray()];

    public static List<JsonElement> Items(this JsonElement e) => [.. e.EnumerateArray()];
}
