using System.Management.Automation;
using System.Runtime.Loader;

namespace NodeOps.Loading;

/// <summary>
/// Runs when PowerShell imports NodeOps.dll, before any cmdlet does: points the engine's resolution at the
/// module's dependencies/ folder (see <see cref="EngineLoader"/>).
/// </summary>
/// <remarks>
/// PowerShell enumerates the public types of NodeOps.dll just before calling <see cref="OnImport"/>, when the
/// engine cannot be found yet. So no public type here may derive from, implement, or hold a field of a value
/// type from the engine (an enum parameter is stored boxed; see <c>Commands/</c>); reference-typed members are
/// fine because the runtime loads them only when code using them runs. A module test checks this rule.
/// </remarks>
public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
{
    public void OnImport()
    {
        var assembly = typeof(ModuleInitializer).Assembly;
        var host = AssemblyLoadContext.GetLoadContext(assembly) ?? AssemblyLoadContext.Default;
        var dependencies = Path.Combine(Path.GetDirectoryName(assembly.Location) ?? AppContext.BaseDirectory, "dependencies");
        EngineLoader.Register(host, dependencies);
    }

    public void OnRemove(PSModuleInfo psModuleInfo) => EngineLoader.Unregister();
}
