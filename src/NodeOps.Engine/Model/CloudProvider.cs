namespace NodeOps.Engine;

/// <summary>The GPU clouds NodeOps speaks to.</summary>
public enum CloudProvider
{
    VoltagePark,
    Exalsius,
    Together,
    SFCompute,
}
