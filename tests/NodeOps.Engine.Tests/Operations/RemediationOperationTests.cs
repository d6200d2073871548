using System.Text.RegularExpressions;
using NodeOps.Engine.Tests.Support;

namespace NodeOps.Engine.Tests.Operations;

public sealed partial class RemediationOperationTests
{
    private static readonly RemediationSettings VmOnly = new() { Mode = "VmOnly", Reason = "Xid 79" };

    /// <summary>Answers a Together create-remediation call with a remediation for the node in the path.</summary>
    private static CannedResponse Created(CannedRequest request, int index)
    {
        var m = CreatePath().Match(request.Target);
        if (!m.Success)
        {
            return CannedResponse.Json("""{"code":5,"message":"no such path"}""", 404);
        }

        var (cluster, instance) = (m.Groups["c"].Value, m.Groups["i"].Value);
        if (instance == "i-missing")
        {
            return CannedResponse.Json($$"""{"code":5,"message":"instance {{instance}} not found"}""", 404);
        }

        return CannedResponse.Json($$"""
            {"id":"r-{{index}}","cluster_id":"{{cluster}}","instance_id":"{{instance}}","mode":"REMEDIATION_MODE_VM_ONLY",
             "trigger":"REMEDIATION_TRIGGER_MANUAL","state":"PENDING","reason":"Xid 79","create_time":"2026-01-01T00:00:00Z"}
            """);
    }

    [Fact]
    public void A_plan_says_when_a_rerun_would_remediate_again_because_the_provider_cannot_recognise_a_repeat()
    {
        var settings = new RemediationSettings { Reason = "Xid 79", Cause = "GPU_ERROR" };
        var operation = new RemediationOperation(settings, "runbook-2026-01-01");
        var sf = TestClients.Create(CloudProvider.SFCompute, new Uri("http://127.0.0.1:9/sfcompute"));
        var vp = TestClients.Create(CloudProvider.VoltagePark, new Uri("http://127.0.0.1:9/voltagepark"));
        var tg = TestClients.Create(CloudProvider.Together, new Uri("http://127.0.0.1:9/together"));
        operation.Add(sf, new NodeRef(CloudProvider.SFCompute, "n_1"));
        operation.Add(sf, new NodeRef(CloudProvider.SFCompute, "n_2"));
        operation.Add(vp, new NodeRef(CloudProvider.VoltagePark, "g0386", "fleet-1"));
        operation.Add(tg, new NodeRef(CloudProvider.Together, "i-1", "c-1"));

        var plans = operation.Plan().ToDictionary(p => p.Client.Provider, p => p.Plan!);

        var caveat = plans[CloudProvider.SFCompute].RerunCaveat;
        Assert.NotNull(caveat);
        Assert.Contains("SFCompute", caveat, StringComparison.Ordinal);
        Assert.Contains("2 node(s) again", caveat, StringComparison.Ordinal);
        Assert.Contains("-IdempotencyKey", caveat, StringComparison.Ordinal);
        Assert.Null(plans[CloudProvider.VoltagePark].RerunCaveat);
        Assert.Null(plans[CloudProvider.Together].RerunCaveat);
    }

    [Fact]
    public void Duplicates_are_removed_and_reported_and_each_request_gets_a_key_derived_from_the_operation_key()
    {
        var client = TestClients.Create(CloudProvider.Together, new Uri("http://127.0.0.1:9/together"));
        var operation = new RemediationOperation(VmOnly, "runbook-2026-01-01");
        operation.Add(client, new NodeRef(CloudProvider.Together, "i-1", "c-1"));
        operation.Add(client, new NodeRef(CloudProvider.Together, "i-2", "c-1"));
        operation.Add(client, new NodeRef(CloudProvider.Together, "i-1", "c-1"));

        var plan = Assert.Single(operation.Plan());

        Assert.NotNull(plan.Plan);
        Assert.Equal(2, plan.Plan.Batches.Count);
        Assert.Equal("i-1", Assert.Single(plan.Duplicates).Id);
        var keys = plan.Plan.Batches.Select(b => b.IdempotencyKey).ToList();
        Assert.Equal(2, keys.Distinct().Count());
        Assert.Equal(IdempotencyKeys.Derive("runbook-2026-01-01", CloudProvider.Together, "c-1/i-1"), keys[0]);

        // A rerun with the same operation key plans exactly the same keys.
        var rerun = new RemediationOperation(VmOnly, "runbook-2026-01-01");
        rerun.Add(client, new NodeRef(CloudProvider.Together, "i-2", "c-1"));
        rerun.Add(client, new NodeRef(CloudProvider.Together, "i-1", "c-1"));
        Assert.Equal(keys.Order(), rerun.Plan()[0].Plan!.Batches.Select(b => b.IdempotencyKey).Order());
    }

