using NodeOps.HelpGen;

// Usage: NodeOps.HelpGen --module <out/NodeOps> --docs <docs/help> --sma <System.Management.Automation.dll> --out <NodeOps.dll-Help.xml>
// Exit code 1 (with MSBuild-style "error" lines) when the markdown and the compiled cmdlets disagree.
var options = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
for (var i = 0; i + 1 < args.Length; i += 2)
{
    options[args[i].TrimStart('-')] = args[i + 1];
}

foreach (var required in new[] { "module", "docs", "sma", "out" })
{
    if (!options.ContainsKey(required))
    {
        Console.Error.WriteLine($"NodeOps.HelpGen: error HELP000: missing --{required}");
        return 2;
    }
}

using var catalog = CmdletCatalog.Open(Path.Combine(options["module"], "NodeOps.dll"), options["sma"]);
var documents = HelpSources.Load(options["docs"], catalog.Cmdlets);

var problems = HelpValidator.Validate(catalog.Cmdlets, documents);
foreach (var problem in problems)
{
    Console.Error.WriteLine($"NodeOps.HelpGen: error HELP001: {problem}");
}

if (problems.Count > 0)
{
    return 1;
}

var output = options["out"];
Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
File.WriteAllText(output, MamlWriter.Write(catalog.Cmdlets, documents));
Console.WriteLine($"NodeOps.HelpGen: wrote help for {catalog.Cmdlets.Count} commands to {output}");
return 0;
