using System.Runtime.CompilerServices;

namespace NodeOps.Engine;

/// <summary>What happened to one node of a <see cref="RemediationOperation"/>.</summary>
public sealed record RemediationResult(NodeRef Node, Remediation? Remediation, NodeOpsException? Error)
{
    public bool Succeeded => Error is null && Remediation is not null;
}

/// <summary>The requests planned for one connection (client) of an operation.</summary>
public sealed record RemediationGroupPlan(NodeOpsClient Client, RemediationPlan? Plan, IReadOnlyList<NodeRef> Nodes, NodeOpsException? Error)
{
    /// <summary>Nodes that appeared more than once for this connection; each is remediated once.</summary>
    public IReadOnlyList<NodeRef> Duplicates { get; init; } = [];
}

/// <summary>
/// One <c>Invoke-NodeRemediation</c>: nodes arrive one by one (possibly for several providers and endpoints),
/// then the operation plans per connection (one request per Voltage Park fleet, one per node elsewhere,
/// duplicates removed) and runs every plan, yielding a result per distinct node as requests complete.
/// One operation key covers the whole run; each request's idempotency key is derived from it, so rerunning
/// with the same key replays instead of duplicating.
/// </summary>
public sealed class RemediationOperation
{
    private readonly List<Group> _groups = [];
    private readonly Dictionary<NodeOpsClient, NodeOpsException?> _validated = [];

    public RemediationOperation(RemediationSettings settings, string? operationKey = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (operationKey is not null)
        {
            IdempotencyKeys.Validate(operationKey);
        }

        Settings = settings;
        OperationKey = operationKey ?? IdempotencyKeys.NewOperationKey();
    }

    public RemediationSettings Settings { get; }

    /// <summary>The caller's <c>-IdempotencyKey</c>, or a new one; rerunning with it replays the same requests.</summary>
    public string OperationKey { get; }

    /// <summary>Nodes added so far.</summary>
    public int Count => _groups.Sum(g => g.Nodes.Count);

    /// <summary>
    /// Checks, before anything is sent or confirmed, that <paramref name="client"/>'s provider can remediate
    /// with these settings (e.g. Exalsius cannot; Voltage Park needs a cause). Null when it can; the answer is
    /// remembered per client.
    /// </summary>
    public NodeOpsException? Check(NodeOpsClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        if (!_validated.TryGetValue(client, out var error))
        {
            try
            {
                client.PlanRemediation([], Settings, OperationKey);
                error = null;
            }
            catch (NodeOpsException ex)
            {
                error = ex;
            }

            _validated[client] = error;
        }

        return error;
    }

    /// <summary>
    /// What confirmation prompts say will happen to a node of <paramref name="provider"/>, e.g.
    /// <c>Remediate (Together mode REMEDIATION_MODE_VM_ONLY: replace the VM)</c>.
    /// </summary>
    public string DescribeAction(CloudProvider provider) => provider switch
    {
        CloudProvider.Together => $"Remediate (Together mode {ModeName()})",
        CloudProvider.VoltagePark => $"Remediate (Voltage Park cause '{Settings.Cause ?? Providers.VoltagePark.VoltageParkClient.DefaultCause}'; the provider decides whether to restart, repair or replace)",
        CloudProvider.SFCompute => Settings.ImageId is null ? "Remediate (SF Compute redeploy: replace the VM)" : $"Remediate (SF Compute redeploy: replace the VM with image {Settings.ImageId})",
        _ => "Remediate",
    };

    private string ModeName()
    {
        try
        {
            return Providers.Together.TogetherModes.ToWire(Settings.Mode);
        }
        catch (NodeOpsException)
        {
            return Settings.Mode ?? string.Empty;
        }
    }

    /// <summary>Adds a node to remediate through <paramref name="client"/>.</summary>
    public void Add(NodeOpsClient client, NodeRef node)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(node);
        var group = _groups.Find(g => ReferenceEquals(g.Client, client));
        if (group is null)
        {
            group = new Group(client);
            _groups.Add(group);
        }

        group.Add(node);
    }

    /// <summary>Plans every connection's requests without sending anything.</summary>
    public IReadOnlyList<RemediationGroupPlan> Plan()
    {
        var plans = new List<RemediationGroupPlan>(_groups.Count);
        foreach (var group in _groups)
        {
            try
            {
                var plan = group.Client.PlanRemediation(group.Nodes.Select(n => n.ToRemediationTarget()), Settings, OperationKey);
                var duplicates = plan.Duplicates.Select(t => group.NodeFor(t)).ToList();
                plans.Add(new RemediationGroupPlan(group.Client, plan, group.Nodes, null) { Duplicates = duplicates });
            }
            catch (NodeOpsException ex)
            {
                plans.Add(new RemediationGroupPlan(group.Client, null, group.Nodes, ex));
            }
        }

        return plans;
    }

    /// <summary>
    /// Sends the plans, all connections at once (each bounded by its client's
    /// <see cref="NodeOpsClientOptions.MaxConcurrency"/>), and yields one result per distinct node as its
    /// request completes. A connection that could not be planned yields an error for each of its nodes.
    /// </summary>
    public async IAsyncEnumerable<RemediationResult> RunAsync(IReadOnlyList<RemediationGroupPlan> plans, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plans);
        var streams = new List<IAsyncEnumerable<RemediationResult>>();
        foreach (var plan in plans)
        {
            if (plan.Plan is null)
            {
                var error = plan.Error ?? new NodeOpsException(ErrorKind.Unspecified, "The remediation could not be planned.");
                foreach (var node in plan.Nodes.Distinct())
                {
                    yield return new RemediationResult(node, null, error);
                }

                continue;
            }

            var group = _groups.Find(g => ReferenceEquals(g.Client, plan.Client))
                ?? throw new ArgumentException("The plan is not from this operation.", nameof(plans));
            streams.Add(SendAsync(group, plan.Plan));
        }

        if (streams.Count == 0)
        {
            yield break;
        }

        await foreach (var result in BoundedFanOut.MergeAsync(streams, cancellationToken).ConfigureAwait(false))
        {
            yield return result;
        }
    }

    private static async IAsyncEnumerable<RemediationResult> SendAsync(Group group, RemediationPlan plan, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var outcome in group.Client.RemediateAsync(plan, cancellationToken).ConfigureAwait(false))
        {
            yield return new RemediationResult(group.NodeFor(outcome.Target), outcome.Remediation, outcome.Error);
        }
    }

    private sealed class Group(NodeOpsClient client)
    {
        private readonly Dictionary<RemediationTarget, NodeRef> _byTarget = [];

        public NodeOpsClient Client { get; } = client;

        public List<NodeRef> Nodes { get; } = [];

        public void Add(NodeRef node)
        {
            Nodes.Add(node);
            _byTarget.TryAdd(node.ToRemediationTarget(), node);
        }

        /// <summary>The node as given, for a planner target (the first one: duplicates are the same node).</summary>
        public NodeRef NodeFor(RemediationTarget target) =>
            _byTarget.TryGetValue(target, out var node)
                ? node
                : new NodeRef(Client.Provider, target.NodeId, target.ClusterId, Client.Connection.Endpoint);
    }
}
