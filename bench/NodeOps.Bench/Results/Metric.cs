namespace NodeOps.Bench.Results;

/// <summary>One figure of a scenario; <see cref="Goal"/> and <see cref="Met"/> are set for the figures the issue sets a goal for.</summary>
public sealed record Metric(string Key, double Value, string Unit, string? Goal = null, bool? Met = null);
