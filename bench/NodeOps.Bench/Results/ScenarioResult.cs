namespace NodeOps.Bench.Results;

/// <summary>The figures of one scenario at one added latency.</summary>
public sealed class ScenarioResult
{
    private readonly List<Metric> _metrics = [];

    public required string Scenario { get; init; }

    /// <summary>Distinguishes several results of one scenario (a provider, a payload); null when there is one.</summary>
    public string? Variant { get; init; }

    public required int LatencyMs { get; init; }

    public IReadOnlyList<Metric> Metrics => _metrics;

    /// <summary>How a figure was obtained, where the number alone would mislead.</summary>
    public List<string> Notes { get; } = [];

    public string Name => Variant is null ? Scenario : $"{Scenario}:{Variant}";

    public double this[string key] => Find(key)?.Value ?? throw new KeyNotFoundException($"{Name} has no metric '{key}'.");

    public Metric? Find(string key) => _metrics.Find(m => m.Key == key);

    public ScenarioResult Add(string key, double value, string unit)
    {
        _metrics.Add(new Metric(key, value, unit));
        return this;
    }

    /// <summary>A figure with a goal: <paramref name="met"/> says whether this run reached it.</summary>
    public ScenarioResult AddGoal(string key, double value, string unit, string goal, bool met)
    {
        _metrics.Add(new Metric(key, value, unit, goal, met));
        return this;
    }
}
