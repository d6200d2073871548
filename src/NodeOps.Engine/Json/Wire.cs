using System.Globalization;
using NodeOps.Engine.Http;

namespace NodeOps.Engine.Json;

/// <summary>Checks and conversions shared by every provider's mapping from wire DTOs to the common model.</summary>
internal static class Wire
{
    /// <summary>A field the API documents as required: its absence makes the reply unusable.</summary>
    public static string Require(string? value, string field, CloudProvider provider, WireSubject what) =>
        string.IsNullOrEmpty(value)
            ? throw JsonReply.Invalid(provider, what.ToString(), $"the reply is missing the required field '{field}'")
            : value;

    public static T Require<T>(T? value, string field, CloudProvider provider, WireSubject what)
        where T : class =>
        value ?? throw JsonReply.Invalid(provider, what.ToString(), $"the reply is missing the required field '{field}'");

    /// <summary>
    /// An id the reply hands over for a later request path (a fleet's, a cluster's): absent stays absent, for the
    /// caller to decide; present but unusable as one path segment is an unreadable reply. Checked here, in the
    /// read, because the path check's own error quotes the value as a user's argument, outside the redaction.
    /// </summary>
    public static string? PathId(string? value, string field, CloudProvider provider, WireSubject what) =>
        string.IsNullOrEmpty(value) || (!value.Any(char.IsControl) && !PathSegment.HasUnpairedSurrogate(value) && value is not ("." or ".."))
            ? value
            : throw JsonReply.Invalid(provider, what.ToString(), $"its '{field}' cannot be used in a request path");

    /// <summary>
    /// The entries of a reply's list that are there. A null entry (<c>[null, {…}]</c>) carries nothing to
    /// map, so it is skipped, as Voltage Park node pages always were; a missing list reads as empty.
    /// </summary>
    public static IEnumerable<T> Entries<T>(IEnumerable<T?>? list)
        where T : class =>
        list?.OfType<T>() ?? [];

    /// <summary>Voltage Park: milliseconds since the Unix epoch.</summary>
    public static DateTimeOffset? FromUnixMilliseconds(long? value, CloudProvider provider, WireSubject what) =>
        value is null ? null : Convert(value.Value, 1, provider, what);

    /// <summary>SF Compute: seconds since the Unix epoch.</summary>
    public static DateTimeOffset? FromUnixSeconds(long? value, CloudProvider provider, WireSubject what) =>
        value is null ? null : Convert(value.Value, 1000, provider, what);

    /// <summary>Together and Exalsius: RFC 3339 text.</summary>
    public static DateTimeOffset? FromRfc3339(string? value, CloudProvider provider, WireSubject what)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        return DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed)
            ? parsed
            : throw JsonReply.Invalid(provider, what.ToString(), $"'{value}' is not an RFC 3339 time");
    }

    private static DateTimeOffset Convert(long value, long toMilliseconds, CloudProvider provider, WireSubject what)
    {
        const long MaxMs = 253402300799999; // 9999-12-31T23:59:59.999Z
        if (value < 0 || value > MaxMs / toMilliseconds)
        {
            throw JsonReply.Invalid(provider, what.ToString(), $"the timestamp {value} is out of range");
        }

        return DateTimeOffset.FromUnixTimeMilliseconds(value * toMilliseconds);
    }
}

/// <summary>
/// What a reply field belongs to, for the error message when the field is unusable: <c>node 'g0386'</c>,
/// <c>VM 'vm_1' of node 'n_2'</c>. Kept in pieces and formatted only for an error, because mapping a listing
/// checks several fields of every node and almost never fails.
/// </summary>
internal readonly struct WireSubject
{
    private readonly string _kind;
    private readonly string? _id;
    private readonly bool _hasId;
    private readonly string? _ownerKind;
    private readonly string? _ownerId;

    /// <param name="kind">What it is: <c>node</c>, <c>node of fleet</c>.</param>
    /// <param name="id">Its id, quoted after the kind (a missing id shows as <c>''</c>).</param>
    public WireSubject(string kind, string? id)
    {
        _kind = kind;
        _id = id;
        _hasId = true;
    }

    private WireSubject(string text)
    {
        _kind = text;
    }

    private WireSubject(WireSubject self, string ownerKind, string? ownerId)
    {
        this = self;
        _ownerKind = ownerKind;
        _ownerId = ownerId;
    }

    /// <summary>This subject as part of another: <c>VM 'vm_1'</c> of <c>node 'n_2'</c>.</summary>
    public WireSubject Of(string ownerKind, string? ownerId) => new(this, ownerKind, ownerId);

    public static implicit operator WireSubject(string text) => new(text);

    public override string ToString()
    {
        var self = _hasId ? $"{_kind} '{_id}'" : _kind;
        return _ownerKind is null ? self : $"{self} of {_ownerKind} '{_ownerId}'";
    }
}
