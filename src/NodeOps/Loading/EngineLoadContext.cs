using System.Reflection;
using System.Runtime.Loader;

namespace NodeOps.Loading;

/// <summary>
/// The private load context for NodeOps.Engine and its packages (Polly.Core, ...), all in the module's
/// dependencies/ folder. Assemblies found there load here, whatever versions other modules loaded into the
/// default context; anything else (the framework) falls back to the default context.
/// </summary>
internal sealed class EngineLoadContext : AssemblyLoadContext
{
    public EngineLoadContext(string dependencyDirectory)
        : base("NodeOps.Engine", isCollectible: false)
    {
        DependencyDirectory = dependencyDirectory;
    }

    public string DependencyDirectory { get; }

    protected override Assembly? Load(AssemblyName assemblyName)
    {
        if (string.IsNullOrEmpty(assemblyName.Name))
        {
            return null;
        }

        var path = Path.Combine(DependencyDirectory, assemblyName.Name + ".dll");
        return File.Exists(path) ? LoadFromAssemblyPath(path) : null;
    }
}
