using System.Reflection;
using System.Runtime.Loader;

namespace NodeOps.Loading;

/// <summary>
/// Connects the context PowerShell loaded NodeOps.dll into (the "host" context, normally the default one) to
/// the private <see cref="EngineLoadContext"/>: when the host cannot find NodeOps.Engine (it is not next to
/// NodeOps.dll, by design), its <c>Resolving</c> event asks us and gets the engine loaded privately. From then
/// on the engine's own references (Polly.Core, ...) resolve inside the private context first, so they never
/// meet another module's copies. Only the engine's name is answered: every other failed lookup in the host
/// stays someone else's business.
/// </summary>
/// <remarks>
/// The pattern of PSResourceGet and platyPS, and of Microsoft's "Resolving PowerShell module assembly
/// dependency conflicts". It has no PowerShell types in it, so tests can drive it from a plain load context.
/// </remarks>
internal static class EngineLoader
{
    public const string EngineAssemblyName = "NodeOps.Engine";

    private static readonly object Gate = new();
    private static EngineLoadContext? s_context;
    private static AssemblyLoadContext? s_host;

    /// <summary>The private context, once <see cref="Register"/> has run.</summary>
    public static EngineLoadContext? Context => s_context;

    /// <summary>
    /// Hooks <paramref name="host"/>'s <c>Resolving</c> event. Idempotent: PowerShell may call the module
    /// initializer more than once (every import, nested imports), and one engine per process is the point.
    /// </summary>
    public static void Register(AssemblyLoadContext host, string dependencyDirectory)
    {
        ArgumentNullException.ThrowIfNull(host);
        lock (Gate)
        {
            s_context ??= new EngineLoadContext(dependencyDirectory);
            if (s_host is not null)
            {
                return;
            }

            host.Resolving += OnResolving;
            s_host = host;
        }
    }

    /// <summary>Unhooks the host (Remove-Module). Already loaded engine types stay usable; a later import re-registers.</summary>
    public static void Unregister()
    {
        lock (Gate)
        {
            if (s_host is not null)
            {
                s_host.Resolving -= OnResolving;
                s_host = null;
            }
        }
    }

    /// <summary>Loads the engine into the private context (tests and diagnostics; PowerShell goes through <c>Resolving</c>).</summary>
    public static Assembly LoadEngine() =>
        (s_context ?? throw new InvalidOperationException("EngineLoader.Register has not run."))
            .LoadFromAssemblyName(new AssemblyName(EngineAssemblyName));

    private static Assembly? OnResolving(AssemblyLoadContext host, AssemblyName name) =>
        string.Equals(name.Name, EngineAssemblyName, StringComparison.Ordinal) && s_context is { } context
            ? context.LoadFromAssemblyName(name)
            : null;
}
