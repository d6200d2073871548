namespace NodeOps.Engine;

/// <summary>
/// A node's status normalised across providers. The provider's own value is kept in
/// <see cref="GpuNode.ProviderStatus"/>; values NodeOps does not know map to <see cref="Unknown"/>.
/// </summary>
public enum GpuNodeStatus
{
    Unknown = 0,
    Provisioning,
    Ready,
    InUse,
    Degraded,
    Remediating,
    Stopped,
    Terminating,
    Terminated,
    Failed,
}
