using System.Text;
using System.Text.RegularExpressions;

namespace NodeOps.HelpGen;

/// <summary>One example: a title, PowerShell code and the text explaining it.</summary>
public sealed record HelpExample(string Title, string Code, string Remarks);

/// <summary>
/// The prose of one command's help, read from <c>docs/help/&lt;Verb-Noun&gt;.md</c>:
/// <code>
/// # Verb-Noun
/// ## SYNOPSIS            one paragraph
/// ## DESCRIPTION         paragraphs
/// ## EXAMPLES            ### Example N: title, a ```powershell fence, then remarks
/// ## PARAMETERS          ### -Name, then its description
/// ## INPUTS / OUTPUTS / NOTES / RELATED LINKS   (optional; links as "- [text](uri)")
/// </code>
/// Everything else (types, sets, positions, pipeline input, aliases) comes from the compiled cmdlet.
/// </summary>
public sealed partial class HelpDocument
{
    public required string Path { get; init; }

    public required string Command { get; init; }

    public string Synopsis { get; init; } = string.Empty;

    public IReadOnlyList<string> Description { get; init; } = [];

    public IReadOnlyList<HelpExample> Examples { get; init; } = [];

    public IReadOnlyDictionary<string, IReadOnlyList<string>> Parameters { get; init; } = new Dictionary<string, IReadOnlyList<string>>();

    public IReadOnlyList<string> Inputs { get; init; } = [];

    public IReadOnlyList<string> Outputs { get; init; } = [];

    public IReadOnlyList<string> Notes { get; init; } = [];

    public IReadOnlyList<(string Text, string Uri)> Links { get; init; } = [];

    /// <summary>
    /// This document with parameter descriptions it lacks taken from <paramref name="shared"/> (docs/help/_Shared.md),
    /// for the parameters <paramref name="parameters"/> the command actually has.
    /// </summary>
    public HelpDocument WithShared(HelpDocument? shared, IEnumerable<string> parameters)
    {
        if (shared is null)
        {
            return this;
        }

        var merged = new Dictionary<string, IReadOnlyList<string>>(Parameters, StringComparer.OrdinalIgnoreCase);
        foreach (var name in parameters)
        {
            if (!merged.ContainsKey(name) && shared.Parameters.TryGetValue(name, out var text))
            {
                merged[name] = text;
            }
        }

        return new HelpDocument
        {
            Path = Path,
            Command = Command,
            Synopsis = Synopsis,
            Description = Description,
            Examples = Examples,
            Parameters = merged,
            Inputs = Inputs,
            Outputs = Outputs,
            Notes = Notes,
            Links = Links,
        };
    }

    public static HelpDocument Parse(string path) => Parse(path, File.ReadAllText(path));

    public static HelpDocument Parse(string path, string markdown)
    {
        var lines = markdown.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        string? command = null;
        var sections = new Dictionary<string, List<string>>(StringComparer.OrdinalIgnoreCase);
        List<string>? current = null;
        var inFence = false;
        foreach (var line in lines)
        {
            if (line.StartsWith("```", StringComparison.Ordinal))
            {
                inFence = !inFence;
            }

            if (!inFence && line.StartsWith("# ", StringComparison.Ordinal) && command is null)
            {
                command = line[2..].Trim();
                continue;
            }

            if (!inFence && line.StartsWith("## ", StringComparison.Ordinal))
            {
                current = [];
                sections[line[3..].Trim()] = current;
                continue;
            }

            current?.Add(line);
        }

        var parameters = new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase);
        foreach (var (heading, body) in SubSections(sections.GetValueOrDefault("PARAMETERS")))
        {
            parameters[heading.TrimStart('-').Trim()] = Paragraphs(body);
        }

        var examples = new List<HelpExample>();
        foreach (var (heading, body) in SubSections(sections.GetValueOrDefault("EXAMPLES")))
        {
            var code = new StringBuilder();
            var remarks = new List<string>();
            var fence = false;
            foreach (var line in body)
            {
                if (line.StartsWith("```", StringComparison.Ordinal))
                {
                    fence = !fence;
                    continue;
                }

                if (fence)
                {
                    code.AppendLine(line);
                }
                else
                {
                    remarks.Add(line);
                }
            }

            examples.Add(new HelpExample(heading, code.ToString().TrimEnd(), string.Join("\n\n", Paragraphs(remarks))));
        }

        var links = new List<(string, string)>();
        foreach (var line in sections.GetValueOrDefault("RELATED LINKS") ?? [])
        {
            var m = LinkPattern().Match(line);
            if (m.Success)
            {
                links.Add((m.Groups["text"].Value, m.Groups["uri"].Value));
            }
        }

        return new HelpDocument
        {
            Path = path,
            Command = command ?? string.Empty,
            Synopsis = string.Join(" ", Paragraphs(sections.GetValueOrDefault("SYNOPSIS"))),
            Description = Paragraphs(sections.GetValueOrDefault("DESCRIPTION")),
            Examples = examples,
            Parameters = parameters,
            Inputs = Paragraphs(sections.GetValueOrDefault("INPUTS")),
            Outputs = Paragraphs(sections.GetValueOrDefault("OUTPUTS")),
            Notes = Paragraphs(sections.GetValueOrDefault("NOTES")),
            Links = links,
        };
    }

    /// <summary>Splits a section at its ### headings.</summary>
    private static IEnumerable<(string Heading, List<string> Body)> SubSections(List<string>? lines)
    {
        if (lines is null)
        {
            yield break;
        }

        string? heading = null;
        var body = new List<string>();
        var fence = false;
        foreach (var line in lines)
        {
            if (line.StartsWith("```", StringComparison.Ordinal))
            {
                fence = !fence;
            }

            if (!fence && line.StartsWith("### ", StringComparison.Ordinal))
            {
                if (heading is not null)
                {
                    yield return (heading, body);
                }

                heading = line[4..].Trim();
                body = [];
                continue;
            }

            body.Add(line);
        }

        if (heading is not null)
        {
            yield return (heading, body);
        }
    }

    /// <summary>Paragraphs: blank-line separated, lines joined; list items ("- x") stay one per paragraph.</summary>
    private static List<string> Paragraphs(IEnumerable<string>? lines)
    {
        var result = new List<string>();
        var current = new StringBuilder();
        void Flush()
        {
            if (current.Length > 0)
            {
                result.Add(current.ToString().Trim());
                current.Clear();
            }
        }

        foreach (var raw in lines ?? [])
        {
            var line = raw.TrimEnd();
            if (line.Length == 0)
            {
                Flush();
                continue;
            }

            if (line.TrimStart().StartsWith("- ", StringComparison.Ordinal))
            {
                Flush();
            }

            if (current.Length > 0)
            {
                current.Append(' ');
            }

            current.Append(line.Trim());
        }

        Flush();
        return result;
    }

    [GeneratedRegex(@"^\s*-\s*\[(?<text>[^\]]+)\]\((?<uri>[^)]*)\)")]
    private static partial Regex LinkPattern();
}
