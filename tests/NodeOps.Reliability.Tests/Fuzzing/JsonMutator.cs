using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace NodeOps.Reliability.Tests.Fuzzing;

/// <summary>One mutated reply body and the steps that made it, printed when the body breaks a parser.</summary>
internal sealed record Mutation(byte[] Body, string Description);

/// <summary>
/// Deterministic mutations of a JSON document: structural ones on the parsed tree (type swaps, removed
/// and nulled fields, changed enum strings, huge numbers, deep nesting, duplicate keys, array edits) and
/// byte-level ones on the text (bit flips, truncation, deletions, invalid UTF-8, stray tokens). One to
/// three steps per mutation; once a byte-level step ran, the text may no longer parse, so only byte-level
/// steps follow.
/// </summary>
internal static class JsonMutator
{
    // Values JsonNode cannot hold (raw numbers, invalid escapes, deep nesting, duplicate keys) are
    // written as a marker string and swapped for the raw text after serialisation.
    private const string MarkerPrefix = "__nodeops_raw_";

    private static readonly JsonSerializerOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly string[] RawNumbers =
    [
        "1e400", "-1e400", "4e-400", "99999999999999999999999", "9223372036854775808", "-9223372036854775809",
        "2147483648", "-2147483649", "-1", "0", "-0.0", "1.5", "1E+2", "253402300800000", "253402300800", "1796079000.5",
    ];

    private static readonly string[] RawStrings =
    [
        "\"\\ud800\"", "\"\\udc00x\"", "\"\\u0000\"", "\"a\\u0000b\"", "\"\\\"\"", "\"\\\\\"", "\"\\/\"",
    ];

    private static readonly string[] WholeBodies =
    [
        "", " ", "null", "true", "0", "\"x\"", "[]", "{}", "[null]", "[{}]", "{\"\":null}", "[[]]",
        "<html><body>502 Bad Gateway</body></html>", "{\"error\":\"boom\"}", "{\"detail\":{\"detail\":\"boom\"}}",
    ];

