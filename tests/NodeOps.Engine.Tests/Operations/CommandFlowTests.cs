using NodeOps.Emulator.Faults;
using NodeOps.Engine.Tests.Support;

namespace NodeOps.Engine.Tests.Operations;

/// <summary>
/// The engine side of what the cmdlets do, end to end against the emulator, with the test thread playing
/// the pipeline thread: credentials resolved through the session store, clients from a ClientPool, work run
/// through a PipelineBridge, results checked on the thread that pumps. PowerShell is not available here, so
/// this is as close to the commands as xunit gets.
/// </summary>
public sealed class CommandFlowTests(EmulatorFixture emulator) : IClassFixture<EmulatorFixture>
{
    private sealed record Collected(List<object> Outputs, List<ErrorReport> Errors, List<PipelineText> Texts, List<ProgressUpdate> Progress, HashSet<int> Threads);

    private (ClientPool Pool, ConnectionStore Store) Session(IRequestTracer? tracer = null)
    {
        var store = new ConnectionStore();
        store.Add(ProviderConnection.Create(CloudProvider.Together, ApiCredential.FromToken(TestClients.Token, "Connect-GpuCloud -ApiKey"), emulator.BaseUrl(CloudProvider.Together)));
        var options = TestClients.FastOptions(tracer);
        options.UserAgentSuffix = "PowerShell/7.4.6";
        return (new ClientPool(new CredentialResolver(store, _ => null), options), store);
    }

    private static (PipelineBridge Bridge, Collected Collected) Bridge(PipelineBridgeOptions? options = null, CancellationToken cancellationToken = default)
    {
        var collected = new Collected([], [], [], [], []);
        var bridge = new PipelineBridge(
            m =>
            {
                collected.Threads.Add(Environment.CurrentManagedThreadId);
                switch (m)
                {
                    case PipelineOutput o: collected.Outputs.Add(o.Value); break;
                    case PipelineError e: collected.Errors.Add(e.Report); break;
                    case PipelineText t: collected.Texts.Add(t); break;
                    case PipelineProgress p: collected.Progress.Add(p.Update); break;
                }
            },
            options,
            cancellationToken);
        return (bridge, collected);
    }

    private async Task<(GpuCluster Cluster, List<GpuNode> Clean)> CleanNodesAsync(NodeOpsClient client)
    {
        await emulator.Admin.ResetAsync();
        var cluster = await client.GetClustersAsync().FirstAsync();
        var clean = await client.GetNodesAsync(new NodeQuery { ClusterId = cluster.Id, Status = [GpuNodeStatus.Ready] })
            .Where(n => n is NodeOps.Engine.Providers.Together.TogetherNode { LatestRemediation: null })
            .ToListAsync();
        return (cluster, clean);
    }

    [Fact]
    public async Task Invoke_NodeRemediation_flow_plans_confirms_sends_and_reports_on_the_pipeline_thread()
    {
        var (pool, _) = Session();
        var resolved = pool.Get(new CredentialRequest { Provider = CloudProvider.Together });
        Assert.True(resolved.IsNew);
        Assert.Contains("session connection from Connect-GpuCloud", resolved.Explanation, StringComparison.Ordinal);
        var (_, clean) = await CleanNodesAsync(resolved.Client);
        var operation = new RemediationOperation(new RemediationSettings { Reason = "Xid 79", Mode = "VmOnly" }, "flow-" + Guid.NewGuid());
        var nodes = clean.Take(2).Select(n => new NodeRef(n.Provider, n.Id, n.ClusterId, n.Endpoint)).ToList();
        nodes.Add(nodes[0]);
        nodes.Add(new NodeRef(CloudProvider.Together, "no-such-instance", clean[0].ClusterId, clean[0].Endpoint));
        await emulator.Admin.ClearRequestsAsync();

        // ProcessRecord: the piped nodes' endpoint resolves to the same session connection, so one client.
        foreach (var node in nodes)
        {
            var client = pool.Get(new CredentialRequest { Provider = node.Provider, Endpoint = node.Endpoint }).Client;
            Assert.Same(resolved.Client, client);
            Assert.Null(operation.Check(client));
            operation.Add(client, node);
        }

        Assert.Empty(await emulator.Admin.GetRequestsAsync("together"));

        // EndProcessing: plan, warn about duplicates, run, write results and errors on this thread.
        var plan = Assert.Single(operation.Plan());
        Assert.Equal(nodes[0], Assert.Single(plan.Duplicates));
        var (bridge, collected) = Bridge();
        using (bridge)
        {
            bridge.Run(async (b, ct) =>
            {
                await foreach (var result in operation.RunAsync([plan], ct))
                {
                    if (result.Succeeded)
                    {
                        await b.WriteObjectAsync(result.Remediation!, ct);
                    }
                    else
                    {
                        b.WriteError(result.Error!, result.Node);
                    }
                }
            });
        }

        Assert.Equal([Environment.CurrentManagedThreadId], collected.Threads);
        Assert.Equal(nodes.Take(2).Select(n => n.Id).Order(), collected.Outputs.Cast<Remediation>().Select(r => r.NodeId).Order());
        var error = Assert.Single(collected.Errors);
        Assert.Equal("NotFound", error.ErrorId);
        Assert.Equal(NodeOpsErrorCategory.ObjectNotFound, error.Category);
        Assert.Equal("no-such-instance", Assert.IsType<NodeRef>(error.Target).Id);

        var posts = (await emulator.Admin.GetRequestsAsync("together")).Where(e => e.Method == "POST").ToList();
        Assert.Equal(3, posts.Count);
        Assert.All(posts, p => Assert.EndsWith("PowerShell/7.4.6", p.UserAgent, StringComparison.Ordinal));
        var expectedKeys = nodes.Distinct().Select(n => IdempotencyKeys.Derive(operation.OperationKey, CloudProvider.Together, $"{n.ClusterId}/{n.Id}")).Order();
        Assert.Equal(expectedKeys, posts.Select(p => p.RemediationId).Order());
    }

