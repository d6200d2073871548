using System.Globalization;
using System.Text;

namespace NodeOps.Engine.Http;

/// <summary>Builds an escaped query string; null values are left out.</summary>
internal sealed class QueryBuilder
{
    private readonly StringBuilder _sb = new();

    public QueryBuilder Add(string name, string? value)
    {
        if (value is null)
        {
            return this;
        }

        // A last line of defence: callers name the user's parameter; escaping would send U+FFFD instead.
        if (PathSegment.HasUnpairedSurrogate(value))
        {
            throw new NodeOpsException(ErrorKind.InvalidArgument, $"The value of the query parameter '{name}' is not valid Unicode text (it holds half of a surrogate pair).");
        }

        _sb.Append(_sb.Length == 0 ? '?' : '&')
            .Append(Uri.EscapeDataString(name))
            .Append('=')
            .Append(Uri.EscapeDataString(value));
        return this;
    }

    public QueryBuilder Add(string name, int? value) =>
        Add(name, value?.ToString(CultureInfo.InvariantCulture));

    public QueryBuilder Add(string name, bool? value) =>
        Add(name, value is null ? null : value.Value ? "true" : "false");

    /// <summary>Repeats the parameter once per value (<c>state=A&amp;state=B</c>).</summary>
    public QueryBuilder AddEach(string name, IEnumerable<string>? values)
    {
        if (values is not null)
        {
            foreach (var value in values)
            {
                Add(name, value);
            }
        }

        return this;
    }

    public override string ToString() => _sb.ToString();
}