    private static readonly byte[][] InvalidUtf8 =
    [
        [0xFF], [0xFE], [0x80], [0xC0, 0xAF], [0xC3], [0xE2, 0x82], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xF8, 0x88, 0x80, 0x80, 0x80],
    ];

    private static readonly byte[] Tokens = "{}[],:\"\\ -0.e\0"u8.ToArray();

    private static readonly string[] Affixes = ["\uFEFF", "   \n\t", "x", "{}", "null", "// comment\n", "/* c */", ","];

    private enum Step
    {
        TypeSwap,
        RemoveProperty,
        NullValue,
        EnumChange,
        RawNumber,
        RawString,
        DeepNesting,
        DuplicateKey,
        ArrayEdit,
        WrapRoot,
        WholeBody,
        BitFlip,
        Truncate,
        DeleteRange,
        InsertInvalidUtf8,
        InsertToken,
        DuplicateRange,
        Affix,
    }

    private const int FirstByteStep = (int)Step.BitFlip;

    private static readonly int StepCount = Enum.GetValues<Step>().Length;

    public static Mutation Mutate(byte[] original, Random rng)
    {
        var steps = 1 + rng.Next(3);
        var log = new List<string>(steps);
        var raws = new List<string>();
        JsonNode? tree = null;
        byte[]? bytes = null;
        try
        {
            tree = JsonNode.Parse(original);
        }
        catch (JsonException)
        {
            bytes = original;
        }

        for (var i = 0; i < steps; i++)
        {
            var step = bytes is null
                ? (Step)rng.Next(StepCount)
                : (Step)(FirstByteStep + rng.Next(StepCount - FirstByteStep));
            if ((int)step < FirstByteStep)
            {
                log.Add(Structural(step, ref tree, raws, rng));
            }
            else
            {
                bytes ??= Serialise(tree, raws);
                log.Add(ByteLevel(step, ref bytes, rng));
            }
        }

        return new Mutation(bytes ?? Serialise(tree, raws), string.Join("; ", log));
    }

    // ---- structural steps -------------------------------------------------------------------------

    private static string Structural(Step step, ref JsonNode? root, List<string> raws, Random rng)
    {
        var slots = Slots(root);
        switch (step)
        {
            case Step.TypeSwap:
            {
                var slot = Pick(slots, rng);
                JsonNode? replacement = rng.Next(12) switch
                {
                    0 => JsonValue.Create("x"),
                    1 => JsonValue.Create("123"),
                    2 => JsonValue.Create(0),
                    3 => JsonValue.Create(-1),
                    4 => JsonValue.Create(3.5),
                    5 => null,
                    6 => JsonValue.Create(true),
                    7 => JsonValue.Create(false),
                    8 => new JsonArray(),
                    9 => new JsonObject(),
                    10 => new JsonArray(slot.Node?.DeepClone()),
                    _ => new JsonObject { ["value"] = slot.Node?.DeepClone() },
                };
                Replace(ref root, slot, replacement);
                return $"type swap at {slot.Path} -> {Describe(replacement)}";
            }

            case Step.RemoveProperty:
            {
                var owners = slots.Where(s => s.Node is JsonObject { Count: > 0 }).ToList();
                if (owners.Count == 0)
                {
                    return "remove property (none)";
                }

                var obj = (JsonObject)Pick(owners, rng).Node!;
                var key = obj.ElementAt(rng.Next(obj.Count)).Key;
                obj.Remove(key);
                return $"remove '{key}' at {PathOf(obj)}";
            }

            case Step.NullValue:
            {
                var slot = Pick(slots, rng);
                Replace(ref root, slot, null);
                return $"null at {slot.Path}";
            }

            case Step.EnumChange:
            {
                var strings = slots.Where(s => s.Node is JsonValue v && v.GetValueKind() == JsonValueKind.String).ToList();
                if (strings.Count == 0)
                {
                    return "enum change (no strings)";
                }

                var slot = Pick(strings, rng);
                var old = slot.Node!.GetValue<string>();
                var value = rng.Next(10) switch
                {
                    0 => "STATE_" + rng.Next(1000).ToString(CultureInfo.InvariantCulture),
                    1 => old.ToLowerInvariant(),
                    2 => old.ToUpperInvariant(),
                    3 => string.Empty,
                    4 => " ",
                    5 => old + "_V2",
                    6 => new string('A', 5000),
                    7 => "ü日本🚀",
                    8 => "2026-13-45T99:99:99Z",
                    _ => old.Length > 1 ? old[..(old.Length / 2)] : "?",
                };
                Replace(ref root, slot, JsonValue.Create(value));
                return $"string at {slot.Path} -> '{Shorten(value)}'";
            }

            case Step.RawNumber:
            {
                var numbers = slots.Where(s => s.Node is JsonValue v && v.GetValueKind() == JsonValueKind.Number).ToList();
                var slot = Pick(numbers.Count > 0 && rng.Next(4) > 0 ? numbers : slots, rng);
                var raw = RawNumbers[rng.Next(RawNumbers.Length)];
                Replace(ref root, slot, Raw(raws, raw));
                return $"number at {slot.Path} -> {raw}";
            }

            case Step.RawString:
            {
                var slot = Pick(slots, rng);
                var raw = RawStrings[rng.Next(RawStrings.Length)];
                Replace(ref root, slot, Raw(raws, raw));
                return $"string at {slot.Path} -> {raw}";
            }

            case Step.DeepNesting:
            {
                var slot = Pick(slots, rng);
                int[] depths = [63, 64, 65, 200, 5000];
                var depth = depths[rng.Next(depths.Length)];
                var arrays = rng.Next(2) == 0;
                var raw = arrays
                    ? new string('[', depth) + new string(']', depth)
                    : string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + new string('}', depth);
                Replace(ref root, slot, Raw(raws, raw));
                return $"{(arrays ? "arrays" : "objects")} nested {depth} deep at {slot.Path}";
            }

            case Step.DuplicateKey:
            {
                var owners = slots.Where(s => s.Node is JsonObject { Count: > 0 }).ToList();
                if (owners.Count == 0)
                {
                    return "duplicate key (no objects)";
                }

                var obj = (JsonObject)Pick(owners, rng).Node!;
                var (key, value) = obj.ElementAt(rng.Next(obj.Count));
                var other = rng.Next(4) switch
                {
                    0 => "null",
                    1 => "12345",
                    2 => "\"duplicate\"",
                    _ => value?.ToJsonString(Compact) ?? "null",
                };
                var marker = Marker(raws, JsonSerializer.Serialize(key) + ":" + other, property: true);
                var first = rng.Next(2) == 0;
                if (first)
                {
                    obj.Insert(0, marker, 0);
                }
                else
                {
                    obj.Add(marker, 0);
                }

                return $"duplicate '{key}' = {Shorten(other)} {(first ? "before" : "after")} the original at {PathOf(obj)}";
            }

            case Step.ArrayEdit:
            {
                var arrays = slots.Where(s => s.Node is JsonArray).ToList();
                if (arrays.Count == 0)
                {
                    return "array edit (no arrays)";
                }

                var array = (JsonArray)Pick(arrays, rng).Node!;
                switch (rng.Next(6))
                {
                    case 0 when array.Count > 0:
                        array.RemoveAt(rng.Next(array.Count));
                        return $"array item removed at {PathOf(array)}";
                    case 1 when array.Count > 0:
                        array.Add(array[rng.Next(array.Count)]?.DeepClone());
                        return $"array item duplicated at {PathOf(array)}";
                    case 2:
                        array.Insert(array.Count == 0 ? 0 : rng.Next(array.Count), null);
                        return $"null item inserted at {PathOf(array)}";
                    case 3:
                        array.Add(new JsonObject());
                        return $"empty object appended at {PathOf(array)}";
                    case 4 when array.Count > 0:
                        var item = array[0];
                        for (var i = 0; i < 200; i++)
                        {
                            array.Add(item?.DeepClone());
                        }

                        return $"first item repeated 200 times at {PathOf(array)}";
                    default:
                        array.Clear();
                        return $"array emptied at {PathOf(array)}";
                }
            }

            case Step.WrapRoot:
            {
                var choice = rng.Next(3);
                root = choice switch
                {
                    0 => new JsonArray(root?.DeepClone()),
                    1 => new JsonObject { ["data"] = root?.DeepClone() },
                    _ => root is JsonObject { Count: > 0 } o ? o.First().Value?.DeepClone() : root,
                };
                return choice switch { 0 => "root wrapped in an array", 1 => "root wrapped in an object", _ => "root replaced by its first property" };
            }

            default:
            {
                var body = WholeBodies[rng.Next(WholeBodies.Length)];
                root = Raw(raws, body);
                return $"whole body -> '{body}'";
            }
        }
    }

    // ---- byte-level steps -------------------------------------------------------------------------

    private static string ByteLevel(Step step, ref byte[] bytes, Random rng)
    {
        var list = new List<byte>(bytes);
        var at = list.Count == 0 ? 0 : rng.Next(list.Count);
        string what;
        switch (step)
        {
            case Step.BitFlip when list.Count > 0:
                var bit = rng.Next(8);
                list[at] ^= (byte)(1 << bit);
                what = $"bit {bit} flipped at byte {at}";
                break;
            case Step.Truncate:
                list.RemoveRange(at, list.Count - at);
                what = $"truncated to {at} bytes";
                break;
            case Step.DeleteRange when list.Count > 0:
                var count = Math.Min(1 + rng.Next(16), list.Count - at);
                list.RemoveRange(at, count);
                what = $"{count} bytes deleted at {at}";
                break;
            case Step.InsertInvalidUtf8:
                var seq = InvalidUtf8[rng.Next(InvalidUtf8.Length)];
                list.InsertRange(at, seq);
                what = $"invalid UTF-8 {Convert.ToHexString(seq)} inserted at {at}";
                break;
            case Step.InsertToken:
                var token = Tokens[rng.Next(Tokens.Length)];
                if (list.Count > 0 && rng.Next(2) == 0)
                {
                    list[at] = token;
                    what = $"byte {at} replaced by 0x{token:X2}";
                }
                else
                {
                    list.Insert(at, token);
                    what = $"0x{token:X2} inserted at {at}";
                }

                break;
            case Step.DuplicateRange when list.Count > 0:
                var length = Math.Min(1 + rng.Next(64), list.Count - at);
                list.InsertRange(at, list.GetRange(at, length));
                what = $"{length} bytes at {at} repeated";
                break;
            default:
                var affix = Affixes[rng.Next(Affixes.Length)];
                var prefix = rng.Next(2) == 0;
                list.InsertRange(prefix ? 0 : list.Count, Encoding.UTF8.GetBytes(affix));
                what = $"{(prefix ? "prefix" : "suffix")} {JsonSerializer.Serialize(affix)}";
                break;
        }

        bytes = [.. list];
        return what;
    }

    // ---- tree helpers -----------------------------------------------------------------------------

    /// <summary>A place in the tree: the root, an object property or an array element.</summary>
    private sealed record Slot(JsonNode? Node, JsonNode? Parent, string? Key, int Index, string Path);

    private static List<Slot> Slots(JsonNode? root)
    {
        var slots = new List<Slot> { new(root, null, null, -1, "$") };
        for (var i = 0; i < slots.Count; i++)
        {
            switch (slots[i].Node)
            {
                case JsonObject obj:
                    foreach (var (key, value) in obj)
                    {
                        slots.Add(new Slot(value, obj, key, -1, slots[i].Path + "." + key));
                    }

                    break;
                case JsonArray array:
                    for (var j = 0; j < array.Count; j++)
                    {
                        slots.Add(new Slot(array[j], array, null, j, slots[i].Path + "[" + j.ToString(CultureInfo.InvariantCulture) + "]"));
                    }

                    break;
            }
        }

        return slots;
    }

    private static void Replace(ref JsonNode? root, Slot slot, JsonNode? replacement)
    {
        switch (slot.Parent)
        {
            case JsonObject obj:
                obj[slot.Key!] = replacement;
                break;
            case JsonArray array:
                array[slot.Index] = replacement;
                break;
            default:
                root = replacement;
                break;
        }
    }

    private static T Pick<T>(IReadOnlyList<T> items, Random rng) => items[rng.Next(items.Count)];

    private static JsonNode Raw(List<string> raws, string raw) => JsonValue.Create(Marker(raws, raw, property: false));

    private static string Marker(List<string> raws, string raw, bool property)
    {
        raws.Add(raw);
        return MarkerPrefix + (property ? "p" : "v") + (raws.Count - 1).ToString(CultureInfo.InvariantCulture) + "__";
    }

    private static byte[] Serialise(JsonNode? root, List<string> raws)
    {
        var text = root is null ? "null" : root.ToJsonString(Compact);
        // Last first: a later raw text (a duplicated value) may contain an earlier marker.
        for (var i = raws.Count - 1; i >= 0; i--)
        {
            var n = i.ToString(CultureInfo.InvariantCulture);
            text = text
                .Replace($"\"{MarkerPrefix}v{n}__\"", raws[i], StringComparison.Ordinal)
                .Replace($"\"{MarkerPrefix}p{n}__\":0", raws[i], StringComparison.Ordinal);
        }

        return Encoding.UTF8.GetBytes(text);
    }

    private static string PathOf(JsonNode node) => node.GetPath();

    private static string Describe(JsonNode? node) => node is null ? "null" : Shorten(node.ToJsonString(Compact));

    private static string Shorten(string s) => s.Length > 40 ? s[..40] + $"…({s.Length} chars)" : s;
}
