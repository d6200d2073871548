using System.Web;
using NodeOps.Emulator.Admin;

namespace NodeOps.Reliability.Tests.UserInput;

/// <summary>
/// Ids with every character class that can move a request elsewhere: path separators and dot
/// segments inside an id, query and fragment delimiters, percent signs (literal and already-escaped
/// looking), spaces, plus signs, backslashes, and non-ASCII text.
/// </summary>
public static class OddIds
{
    public static readonly string[] All =
    [
        "a/b",
        "a/../b",
        "..x",
        "x..",
        "q?x=1&y=2",
        "frag#1",
        "100%",
        "%41",
        "a%2Fb",
        "with space",
        "plus+sign",
        "back\\slash",
        "ünïcødé",
        "日本-ノード",
        "🚀-node",
        "semi;colon,comma=eq",
    ];

    public static TheoryData<int> Indexes() => new(Enumerable.Range(0, All.Length));

    /// <summary>
    /// Checks that <paramref name="entry"/>'s raw request target has exactly the segments given
    /// (decoded), each escaped so that it is one segment: only unreserved characters and %XX appear raw.
    /// </summary>
    public static void AssertPath(RequestLogEntry entry, string method, params string[] segments)
    {
        Assert.Equal(method, entry.Method);
        var raw = entry.RawTarget.Split('?')[0].Split('/')[1..];
        Assert.Equal(segments.Length, raw.Length);
        for (var i = 0; i < segments.Length; i++)
        {
            Assert.Matches("^(?:[A-Za-z0-9\\-._~]|%[0-9A-F]{2})*$", raw[i]);
            Assert.Equal(segments[i], Uri.UnescapeDataString(raw[i]));
        }

        // The emulator decodes each raw segment once: what it routed on names the same resource.
        Assert.Equal("/" + string.Join('/', segments), entry.Path);
    }

    /// <summary>The values of query parameter <paramref name="name"/> in <paramref name="entry"/>, decoded once.</summary>
    public static string[] Query(RequestLogEntry entry, string name) =>
        HttpUtility.ParseQueryString(entry.Query).GetValues(name) ?? [];
}
