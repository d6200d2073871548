using System.Xml.Linq;
using NodeOps.HelpGen;

namespace NodeOps.Module.Tests;

[Collection(ModuleCollection.Name)]
public sealed class HelpTests(ModuleFixture module)
{
    private static readonly XNamespace Command = MamlWriter.CommandNs;
    private static readonly XNamespace Maml = MamlWriter.MamlNs;
    private static readonly XNamespace Dev = MamlWriter.DevNs;

    private XElement Help(string name) =>
        module.HelpXml.Root!.Elements(Command + "command").SingleOrDefault(c => c.Element(Command + "details")!.Element(Command + "name")!.Value == name)
        ?? throw new Xunit.Sdk.XunitException($"No help for {name}");

    private static string Text(XElement? description) =>
        string.Join(" ", description?.Elements(Maml + "para").Select(p => p.Value) ?? []).Trim();

    [Fact]
    public void The_help_file_is_where_PowerShell_looks_for_a_binary_modules_help()
    {
        Assert.True(File.Exists(Path.Combine(module.ModuleDir, "en-US", "NodeOps.dll-Help.xml")));
        Assert.Equal(XNamespace.Get(MamlWriter.MshNs) + "helpItems", module.HelpXml.Root!.Name);
        Assert.Equal("maml", module.HelpXml.Root.Attribute("schema")!.Value);
    }

    [Fact]
    public void Every_command_has_a_synopsis_a_description_and_at_least_two_examples_with_code()
    {
        foreach (var cmdlet in module.Cmdlets)
        {
            var help = Help(cmdlet.Name);
            var details = help.Element(Command + "details")!;
            Assert.Equal(cmdlet.Verb, details.Element(Command + "verb")!.Value);
            Assert.Equal(cmdlet.Noun, details.Element(Command + "noun")!.Value);
            Assert.False(string.IsNullOrWhiteSpace(Text(details.Element(Maml + "description"))), $"{cmdlet.Name}: no synopsis");
            Assert.False(string.IsNullOrWhiteSpace(Text(help.Element(Maml + "description"))), $"{cmdlet.Name}: no description");
            var examples = help.Element(Command + "examples")!.Elements(Command + "example").ToList();
            Assert.True(examples.Count >= 2, $"{cmdlet.Name}: {examples.Count} example(s)");
            Assert.All(examples, e => Assert.False(string.IsNullOrWhiteSpace(e.Element(Dev + "code")!.Value)));
        }
    }

    [Fact]
    public void Every_parameter_is_described_including_WhatIf_and_Confirm()
    {
        foreach (var cmdlet in module.Cmdlets)
        {
            var described = Help(cmdlet.Name).Element(Command + "parameters")!.Elements(Command + "parameter")
                .ToDictionary(p => p.Element(Maml + "name")!.Value, p => Text(p.Element(Maml + "description")));
            var expected = cmdlet.Parameters.Select(p => p.Name).Concat(cmdlet.SupportsShouldProcess ? ["WhatIf", "Confirm"] : []).ToList();

            Assert.Equal(expected.Order(), described.Keys.Order());
            Assert.All(described, d => Assert.False(string.IsNullOrWhiteSpace(d.Value), $"{cmdlet.Name} -{d.Key} has no description"));
        }
    }

    [Fact]
    public void The_syntax_has_one_entry_per_parameter_set_with_its_parameters()
    {
        foreach (var cmdlet in module.Cmdlets)
        {
            var items = Help(cmdlet.Name).Element(Command + "syntax")!.Elements(Command + "syntaxItem").ToList();
            Assert.Equal(cmdlet.ParameterSetNames.Count, items.Count);
            foreach (var (item, set) in items.Zip(cmdlet.ParameterSetNames))
            {
                var names = item.Elements(Command + "parameter").Select(p => p.Element(Maml + "name")!.Value).ToHashSet();
                Assert.All(cmdlet.ParametersIn(set), p => Assert.Contains(p.Parameter.Name, names));
            }
        }
    }

    [Fact]
    public void Pipeline_input_and_aliases_in_the_help_come_from_the_attributes()
    {
        var invoke = Help("Invoke-NodeRemediation").Element(Command + "parameters")!.Elements(Command + "parameter")
            .Single(p => p.Element(Maml + "name")!.Value == "Id");

        Assert.Equal("True (ByPropertyName)", invoke.Attribute("pipelineInput")!.Value);
        Assert.Equal("NodeId", invoke.Attribute("aliases")!.Value);
        Assert.Equal("NodeOps.Engine.Remediation", Help("Invoke-NodeRemediation").Element(Command + "returnValues")!.Descendants(Maml + "name").First().Value);
    }

    /// <summary>Every NodeOps command an example calls exists, and every parameter it passes is one the command has.</summary>
    [Fact]
    public void Examples_call_real_commands_with_real_parameters()
    {
        string[] common = ["WhatIf", "Confirm", "Verbose", "Debug", "ErrorAction", "ErrorVariable", "WarningAction", "WarningVariable", "OutVariable", "InformationAction"];
        var byName = module.Cmdlets.ToDictionary(c => c.Name, StringComparer.OrdinalIgnoreCase);
        foreach (var cmdlet in module.Cmdlets)
        {
            foreach (var alias in cmdlet.Aliases)
            {
                byName[alias] = cmdlet;
            }
        }

        var documents = HelpSources.Load(Path.Combine(module.RepoRoot, "docs", "help"), module.Cmdlets);
        var calls = 0;
        foreach (var doc in documents.Values)
        {
            foreach (var example in doc.Examples)
            {
                // Each pipeline element: a command name followed by its -Parameters.
                foreach (var segment in example.Code.Split(['|', '\n', ';', '(', ')', '{', '}']))
                {
                    var words = segment.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
                    var index = Array.FindIndex(words, w => byName.ContainsKey(w));
                    if (index < 0)
                    {
                        continue;
                    }

                    calls++;
                    var cmdlet = byName[words[index]];
                    foreach (var word in words.Skip(index + 1).Where(w => w.StartsWith('-') && w.Length > 1 && char.IsLetter(w[1])))
                    {
                        var name = word.TrimStart('-').Split(':')[0];
                        var known = cmdlet.Parameters.Any(p => p.BindingNames.Contains(name, StringComparer.OrdinalIgnoreCase)) || common.Contains(name, StringComparer.OrdinalIgnoreCase);
                        Assert.True(known, $"{doc.Path}, '{example.Title}': {cmdlet.Name} has no parameter -{name}");
                    }
                }
            }
        }

        Assert.True(calls > 40, $"only {calls} NodeOps calls found in the examples");
    }

    [Fact]
    public void The_generator_refuses_help_that_disagrees_with_the_cmdlets()
    {
        var cmdlet = module.Catalog.Get("Stop-Remediation");
        var doc = HelpDocument.Parse("Stop-Remediation.md", """
            # Stop-Remediation
            ## SYNOPSIS
            Stops.
            ## DESCRIPTION
            Stops things.
            ## EXAMPLES
            ### Example 1: one
            ```powershell
            Stop-Remediation -Id r
            ```
            ## PARAMETERS
            ### -Id
            The id.
            ### -Bogus
            Not a parameter.
            """);

        var problems = HelpValidator.Validate([cmdlet], new Dictionary<string, HelpDocument> { ["Stop-Remediation"] = doc });

        Assert.Contains(problems, p => p.Contains("1 example(s)", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("-Bogus is described", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("-Provider is not described", StringComparison.Ordinal));
    }
}
