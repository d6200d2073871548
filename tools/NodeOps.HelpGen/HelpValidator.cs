namespace NodeOps.HelpGen;

/// <summary>Checks that the prose and the compiled cmdlets agree; every problem is reported, none is fatal alone.</summary>
public static class HelpValidator
{
    /// <summary>Parameters PowerShell adds to ShouldProcess cmdlets; their help text is standard and generated.</summary>
    public static readonly IReadOnlyDictionary<string, string> ShouldProcessParameters = new Dictionary<string, string>
    {
        ["WhatIf"] = "Shows what would happen if the command runs. The command is not run and no request is sent to the provider.",
        ["Confirm"] = "Prompts you for confirmation before each change. -Confirm:$false suppresses the prompt that the command's ConfirmImpact would otherwise raise.",
    };

    public const int MinimumExamples = 2;

    public static IReadOnlyList<string> Validate(IReadOnlyList<CmdletModel> cmdlets, IReadOnlyDictionary<string, HelpDocument> documents)
    {
        var problems = new List<string>();
        foreach (var cmdlet in cmdlets)
        {
            if (!documents.TryGetValue(cmdlet.Name, out var doc))
            {
                problems.Add($"{cmdlet.Name}: no help file docs/help/{cmdlet.Name}.md");
                continue;
            }

            var where = doc.Path;
            if (!string.Equals(doc.Command, cmdlet.Name, StringComparison.Ordinal))
            {
                problems.Add($"{where}: the title is '{doc.Command}', expected '# {cmdlet.Name}'");
            }

            if (string.IsNullOrWhiteSpace(doc.Synopsis))
            {
                problems.Add($"{where}: ## SYNOPSIS is empty");
            }

            if (doc.Description.Count == 0)
            {
                problems.Add($"{where}: ## DESCRIPTION is empty");
            }

            if (doc.Examples.Count < MinimumExamples)
            {
                problems.Add($"{where}: {doc.Examples.Count} example(s); at least {MinimumExamples} are required");
            }

            foreach (var example in doc.Examples.Where(e => string.IsNullOrWhiteSpace(e.Code)))
            {
                problems.Add($"{where}: example '{example.Title}' has no ```powershell code");
            }

            foreach (var parameter in cmdlet.Parameters)
            {
                if (!doc.Parameters.TryGetValue(parameter.Name, out var text) || text.Count == 0)
                {
                    problems.Add($"{where}: parameter -{parameter.Name} is not described under ## PARAMETERS");
                }
            }

            foreach (var described in doc.Parameters.Keys)
            {
                var known = cmdlet.Parameter(described) is not null
                    || (cmdlet.SupportsShouldProcess && ShouldProcessParameters.ContainsKey(described));
                if (!known)
                {
                    problems.Add($"{where}: -{described} is described but {cmdlet.Name} has no such parameter");
                }
            }
        }

        foreach (var name in documents.Keys.Where(n => cmdlets.All(c => !string.Equals(c.Name, n, StringComparison.OrdinalIgnoreCase))))
        {
            problems.Add($"{documents[name].Path}: there is no cmdlet {name}");
        }

        return problems;
    }
}
