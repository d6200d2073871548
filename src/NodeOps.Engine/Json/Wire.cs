using System.Globalization;

namespace NodeOps.Engine.Json;

/// <summary>Checks and conversions shared by every provider's mapping from wire DTOs to the common model.</summary>
internal static class Wire
{
    /// <summary>A field the API documents as required: its absence makes the reply unusable.</summary>
    public static string Require(string? value, string field, CloudProvider provider, string what) =>
        string.IsNullOrEmpty(value)
            ? throw JsonReply.Invalid(provider, what, $"the reply is missing the required field '{field}'")
            : value;

    public static T Require<T>(T? value, string field, CloudProvider provider, string what)
        where T : class =>
        value ?? throw JsonReply.Invalid(provider, what, $"the reply is missing the required field '{field}'");

    /// <summary>
    /// The entries of a reply's list that are there. A null entry (<c>[null, {…}]</c>) carries nothing to
    /// map, so it is skipped, as Voltage Park node pages always were; a missing list reads as empty.
    /// </summary>
    public static IEnumerable<T> Entries<T>(IEnumerable<T?>? list)
        where T : class =>
        list?.OfType<T>() ?? [];

    /// <summary>Voltage Park: milliseconds since the Unix epoch.</summary>
    public static DateTimeOffset? FromUnixMilliseconds(long? value, CloudProvider provider, string what) =>
        value is null ? null : Convert(value.Value, 1, provider, what);

    /// <summary>SF Compute: seconds since the Unix epoch.</summary>
    public static DateTimeOffset? FromUnixSeconds(long? value, CloudProvider provider, string what) =>
        value is null ? null : Convert(value.Value, 1000, provider, what);

    /// <summary>Together and Exalsius: RFC 3339 text.</summary>
    public static DateTimeOffset? FromRfc3339(string? value, CloudProvider provider, string what)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        return DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed)
            ? parsed
            : throw JsonReply.Invalid(provider, what, $"'{value}' is not an RFC 3339 time");
    }

    private static DateTimeOffset Convert(long value, long toMilliseconds, CloudProvider provider, string what)
    {
        const long MaxMs = 253402300799999; // 9999-12-31T23:59:59.999Z
        if (value < 0 || value > MaxMs / toMilliseconds)
        {
            throw JsonReply.Invalid(provider, what, $"the timestamp {value} is out of range");
        }

        return DateTimeOffset.FromUnixTimeMilliseconds(value * toMilliseconds);
    }
}
