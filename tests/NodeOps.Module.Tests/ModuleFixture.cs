using System.Reflection;
using System.Xml.Linq;
using NodeOps.HelpGen;

namespace NodeOps.Module.Tests;

/// <summary>The assembled module folder and the cmdlet metadata read from it (shared by all tests).</summary>
public sealed class ModuleFixture : IDisposable
{
    public ModuleFixture()
    {
        RepoRoot = Metadata("RepoRoot");
        ModuleDir = Path.Combine(RepoRoot, "out", "NodeOps");
        Assert.True(File.Exists(ModuleAssemblyPath), $"{ModuleAssemblyPath} is missing: build src/NodeOps first.");
        SmaPath = Path.Combine(Metadata("PowerShellStandardPackage"), "lib", "netstandard2.0", "System.Management.Automation.dll");
        Catalog = CmdletCatalog.Open(ModuleAssemblyPath, SmaPath);
        Engine = Catalog.Context.LoadFromAssemblyName("NodeOps.Engine");
        Sma = Catalog.Context.LoadFromAssemblyName("System.Management.Automation");
    }

    public string RepoRoot { get; }

    public string ModuleDir { get; }

    public string ModuleAssemblyPath => Path.Combine(ModuleDir, "NodeOps.dll");

    public string DependenciesDir => Path.Combine(ModuleDir, "dependencies");

    public string SmaPath { get; }

    public CmdletCatalog Catalog { get; }

    public IReadOnlyList<CmdletModel> Cmdlets => Catalog.Cmdlets;

    /// <summary>NodeOps.Engine as metadata (same context as the cmdlets).</summary>
    public Assembly Engine { get; }

    public Assembly Sma { get; }

    public Type EngineType(string fullName) =>
        Engine.GetType(fullName, throwOnError: false) ?? throw new KeyNotFoundException($"No type {fullName} in NodeOps.Engine.");

    public XDocument FormatXml => XDocument.Load(Path.Combine(ModuleDir, "formats", "NodeOps.Format.ps1xml"));

    public XDocument HelpXml => XDocument.Load(Path.Combine(ModuleDir, "en-US", "NodeOps.dll-Help.xml"));

    public string ManifestText => File.ReadAllText(Path.Combine(ModuleDir, "NodeOps.psd1"));

    public static string Metadata(string key) =>
        typeof(ModuleFixture).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value
        ?? throw new InvalidOperationException($"Assembly metadata {key} is empty.");

    public void Dispose() => Catalog.Dispose();
}

[CollectionDefinition(Name)]
public sealed class ModuleCollection : ICollectionFixture<ModuleFixture>
{
    public const string Name = "module";
}
