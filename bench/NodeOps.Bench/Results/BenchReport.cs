namespace NodeOps.Bench.Results;

/// <summary>Everything one benchmark run produced, in the order the scenarios ran.</summary>
public sealed class BenchReport
{
    public required MachineInfo Machine { get; init; }

    public List<ScenarioResult> Results { get; } = [];

    /// <summary>The JSON lines printed, one per result, in the same order.</summary>
    public List<string> JsonLines { get; } = [];

    public IEnumerable<ScenarioResult> Of(string scenario) => Results.Where(r => r.Scenario == scenario);
}
