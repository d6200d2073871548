using System.Globalization;

namespace NodeOps.Bench;

/// <summary>Sizes and switches of one benchmark run. <see cref="Smoke"/> is the few-seconds variant the test suite runs.</summary>
public sealed record BenchOptions
{
    public const string Usage = """
        NodeOps benchmark: the engine against the emulator, with added latency per request.

          dotnet run -c Release --project bench/NodeOps.Bench [-- options]

          --latency <ms,ms,...>        added latency per request (default 0,20)
          --nodes <n>                  nodes to list, spread evenly over the four providers (default 10000)
          --nodes-per-cluster <n>      nodes per VP fleet / Together cluster / SF procurement (default 500)
          --list-runs <n>              measured listings per latency, median reported (default 5)
          --remediations <n>           Together remediations to stream (default 100000)
          --page-size <n>              Together remediation page size (default 1000, the API's largest)
          --fanout <n>                 Together instances and Voltage Park nodes to remediate (default 1000)
          --concurrency <n>            bounded concurrency C of the Together fan-out (default 16)
          --parse-ms <ms>              time spent per parse payload (default 1000)
          --cold-start-runs <n>        fresh processes timed (default 5)
          --cold-start-from <dir>      time the cold start of the NodeOps.Bench.dll in <dir> (e.g. a ReadyToRun publish) instead of this one
          --warmup-passes <n>          most warm-up passes per scenario, until the JIT is quiet (default 6; 0 = none)
          --scenarios <a,b,...>        list, streaming, fanout, parse, cold-start (default: all)
          --in-process-emulator        run the emulator inside this process (allocation and heap figures then include it)
          --json <path>                also write the JSON lines to this file
          --alloc-profile              print the types allocated most during each scenario's measured runs (sampled)
          --smoke                      tiny sizes: checks that every scenario runs, in seconds
        """;

    public IReadOnlyList<int> LatenciesMs { get; init; } = [0, 20];

    public int Nodes { get; init; } = 10_000;

    public int NodesPerCluster { get; init; } = 500;

    public int ListRuns { get; init; } = 5;

    public int Remediations { get; init; } = 100_000;

    public int RemediationPageSize { get; init; } = 1000;

    public int FanOut { get; init; } = 1000;

    public int Concurrency { get; init; } = 16;

    public int ParseMs { get; init; } = 1000;

    public int ColdStartRuns { get; init; } = 5;

    /// <summary>A folder with another build of this benchmark (e.g. published ReadyToRun) whose cold start to time.</summary>
    public string? ColdStartFrom { get; init; }

    /// <summary>Warm-up passes stop earlier once a pass makes the JIT compile almost nothing new.</summary>
    public int WarmupPasses { get; init; } = 6;

    public IReadOnlySet<string> Scenarios { get; init; } = AllScenarios;

    public bool SeparateEmulatorProcess { get; init; } = true;

    public string? JsonPath { get; init; }

    public bool AllocationProfile { get; init; }

    public bool IsSmoke { get; init; }

    public static IReadOnlySet<string> AllScenarios { get; } = new HashSet<string>(StringComparer.Ordinal) { "list", "streaming", "fanout", "parse", "cold-start" };

    /// <summary>Every scenario at sizes that run in seconds: the suite's guard against the benchmark rotting.</summary>
    public static BenchOptions Smoke { get; } = new()
    {
        LatenciesMs = [0, 5],
        Nodes = 400,
        NodesPerCluster = 50,
        ListRuns = 1,
        Remediations = 2_000,
        RemediationPageSize = 500,
        FanOut = 40,
        Concurrency = 8,
        ParseMs = 20,
        ColdStartRuns = 1,
        WarmupPasses = 0,
        IsSmoke = true,
    };

    public bool Runs(string scenario) => Scenarios.Contains(scenario);

    public static BenchOptions Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var options = args.Contains("--smoke") ? Smoke : new BenchOptions();
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{name} needs a value.");
            options = name switch
            {
                "--smoke" => options,
                "--in-process-emulator" => options with { SeparateEmulatorProcess = false },
                "--latency" => options with { LatenciesMs = Value().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(v => Int(name, v, 0)).ToList() },
                "--nodes" => options with { Nodes = Int(name, Value(), 4) },
                "--nodes-per-cluster" => options with { NodesPerCluster = Int(name, Value(), 1) },
                "--list-runs" => options with { ListRuns = Int(name, Value(), 1) },
                "--remediations" => options with { Remediations = Int(name, Value(), 10) },
                "--page-size" => options with { RemediationPageSize = Int(name, Value(), 1) },
                "--fanout" => options with { FanOut = Int(name, Value(), 1) },
                "--concurrency" => options with { Concurrency = Int(name, Value(), 1) },
                "--parse-ms" => options with { ParseMs = Int(name, Value(), 1) },
                "--cold-start-runs" => options with { ColdStartRuns = Int(name, Value(), 1) },
                "--warmup-passes" => options with { WarmupPasses = Int(name, Value(), 0) },
                "--cold-start-from" => options with { ColdStartFrom = Path.GetFullPath(Value()) },
                "--scenarios" => options with { Scenarios = Scenario(Value()) },
                "--json" => options with { JsonPath = Value() },
                "--alloc-profile" => options with { AllocationProfile = true },
                _ => throw new ArgumentException($"Unknown option {name}.\n{Usage}"),
            };
        }

        if (options.LatenciesMs.Count == 0)
        {
            throw new ArgumentException("--latency needs at least one value.");
        }

        return options;
    }

    private static HashSet<string> Scenario(string value)
    {
        var set = new HashSet<string>(value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), StringComparer.Ordinal);
        foreach (var s in set)
        {
            if (!AllScenarios.Contains(s))
            {
                throw new ArgumentException($"Unknown scenario '{s}'; known: {string.Join(", ", AllScenarios)}.");
            }
        }

        return set;
    }

    private static int Int(string name, string value, int min) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= min
            ? n
            : throw new ArgumentException($"{name} needs an integer >= {min}, got '{value}'.");
}
