using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace NodeOps.Emulator.Hosting;

/// <summary>Serializer settings per wire casing. Absent optional fields are omitted, not sent as null.</summary>
internal static class WireJson
{
    /// <summary>Voltage Park: camelCase.</summary>
    public static readonly JsonSerializerOptions Camel = Create(JsonNamingPolicy.CamelCase);

    /// <summary>Exalsius, Together, SF Compute: snake_case, RFC 3339 times ending in Z.</summary>
    public static readonly JsonSerializerOptions Snake = Create(JsonNamingPolicy.SnakeCaseLower);

    /// <summary>The admin API: camelCase, case-insensitive on input, enums as strings.</summary>
    public static readonly JsonSerializerOptions Admin = CreateAdmin();

    private static JsonSerializerOptions Create(JsonNamingPolicy naming)
    {
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = naming,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            // Readable ids and messages (a/b, unicode, quotes); these bodies are never embedded in HTML.
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        };
        options.Converters.Add(new Rfc3339Converter());
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    private static JsonSerializerOptions CreateAdmin()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        };
        options.Converters.Add(new Rfc3339Converter());
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    public static string FormatRfc3339(DateTimeOffset value)
    {
        Span<char> buffer = stackalloc char[24];
        return new string(buffer[..FormatRfc3339(value, buffer)]);
    }

    /// <summary>yyyy-MM-ddTHH:mm:ss[.fff]Z, written by hand: list pages format thousands of these.</summary>
    private static int FormatRfc3339(DateTimeOffset value, Span<char> buffer)
    {
        var utc = value.UtcDateTime;
        Write4(buffer, 0, utc.Year);
        buffer[4] = '-';
        Write2(buffer, 5, utc.Month);
        buffer[7] = '-';
        Write2(buffer, 8, utc.Day);
        buffer[10] = 'T';
        Write2(buffer, 11, utc.Hour);
        buffer[13] = ':';
        Write2(buffer, 14, utc.Minute);
        buffer[16] = ':';
        Write2(buffer, 17, utc.Second);
        var length = 19;
        if (utc.Millisecond != 0)
        {
            buffer[19] = '.';
            buffer[20] = (char)('0' + (utc.Millisecond / 100));
            Write2(buffer, 21, utc.Millisecond % 100);
            length = 23;
        }

        buffer[length] = 'Z';
        return length + 1;
    }

    private static void Write2(Span<char> buffer, int at, int value)
    {
        buffer[at] = (char)('0' + (value / 10));
        buffer[at + 1] = (char)('0' + (value % 10));
    }

    private static void Write4(Span<char> buffer, int at, int value)
    {
        Write2(buffer, at, value / 100);
        Write2(buffer, at + 2, value % 100);
    }

    private sealed class Rfc3339Converter : JsonConverter<DateTimeOffset>
    {
        public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
            => DateTimeOffset.Parse(reader.GetString() ?? string.Empty, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

        public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options)
        {
            Span<char> buffer = stackalloc char[24];
            writer.WriteStringValue(buffer[..FormatRfc3339(value, buffer)]);
        }
    }
}
