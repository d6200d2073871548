namespace NodeOps.Engine;

/// <summary>A fleet's or cluster's status normalised across providers.</summary>
public enum ClusterStatus
{
    Unknown = 0,
    Provisioning,
    Ready,
    Degraded,
    Scaling,
    Paused,
    Deleting,
    Terminated,
    Failed,
}
