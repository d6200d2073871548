using NodeOps.Engine.Providers;

namespace NodeOps.Engine;

/// <summary>The requests one remediation operation will send, and the targets it refuses before sending.</summary>
public sealed class RemediationPlan
{
    public required IReadOnlyList<RemediationBatch> Batches { get; init; }

    /// <summary>Targets that appeared more than once; each is remediated once.</summary>
    public required IReadOnlyList<RemediationTarget> Duplicates { get; init; }

    /// <summary>Targets that cannot be sent (e.g. a Voltage Park node without a fleet id), with the reason.</summary>
    public required IReadOnlyList<RemediationOutcome> Refused { get; init; }

    public string OperationKey { get; init; } = string.Empty;

    /// <summary>
    /// Null when rerunning with the same operation key replays these requests; otherwise what a rerun
    /// would do instead (SF Compute takes no key: a rerun redeploys again).
    /// </summary>
    public string? RerunCaveat { get; init; }
}

/// <summary>
/// Groups targets into requests: one per Voltage Park fleet (its API takes a batch), one per node
/// elsewhere. Removes duplicates so a node piped twice is never remediated twice.
/// </summary>
internal static class RemediationPlanner
{
    public static RemediationPlan Plan(
        CloudProvider provider,
        IRemediator remediator,
        IEnumerable<RemediationTarget> targets,
        RemediationSettings settings,
        string operationKey)
    {
        var seen = new HashSet<(string Cluster, string Node)>();
        var duplicates = new List<RemediationTarget>();
        var refused = new List<RemediationOutcome>();
        var ordered = new List<RemediationTarget>();
        foreach (var target in targets)
        {
            if (string.IsNullOrEmpty(target.NodeId))
            {
                refused.Add(new RemediationOutcome(target, null, new NodeOpsException(ErrorKind.InvalidArgument, "A node to remediate has no id.") { Provider = provider }));
                continue;
            }

            if (remediator.RequiresClusterId && string.IsNullOrEmpty(target.ClusterId))
            {
                refused.Add(new RemediationOutcome(target, null, new NodeOpsException(
                    ErrorKind.InvalidArgument,
                    $"{provider} node '{target.NodeId}' has no cluster id; pass -ClusterId or pipe the node from Get-GpuNode.")
                {
                    Provider = provider,
                    Target = target.NodeId,
                }));
                continue;
            }

            if (!seen.Add((target.ClusterId ?? string.Empty, target.NodeId)))
            {
                duplicates.Add(target);
                continue;
            }

            ordered.Add(target);
        }

        var batches = remediator.Grouping switch
        {
            RemediationGrouping.PerCluster => ordered
                .GroupBy(t => t.ClusterId ?? string.Empty, StringComparer.Ordinal)
                .Select(g => new RemediationBatch
                {
                    ClusterId = g.Key,
                    Targets = g.ToList(),
                    Settings = settings,
                    IdempotencyKey = IdempotencyKeys.Derive(operationKey, provider, g.Key),
                })
                .ToList(),
            _ => ordered
                .Select(t => new RemediationBatch
                {
                    ClusterId = t.ClusterId,
                    Targets = [t],
                    Settings = settings,
                    IdempotencyKey = IdempotencyKeys.Derive(operationKey, provider, $"{t.ClusterId}/{t.NodeId}"),
                })
                .ToList(),
        };

        return new RemediationPlan
        {
            Batches = batches,
            Duplicates = duplicates,
            Refused = refused,
            OperationKey = operationKey,
            RerunCaveat = remediator.RecognisesRepeats || batches.Count == 0
                ? null
                : $"{provider} cannot recognise a repeated request: rerunning this command, even with the same -IdempotencyKey, remediates these {batches.Sum(b => b.Targets.Count)} node(s) again. Check their Status with Get-GpuNode before a rerun.",
        };
    }
}