    [Fact]
    public async Task A_rerun_with_the_same_operation_key_returns_the_same_remediations_and_creates_nothing()
    {
        var (pool, _) = Session();
        var client = pool.Get(new CredentialRequest { Provider = CloudProvider.Together }).Client;
        var (_, clean) = await CleanNodesAsync(client);
        var key = "runbook-" + Guid.NewGuid();
        var node = new NodeRef(CloudProvider.Together, clean[0].Id, clean[0].ClusterId, clean[0].Endpoint);

        async Task<string> RunOnce()
        {
            var operation = new RemediationOperation(new RemediationSettings { Reason = "r" }, key);
            operation.Add(client, node);
            var (bridge, collected) = Bridge();
            using (bridge)
            {
                bridge.Run(async (b, ct) =>
                {
                    await foreach (var result in operation.RunAsync(operation.Plan(), ct))
                    {
                        b.WriteObject(result.Remediation!);
                    }
                });
            }

            return Assert.IsAssignableFrom<Remediation>(Assert.Single(collected.Outputs)).Id!;
        }

        var first = await Task.Run(RunOnce);
        var second = await Task.Run(RunOnce);

        Assert.Equal(first, second);
        var counts = await emulator.Admin.GetCountsAsync();
        Assert.Equal(1, counts.RemediationCount("together", $"{node.ClusterId}/{node.Id}"));
    }

    [Fact]
    public async Task Get_GpuNode_flow_streams_every_node_of_every_connection_through_a_small_buffer()
    {
        var (pool, store) = Session();
        var expected = await pool.Get(new CredentialRequest { Provider = CloudProvider.Together }).Client.GetNodesAsync().CountAsync();
        var set = pool.Resolver.ResolveAll(new ConnectionQuery());
        var (bridge, collected) = Bridge(new PipelineBridgeOptions { OutputBuffer = 2 });

        using (bridge)
        {
            foreach (var connection in set.Connections)
            {
                var client = pool.For(connection).Client;
                bridge.Start(async (b, ct) =>
                {
                    await foreach (var node in client.GetNodesAsync(new NodeQuery(), ct))
                    {
                        await b.WriteObjectAsync(node, ct);
                    }
                });
            }

            bridge.WaitAll();
        }

        Assert.Equal(store.List().Count, set.Connections.Count);
        Assert.Equal(expected, collected.Outputs.Count);
        Assert.All(collected.Outputs, o => Assert.Equal(emulator.BaseUrl(CloudProvider.Together), Assert.IsAssignableFrom<GpuNode>(o).Endpoint));
        Assert.Equal([Environment.CurrentManagedThreadId], collected.Threads);
    }