    [Fact]
    public void Without_a_key_the_operation_generates_one_and_refuses_bad_ones()
    {
        Assert.True(Guid.TryParse(new RemediationOperation(VmOnly).OperationKey, out _));
        var ex = Assert.Throws<NodeOpsException>(() => new RemediationOperation(VmOnly, "has space"));
        Assert.Equal(ErrorKind.InvalidArgument, ex.Kind);
        Assert.Contains("-IdempotencyKey", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_refuses_settings_the_provider_rejects_before_anything_is_confirmed()
    {
        var client = TestClients.Create(CloudProvider.Together, new Uri("http://127.0.0.1:9/together"));

        var bad = new RemediationOperation(new RemediationSettings { Mode = "Reboot-Please" }).Check(client);
        var good = new RemediationOperation(VmOnly).Check(client);

        Assert.NotNull(bad);
        Assert.Equal(ErrorKind.InvalidArgument, bad.Kind);
        Assert.Contains("-Mode 'Reboot-Please'", bad.Message, StringComparison.Ordinal);
        Assert.Null(good);
    }

    [Fact]
    public async Task Runs_one_request_per_distinct_node_and_a_failure_names_its_node_while_the_rest_go_on()
    {
        await using var server = new CannedHttpServer(Created);
        var client = TestClients.Create(CloudProvider.Together, server.BaseUrl);
        var operation = new RemediationOperation(VmOnly, "op-1");
        var nodes = new[]
        {
            new NodeRef(CloudProvider.Together, "i-1", "c-1", server.BaseUrl),
            new NodeRef(CloudProvider.Together, "i-missing", "c-1", server.BaseUrl),
            new NodeRef(CloudProvider.Together, "i-3", "c-2", server.BaseUrl),
            new NodeRef(CloudProvider.Together, "i-1", "c-1", server.BaseUrl),
        };
        foreach (var node in nodes)
        {
            operation.Add(client, node);
        }

        var results = new List<RemediationResult>();
        await foreach (var result in operation.RunAsync(operation.Plan()))
        {
            results.Add(result);
        }

        Assert.Equal(3, server.RequestCount);
        Assert.Equal(3, results.Count);
        var failed = Assert.Single(results, r => !r.Succeeded);
        Assert.Same(nodes[1], failed.Node);
        Assert.Equal(ErrorKind.NotFound, failed.Error!.Kind);
        Assert.All(results.Where(r => r.Succeeded), r => Assert.Equal(r.Node.Id, r.Remediation!.NodeId));
        Assert.Same(nodes[0], results.Single(r => r.Node.Id == "i-1").Node);

        // Every create carried the derived key as Together's remediation_id.
        var sentKeys = server.Requests.Select(r => RemediationId().Match(r.Target).Groups[1].Value).Order().ToList();
        var expected = new[] { "c-1/i-1", "c-1/i-missing", "c-2/i-3" }.Select(s => IdempotencyKeys.Derive("op-1", CloudProvider.Together, s)).Order().ToList();
        Assert.Equal(expected, sentKeys);
    }

    [Fact]
    public async Task A_node_without_a_cluster_is_refused_by_name_without_a_request()
    {
        await using var server = new CannedHttpServer(Created);
        var client = TestClients.Create(CloudProvider.Together, server.BaseUrl);
        var operation = new RemediationOperation(VmOnly);
        var orphan = new NodeRef(CloudProvider.Together, "i-9");
        operation.Add(client, orphan);

        var results = new List<RemediationResult>();
        await foreach (var result in operation.RunAsync(operation.Plan()))
        {
            results.Add(result);
        }

        var refused = Assert.Single(results);
        Assert.Same(orphan, refused.Node);
        Assert.Equal(ErrorKind.InvalidArgument, refused.Error!.Kind);
        Assert.Contains("'i-9'", refused.Error.Message, StringComparison.Ordinal);
        Assert.Equal(0, server.RequestCount);
    }

    [Fact]
    public async Task Nodes_from_two_endpoints_are_planned_and_sent_per_connection()
    {
        await using var a = new CannedHttpServer(Created);
        await using var b = new CannedHttpServer(Created);
        var operation = new RemediationOperation(VmOnly);
        var clientA = TestClients.Create(CloudProvider.Together, a.BaseUrl);
        var clientB = TestClients.Create(CloudProvider.Together, b.BaseUrl);
        operation.Add(clientA, new NodeRef(CloudProvider.Together, "i-1", "c-1", a.BaseUrl));
        operation.Add(clientB, new NodeRef(CloudProvider.Together, "i-1", "c-1", b.BaseUrl));
        operation.Add(clientB, new NodeRef(CloudProvider.Together, "i-2", "c-1", b.BaseUrl));

        var plans = operation.Plan();
        var results = new List<RemediationResult>();
        await foreach (var result in operation.RunAsync(plans))
        {
            results.Add(result);
        }

        Assert.Equal(2, plans.Count);
        Assert.Equal(3, operation.Count);
        Assert.Equal((1, 2), (a.RequestCount, b.RequestCount));
        Assert.All(results, r => Assert.True(r.Succeeded));
    }

    [Fact]
    public void EnsureSupported_throws_the_providers_not_supported_error_before_any_request()
    {
        var client = TestClients.Create(CloudProvider.Together, new Uri("http://127.0.0.1:9/together"));

        client.EnsureSupported(NodeOperation.Remediate);
        var ex = Assert.Throws<NodeOpsException>(() => client.EnsureSupported(NodeOperation.Redeploy));

        Assert.Equal(ErrorKind.NotSupported, ex.Kind);
        Assert.Equal(NodeOpsErrorCategory.NotImplemented, ex.Category);
        Assert.Contains("Together has no API to redeploy nodes", ex.Message, StringComparison.Ordinal);
        Assert.Contains(CloudProvider.Together, NodeOpsClient.AvailableProviders);
    }

    [Fact]
    public void Confirmation_text_says_what_each_provider_will_do()
    {
        var together = new RemediationOperation(new RemediationSettings { Mode = "HostAware" });
        var vp = new RemediationOperation(new RemediationSettings { Cause = "TERMAL_THROTTLE" });
        var sf = new RemediationOperation(new RemediationSettings { ImageId = "vmi_1" });

        Assert.Equal("Remediate (Together mode REMEDIATION_MODE_HOST_AWARE)", together.DescribeAction(CloudProvider.Together));
        Assert.Contains("cause 'TERMAL_THROTTLE'", vp.DescribeAction(CloudProvider.VoltagePark), StringComparison.Ordinal);
        Assert.Contains("image vmi_1", sf.DescribeAction(CloudProvider.SFCompute), StringComparison.Ordinal);
        Assert.Equal("Remediate (Together mode REMEDIATION_MODE_VM_ONLY)", new RemediationOperation(new RemediationSettings()).DescribeAction(CloudProvider.Together));
        Assert.Contains("cause 'UNSPECIFIED'", new RemediationOperation(new RemediationSettings()).DescribeAction(CloudProvider.VoltagePark), StringComparison.Ordinal);
    }

    [GeneratedRegex("/v1/compute/clusters/(?<c>[^/]+)/instances/(?<i>[^/]+)/remediations")]
    private static partial Regex CreatePath();

    [GeneratedRegex("remediation_id=([^&]+)")]
    private static partial Regex RemediationId();
}
