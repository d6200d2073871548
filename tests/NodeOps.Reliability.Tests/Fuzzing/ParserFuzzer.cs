using System.Globalization;
using System.Text;
using NodeOps.Engine;

namespace NodeOps.Reliability.Tests.Fuzzing;

/// <summary>What one provider's fuzz run produced: outcome counts, and every case that broke the contract.</summary>
internal sealed class FuzzReport(CloudProvider provider)
{
    public CloudProvider Provider { get; } = provider;

    public int Cases { get; set; }

    /// <summary>Outcome ("value", an <see cref="ErrorKind"/>, or "api error NNN &lt;kind&gt;") → count.</summary>
    public SortedDictionary<string, int> Outcomes { get; } = new(StringComparer.Ordinal);

    /// <summary>Target → outcomes seen, to check each target was driven down both the accepting and the refusing path.</summary>
    public Dictionary<string, HashSet<string>> OutcomesByTarget { get; } = [];

    public List<string> Failures { get; } = [];

    /// <summary>Violations grouped by exception type and the engine frame that raised it: one line per distinct bug.</summary>
    public SortedDictionary<string, int> FailureCauses { get; } = new(StringComparer.Ordinal);

    public void Count(FuzzTarget target, string outcome)
    {
        Outcomes[outcome] = Outcomes.GetValueOrDefault(outcome) + 1;
        if (!OutcomesByTarget.TryGetValue(target.Name, out var seen))
        {
            OutcomesByTarget[target.Name] = seen = [];
        }

        seen.Add(outcome);
    }

    public override string ToString()
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"{Provider}: {Cases} mutations, {Failures.Count} contract violations\n");
        foreach (var (outcome, count) in Outcomes)
        {
            sb.Append(CultureInfo.InvariantCulture, $"  {outcome,-40} {count,6}\n");
        }

        foreach (var (cause, count) in FailureCauses)
        {
            sb.Append(CultureInfo.InvariantCulture, $"  VIOLATION x{count}: {cause}\n");
        }

        return sb.ToString();
    }
}

/// <summary>
/// Feeds mutated replies through the engine's real entry points and checks the parsers' contract: a
/// reply yields a value or a <see cref="NodeOpsException"/>, never another exception, and an error
/// status is never hidden (a mutated error body still surfaces as the API error with that status).
/// Every case's generator is seeded from (seed, target, base, index), so a failure names what to rerun.
/// </summary>
internal static class ParserFuzzer
{
    public const int Seed = 20240611;

    public static IReadOnlyList<FuzzTarget> TargetsOf(CloudProvider provider) => provider switch
    {
        CloudProvider.VoltagePark => VoltageParkTargets.All().ToList(),
        CloudProvider.Exalsius => ExalsiusTargets.All().ToList(),
        CloudProvider.Together => TogetherTargets.All().ToList(),
        CloudProvider.SFCompute => SfComputeTargets.All().ToList(),
        _ => throw new ArgumentOutOfRangeException(nameof(provider)),
    };

    public static IEnumerable<FuzzTarget> AllTargets() => Enum.GetValues<CloudProvider>().SelectMany(TargetsOf);

    /// <summary>The mutation of case <paramref name="index"/> of <paramref name="baseName"/> for <paramref name="target"/>.</summary>
    public static Mutation Case(string target, string baseName, int index) =>
        JsonMutator.Mutate(Corpus.Bytes(baseName), new Random(CaseSeed(target, baseName, index)));

    public static async Task<FuzzReport> RunAsync(CloudProvider provider, int mutations)
    {
        var targets = TargetsOf(provider);
        var pairs = targets.SelectMany(t => t.Bases.Concat(t.ForeignBases).Select(b => (Target: t, Base: b))).ToList();
        var perPair = (mutations + pairs.Count - 1) / pairs.Count;
        var report = new FuzzReport(provider);
        var transport = new InMemoryTransport();
        var client = transport.Client(provider);
        foreach (var (target, baseName) in pairs)
        {
            for (var i = 0; i < perPair; i++)
            {
                var mutation = Case(target.Name, baseName, i);
                report.Cases++;
                var outcome = await OutcomeAsync(client, transport, target, mutation.Body);
                if (outcome.Violation is { } violation)
                {
                    report.Failures.Add(Explain(target, baseName, i, mutation, violation));
                    var cause = Cause(violation);
                    report.FailureCauses[cause] = report.FailureCauses.GetValueOrDefault(cause) + 1;
                }
                else
                {
                    report.Count(target, outcome.Name);
                }
            }
        }

        return report;
    }

    /// <summary>What <paramref name="target"/> does with <paramref name="body"/>: an outcome name, or why the contract broke.</summary>
    public static async Task<(string Name, string? Violation)> OutcomeAsync(NodeOpsClient client, InMemoryTransport transport, FuzzTarget target, byte[] body)
    {
        transport.Respond = r => target.IsFuzzed(r) ? new CannedReply(target.Status, body) : target.Other?.Invoke(r) ?? new CannedReply(target.Status, body);

        // A reader that loops (a page token that never ends) would hang the suite; bound it.
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await target.Invoke(client, cts.Token);
            return target.IsErrorReply
                ? ("value", $"a {target.Status} reply produced a value: the error was hidden")
                : ("value", null);
        }
        catch (NodeOpsApiException ex) when (target.IsErrorReply)
        {
            return ex.StatusCode == target.Status
                ? ($"api error {ex.StatusCode} {ex.Kind}", null)
                : ("api error", $"a {target.Status} reply surfaced as status {ex.StatusCode}");
        }
        catch (NodeOpsException ex)
        {
            return target.IsErrorReply
                ? (ex.Kind.ToString(), $"a {target.Status} reply surfaced as {ex.Kind} without its status: {ex.Message}")
                : (ex.Kind.ToString(), null);
        }
        catch (Exception ex)
        {
            return (ex.GetType().Name, $"{ex.GetType().FullName}: {ex.Message}\n{ex.StackTrace}");
        }
    }

    private static string Explain(FuzzTarget target, string baseName, int index, Mutation mutation, string violation)
    {
        var preview = Encoding.UTF8.GetString(mutation.Body);
        if (preview.Length > 400)
        {
            preview = preview[..400] + "…";
        }

        return $"""
            target '{target.Name}' (reply status {target.Status}), base '{baseName}', case {index} (seed {Seed}); rerun with ParserFuzzer.Case("{target.Name}", "{baseName}", {index})
              mutation: {mutation.Description}
              body ({mutation.Body.Length} bytes): {preview}
              body base64: {(mutation.Body.Length <= 8192 ? Convert.ToBase64String(mutation.Body) : "(too long; rerun the case)")}
              {violation}
            """;
    }

    private static string Cause(string violation)
    {
        var lines = violation.Split('\n');
        var frame = lines.FirstOrDefault(l => l.TrimStart().StartsWith("at NodeOps.Engine.", StringComparison.Ordinal))?.Trim();
        var head = lines[0].Split(':')[0];
        return frame is null ? lines[0] : $"{head} {frame}";
    }

    private static int CaseSeed(string target, string baseName, int index)
    {
        // FNV-1a: string.GetHashCode is randomised per process, which would make runs unrepeatable.
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes($"{Seed}|{target}|{baseName}|{index}"))
        {
            hash = (hash ^ b) * 16777619u;
        }

        return (int)(hash & 0x7FFFFFFF);
    }
}
