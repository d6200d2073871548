using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using NodeOps.Engine;
using NodeOps.Reliability.Tests.Fuzzing;

namespace NodeOps.Reliability.Tests.ServerReplies;

/// <summary>
/// Fields no document names, added to every object of every seed example and captured reply (scalars,
/// nulls, nested objects and arrays, and names that differ from known ones only in case): every reply
/// reader of every provider returns exactly what it returns without them.
/// </summary>
public sealed class ExtraFieldTests
{
    private static readonly JsonSerializerOptions Compare = new() { Converters = { new ExceptionAsKindAndMessage() } };

    public static TheoryData<string> Targets() => new(ParserFuzzer.AllTargets().Where(t => !t.IsErrorReply).Select(t => t.Name));

    [Theory]
    [MemberData(nameof(Targets))]
    public async Task Unknown_fields_change_nothing(string targetName)
    {
        var target = ParserFuzzer.AllTargets().Single(t => t.Name == targetName);
        var transport = new InMemoryTransport();
        var client = transport.Client(target.Provider);
        foreach (var name in target.Bases)
        {
            var plain = await ReadAsync(client, transport, target, Corpus.Bytes(name));
            var extended = await ReadAsync(client, transport, target, WithExtraFields(Corpus.Bytes(name)));

            Assert.Equal(plain, extended);
        }
    }

    private static async Task<string> ReadAsync(NodeOpsClient client, InMemoryTransport transport, FuzzTarget target, byte[] body)
    {
        transport.Respond = r => target.IsFuzzed(r) ? new CannedReply(target.Status, body) : target.Other?.Invoke(r) ?? new CannedReply(target.Status, body);
        var value = await target.Invoke(client, CancellationToken.None);

        var json = JsonSerializer.SerializeToNode(value, Compare);
        if (value is NodeUpdateResult && json is JsonObject update)
        {
            // The time the result was made, not part of the reply.
            update.Remove(nameof(NodeUpdateResult.Time));
        }

        return json?.ToJsonString() ?? "null";
    }

    private static byte[] WithExtraFields(byte[] json)
    {
        var root = JsonNode.Parse(json);
        var objects = new List<JsonObject>();
        Collect(root, objects);
        foreach (var obj in objects)
        {
            var known = obj.Select(p => p.Key).FirstOrDefault(k => k.ToUpperInvariant() != k);
            obj["x_added_later"] = "2030 feature";
            obj["x_added_null"] = null;
            obj["x_added_object"] = new JsonObject { ["nested"] = new JsonArray(1, "two", null, new JsonObject()) };
            obj["x_added_numbers"] = new JsonArray(1e300, -1, 0.5);
            if (known is not null && !obj.ContainsKey(known.ToUpperInvariant()))
            {
                // A case variant of a known field: the readers match names exactly, so it must not override.
                obj[known.ToUpperInvariant()] = "CASE_VARIANT";
            }
        }

        return Encoding.UTF8.GetBytes(root!.ToJsonString());
    }

    private static void Collect(JsonNode? node, List<JsonObject> objects)
    {
        switch (node)
        {
            case JsonObject obj:
                objects.Add(obj);
                foreach (var (_, value) in obj.ToList())
                {
                    Collect(value, objects);
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    Collect(item, objects);
                }

                break;
        }
    }

    /// <summary>Outcomes carry exceptions, which System.Text.Json cannot serialise; their kind and message are what matter.</summary>
    private sealed class ExceptionAsKindAndMessage : JsonConverter<Exception>
    {
        public override bool CanConvert(Type typeToConvert) => typeof(Exception).IsAssignableFrom(typeToConvert);

        public override Exception Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => throw new NotSupportedException();

        public override void Write(Utf8JsonWriter writer, Exception value, JsonSerializerOptions options) =>
            writer.WriteStringValue($"{(value as NodeOpsException)?.Kind} {value.Message}");
    }
}
