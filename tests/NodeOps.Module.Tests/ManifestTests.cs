using System.Reflection;
using System.Text.RegularExpressions;

namespace NodeOps.Module.Tests;

[Collection(ModuleCollection.Name)]
public sealed partial class ManifestTests(ModuleFixture module)
{
    private string Manifest => module.ManifestText;

    private string Value(string key)
    {
        var m = Regex.Match(Manifest, $@"^\s*{key}\s*=\s*'(?<v>[^']*)'", RegexOptions.Multiline);
        Assert.True(m.Success, $"{key} is missing from the manifest");
        return m.Groups["v"].Value;
    }

    private IReadOnlyList<string> List(string key)
    {
        var m = Regex.Match(Manifest, $@"^\s*{key}\s*=\s*@\((?<v>[^)]*)\)", RegexOptions.Multiline);
        Assert.True(m.Success, $"{key} is missing from the manifest");
        return QuotedString().Matches(m.Groups["v"].Value).Select(x => x.Groups[1].Value).ToList();
    }

    [Fact]
    public void Exports_exactly_the_cmdlet_classes_and_their_aliases_without_wildcards()
    {
        Assert.Equal(module.Cmdlets.Select(c => c.Name).Order(StringComparer.Ordinal), List("CmdletsToExport").Order(StringComparer.Ordinal));
        Assert.Equal(module.Cmdlets.SelectMany(c => c.Aliases).Order(StringComparer.Ordinal), List("AliasesToExport").Order(StringComparer.Ordinal));
        Assert.Empty(List("FunctionsToExport"));
        Assert.Empty(List("VariablesToExport"));
        Assert.DoesNotContain("*", Manifest[Manifest.IndexOf("CmdletsToExport", StringComparison.Ordinal)..Manifest.IndexOf("PrivateData", StringComparison.Ordinal)], StringComparison.Ordinal);
    }

    [Fact]
    public void Targets_PowerShell_7_4_Core_with_the_binary_root_module()
    {
        Assert.Equal("NodeOps.dll", Value("RootModule"));
        Assert.Equal("7.4", Value("PowerShellVersion"));
        Assert.Equal(["Core"], List("CompatiblePSEditions"));
        Assert.True(Guid.TryParse(Value("GUID"), out _));
    }

    [Fact]
    public void The_module_version_is_the_assembly_version()
    {
        var version = AssemblyName.GetAssemblyName(module.ModuleAssemblyPath).Version!;

        Assert.Equal(version.ToString(3), Value("ModuleVersion"));
    }

    [Fact]
    public void Formats_to_process_exist_in_the_module_folder()
    {
        var formats = List("FormatsToProcess");

        Assert.NotEmpty(formats);
        Assert.All(formats, f => Assert.True(File.Exists(Path.Combine(module.ModuleDir, f)), $"{f} is not in out/NodeOps"));
    }

    [Fact]
    public void The_engine_is_never_loaded_by_the_manifest()
    {
        // RequiredAssemblies or NestedModules would load the engine into the default context, defeating isolation.
        Assert.DoesNotMatch(@"^\s*(RequiredAssemblies|NestedModules|ScriptsToProcess)\s*=", Manifest.Split('\n').Where(l => !l.TrimStart().StartsWith('#')).Aggregate(string.Empty, (a, l) => a + l + "\n"));
    }

    [Fact]
    public void Has_gallery_metadata()
    {
        Assert.Contains("PSEdition_Core", List("Tags"));
        Assert.StartsWith("https://", Value("ProjectUri"), StringComparison.Ordinal);
        Assert.StartsWith("https://", Value("LicenseUri"), StringComparison.Ordinal);
        Assert.Matches(@"ReleaseNotes\s*=\s*@'", Manifest);
        Assert.False(string.IsNullOrWhiteSpace(Value("Description")));
    }

    [GeneratedRegex("'([^']*)'")]
    private static partial Regex QuotedString();
}