    [Fact]
    public async Task Verbose_traces_reach_the_pipeline_thread_without_the_token()
    {
        var collected = new List<PipelineText>();
        using var bridge = new PipelineBridge(m => { if (m is PipelineText t) { collected.Add(t); } }, new PipelineBridgeOptions { Verbose = true, Debug = true });
        var (pool, _) = Session(bridge);
        var client = pool.Get(new CredentialRequest { Provider = CloudProvider.Together }).Client;

        await Task.Yield();
        bridge.Run(async (b, ct) => b.WriteObject(await client.GetClustersAsync(ct).CountAsync(ct)));

        var verbose = string.Join("\n", collected.Where(t => t.Kind == PipelineTextKind.Verbose).Select(t => t.Text));
        var debug = string.Join("\n", collected.Where(t => t.Kind == PipelineTextKind.Debug).Select(t => t.Text));
        Assert.Matches(@"Together: GET http://127\.0\.0\.1:\d+/together/v1/compute/clusters -> 200 in \d+ ms", verbose);
        Assert.Contains("response body:", debug, StringComparison.Ordinal);
        Assert.DoesNotContain(TestClients.Token, verbose + debug, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wait_Remediation_flow_reports_progress_then_the_terminal_state_or_a_timeout_naming_it()
    {
        var (pool, _) = Session();
        var client = pool.Get(new CredentialRequest { Provider = CloudProvider.Together }).Client;
        var (cluster, clean) = await CleanNodesAsync(client);
        var created = await client.RemediateAsync([new RemediationTarget(clean[0].Id, cluster.Id)], new RemediationSettings()).SingleAsync();
        var pending = await client.GetRemediationsAsync(new RemediationQuery { ClusterId = cluster.Id, State = [RemediationState.PendingApproval] }).FirstAsync();
        Assert.True(RemediationChecks.NeedsPolling(created.Remediation!));

        var (bridge, collected) = Bridge();
        using (bridge)
        {
            foreach (var r in new[] { created.Remediation!, pending })
            {
                var reference = new RemediationRef(r.Id, r.NodeId, r.ClusterId);
                bridge.Start(
                    async (b, ct) => b.WriteObject(await client.WaitForRemediationAsync(reference, TimeSpan.FromSeconds(r == pending ? 1 : 20), p => b.WriteProgress(new ProgressUpdate(1, "Waiting", p.State.ToString())), ct)),
                    r);
            }

            bridge.WaitAll();
        }

        Assert.Equal(RemediationState.Succeeded, Assert.IsAssignableFrom<Remediation>(Assert.Single(collected.Outputs)).State);
        Assert.NotEmpty(collected.Progress);
        var timeout = Assert.Single(collected.Errors);
        Assert.Equal("Timeout", timeout.ErrorId);
        Assert.Equal(NodeOpsErrorCategory.OperationTimeout, timeout.Category);
        Assert.Same(pending, timeout.Target);
        Assert.Contains(pending.Id!, timeout.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Review_flow_approves_pending_remediations_and_refuses_stale_objects_locally()
    {
        var (pool, _) = Session();
        var client = pool.Get(new CredentialRequest { Provider = CloudProvider.Together }).Client;
        var (cluster, _) = await CleanNodesAsync(client);
        var pending = await client.GetRemediationsAsync(new RemediationQuery { ClusterId = cluster.Id, State = [RemediationState.PendingApproval] }).ToListAsync();
        Assert.NotEmpty(pending);
        client.EnsureSupported(NodeOperation.ReviewRemediation);

        var approved = await client.ApproveRemediationAsync(new RemediationRef(pending[0].Id, pending[0].NodeId, pending[0].ClusterId), "ok");

        Assert.Null(RemediationChecks.CheckReview(pending[0], ReviewAction.Approve));
        var refused = RemediationChecks.CheckReview(approved, ReviewAction.Approve);
        Assert.NotNull(refused);
        Assert.Equal("InvalidState", ErrorReport.From(refused, approved).ErrorId);
        Assert.Equal("ok", approved.ReviewComment);
    }

    [Fact]
    public async Task A_mixed_pipeline_remediates_per_provider_one_request_per_fleet_and_refuses_Exalsius_before_confirming()
    {
        await emulator.Admin.ResetAsync();
        var store = new ConnectionStore();
        foreach (var provider in Enum.GetValues<CloudProvider>())
        {
            store.Add(ProviderConnection.Create(provider, ApiCredential.FromToken(TestClients.Token, "test"), emulator.BaseUrl(provider)));
        }

        var pool = new ClientPool(new CredentialResolver(store, _ => null), TestClients.FastOptions());
        var listed = new List<GpuNode>();
        foreach (var resolved in pool.Resolver.ResolveAll(new ConnectionQuery()).Connections)
        {
            listed.AddRange(await pool.For(resolved).Client.GetNodesAsync().ToListAsync());
        }

        var vpFleet = listed.Where(n => n.Provider == CloudProvider.VoltagePark && n.Status is GpuNodeStatus.Ready or GpuNodeStatus.InUse or GpuNodeStatus.Degraded)
            .GroupBy(n => n.ClusterId).First(g => g.Count() >= 3).Take(3);
        var sf = listed.First(n => n.Provider == CloudProvider.SFCompute && n.Status == GpuNodeStatus.Ready);
        var exalsius = listed.First(n => n.Provider == CloudProvider.Exalsius);
        var piped = vpFleet.Append(sf).Append(exalsius).Select(n => new NodeRef(n.Provider, n.Id, n.ClusterId, n.Endpoint)).ToList();

        var operation = new RemediationOperation(new RemediationSettings { Reason = "nightly sweep", Cause = "GPU_XID" });
        var refused = new List<(NodeRef Node, NodeOpsException Error)>();
        foreach (var node in piped)
        {
            var client = pool.Get(new CredentialRequest { Provider = node.Provider, Endpoint = node.Endpoint }).Client;
            if (operation.Check(client) is { } error)
            {
                refused.Add((node, error));
                continue;
            }

            operation.Add(client, node);
        }

        var (refusedNode, notSupported) = Assert.Single(refused);
        Assert.Equal(CloudProvider.Exalsius, refusedNode.Provider);
        Assert.Equal("NotSupported", ErrorReport.From(notSupported, refusedNode).ErrorId);
        Assert.Contains("Remove-GpuNode", notSupported.RecommendedAction, StringComparison.Ordinal);

        await emulator.Admin.ClearRequestsAsync();
        var results = new List<RemediationResult>();
        await foreach (var result in operation.RunAsync(operation.Plan()))
        {
            results.Add(result);
        }

        Assert.Equal(4, results.Count);
        var log = await emulator.Admin.GetRequestsAsync();
        var vpPosts = log.Where(e => e.Provider == "voltagepark" && e.Method == "POST").ToList();
        Assert.Equal(vpPosts[0].IdempotencyKey, Assert.Single(vpPosts).IdempotencyKey);
        Assert.Single(log, e => e.Provider == "sfcompute" && e.Method == "PUT");
        Assert.All(results.Where(r => r.Node.Provider == CloudProvider.VoltagePark && r.Succeeded), r => Assert.False(RemediationChecks.NeedsPolling(r.Remediation!)));
        var redeploy = results.Single(r => r.Node.Provider == CloudProvider.SFCompute);
        Assert.True(redeploy.Succeeded, redeploy.Error?.Message);

        var sfClient = pool.Get(new CredentialRequest { Provider = CloudProvider.SFCompute, Endpoint = sf.Endpoint }).Client;
        var done = await sfClient.WaitForRemediationAsync(new RemediationRef(redeploy.Remediation!.Id, redeploy.Remediation.NodeId, redeploy.Remediation.ClusterId), TimeSpan.FromSeconds(20));
        Assert.False(RemediationChecks.NeedsPolling(done));
    }

    [Fact]
    public async Task Stopping_cancels_a_hung_request_promptly()
    {
        var (pool, _) = Session();
        var client = pool.Get(new CredentialRequest { Provider = CloudProvider.Together }).Client;
        await emulator.Admin.AddScriptedFaultsAsync("together", new ScriptedFault { Kind = "hang", PathContains = "/compute/clusters" });
        using var stop = new CancellationTokenSource();
        var (bridge, _) = Bridge(cancellationToken: stop.Token);

        stop.CancelAfter(TimeSpan.FromMilliseconds(500));
        var started = DateTime.UtcNow;
        using (bridge)
        {
            await Task.Run(() => Assert.ThrowsAny<OperationCanceledException>(() =>
                bridge.Run(async (b, ct) => b.WriteObject(await client.GetClustersAsync(ct).CountAsync(ct)))));
        }

        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(4), $"took {DateTime.UtcNow - started}");
        await emulator.Admin.ClearFaultsAsync("together");
    }
}
