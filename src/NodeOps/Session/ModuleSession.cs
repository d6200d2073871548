using NodeOps.Engine;

namespace NodeOps.Session;

/// <summary>
/// Process-wide state: the connections made with <c>Connect-GpuCloud</c>. Process scope (not runspace scope)
/// on purpose: a runbook's <c>ForEach-Object -Parallel</c> runspaces see the same connections. In memory only.
/// </summary>
internal static class ModuleSession
{
    public static ConnectionStore Connections { get; } = new();

    public static CredentialResolver Resolver() => new(Connections, Environment.GetEnvironmentVariable);
}
