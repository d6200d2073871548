namespace NodeOps.HelpGen;

/// <summary>
/// The help sources in docs/help: one <c>Verb-Noun.md</c> per command, plus <c>_Shared.md</c> whose
/// parameter descriptions fill in for parameters many commands share (-Connection, -ApiKey, -Endpoint, ...).
/// </summary>
public static class HelpSources
{
    public const string SharedFile = "_Shared.md";

    public static IReadOnlyDictionary<string, HelpDocument> Load(string directory, IReadOnlyList<CmdletModel> cmdlets)
    {
        var sharedPath = Path.Combine(directory, SharedFile);
        var shared = File.Exists(sharedPath) ? HelpDocument.Parse(sharedPath) : null;
        var documents = new Dictionary<string, HelpDocument>(StringComparer.OrdinalIgnoreCase);
        foreach (var file in Directory.EnumerateFiles(directory, "*-*.md"))
        {
            var doc = HelpDocument.Parse(file);
            var name = Path.GetFileNameWithoutExtension(file);
            var cmdlet = cmdlets.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase));
            documents[name] = cmdlet is null ? doc : doc.WithShared(shared, cmdlet.Parameters.Select(p => p.Name));
        }

        return documents;
    }
}
