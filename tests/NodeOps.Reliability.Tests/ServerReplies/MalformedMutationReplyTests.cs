using System.Net.Http.Headers;
using System.Text.Json;
using NodeOps.Emulator.Admin;
using NodeOps.Emulator.Faults;
using NodeOps.Engine;
using NodeOps.Engine.Providers.Exalsius;
using NodeOps.Engine.Providers.SfCompute;
using NodeOps.Engine.Providers.Together;
using NodeOps.Engine.Tests.Support;

namespace NodeOps.Reliability.Tests.ServerReplies;

/// <summary>
/// The emulator processes the mutation, then answers 200 with its JSON cut in half: the realistic
/// "it happened but the answer is garbage" case. A mutation with an idempotency id (or a state
/// transition) is resent and ends as one effect; one without is sent once and the error says the
/// provider acted. The emulator's request log and counters prove how many times each was acted on.
/// </summary>
public sealed class MalformedMutationReplyTests(EmulatorFixture emulator) : IClassFixture<EmulatorFixture>
{
    private NodeOpsClient Client(CloudProvider provider) => emulator.Client(provider);

    private Task MalformedOnceAsync(string provider, string method, string pathContains) =>
        emulator.Admin.AddScriptedFaultsAsync(provider, new ScriptedFault { Kind = "malformed", Method = method, PathContains = pathContains });

    private async Task<List<RequestLogEntry>> RequestsAsync(string provider, string method, string pathContains) =>
        (await emulator.Admin.GetRequestsAsync(provider)).Where(e => e.Method == method && e.Path.Contains(pathContains, StringComparison.Ordinal)).ToList();

    [Fact]
    public async Task Together_create_is_resent_with_the_same_remediation_id_and_creates_one()
    {
        await emulator.Admin.AddNodeAsync("together", new AdminNodeRequest { Id = "i-rel-malformed-create", ClusterId = "c-rel-malformed" });
        await MalformedOnceAsync("together", "POST", "/instances/i-rel-malformed-create/remediations");

        var remediation = await Client(CloudProvider.Together).ProviderClient<TogetherClient>()
            .CreateRemediationAsync("c-rel-malformed", "i-rel-malformed-create", "RebootVm", "Xid 79", "rel-malformed-key");

        var posts = await RequestsAsync("together", "POST", "/instances/i-rel-malformed-create/remediations");
        Assert.Equal("rel-malformed-key", remediation.Id);
        Assert.Equal(2, posts.Count);
        Assert.Equal("malformed", posts[0].Fault);
        Assert.All(posts, p => Assert.Equal("rel-malformed-key", p.RemediationId));
        Assert.Equal(1, (await emulator.Admin.GetCountsAsync()).RemediationCount("together", "c-rel-malformed/i-rel-malformed-create"));
    }

    [Fact]
    public async Task Together_approve_is_resent_and_the_second_answer_s_wrong_state_reads_back_the_approval()
    {
        await emulator.Admin.AddNodeAsync("together", new AdminNodeRequest { Id = "i-rel-malformed-approve", ClusterId = "c-rel-malformed" });
        await emulator.Admin.AddTogetherRemediationAsync(new AdminRemediationRequest { ClusterId = "c-rel-malformed", InstanceId = "i-rel-malformed-approve", Id = "rel-approve-1" });
        await MalformedOnceAsync("together", "POST", "/remediations/rel-approve-1/approve");

        var approved = await Client(CloudProvider.Together).ProviderClient<TogetherClient>()
            .ApproveRemediationAsync("c-rel-malformed", "i-rel-malformed-approve", "rel-approve-1", "ok", null);

        Assert.NotEqual(RemediationState.PendingApproval, approved.State);
        Assert.False(string.IsNullOrEmpty(approved.ReviewedBy));
        Assert.Equal(2, (await RequestsAsync("together", "POST", "/remediations/rel-approve-1/approve")).Count);
    }

    [Fact]
    public async Task SfCompute_redeploy_is_sent_once_and_the_error_says_it_happened()
    {
        await emulator.Admin.AddNodeAsync("sfcompute", new AdminNodeRequest { Id = "n_rel_malformed", Status = "running", VmStatus = "running" });
        await MalformedOnceAsync("sfcompute", "PUT", "/n_rel_malformed/redeploy");

        var ex = await Assert.ThrowsAsync<NodeOpsException>(() => Client(CloudProvider.SFCompute).ProviderClient<SfComputeClient>().RedeployAsync("n_rel_malformed"));

        Assert.Equal(ErrorKind.InvalidResponse, ex.Kind);
        Assert.StartsWith("SF Compute redeployed node 'n_rel_malformed', but its reply could not be read", ex.Message, StringComparison.Ordinal);
        Assert.Equal("n_rel_malformed", ex.Target);
        Assert.Single(await RequestsAsync("sfcompute", "PUT", "/n_rel_malformed/redeploy"));
        Assert.Equal(1, (await emulator.Admin.GetCountsAsync()).RemediationCount("sfcompute", "n_rel_malformed"));
    }

    [Fact]
    public async Task SfCompute_release_is_sent_once_and_the_error_says_it_happened()
    {
        await emulator.Admin.AddNodeAsync("sfcompute", new AdminNodeRequest { Id = "n_rel_release", Status = "running", VmStatus = "running" });
        var before = await Client(CloudProvider.SFCompute).ProviderClient<SfComputeClient>().GetNodeAsync("n_rel_release");
        await MalformedOnceAsync("sfcompute", "PATCH", "/n_rel_release/release");

        var ex = await Assert.ThrowsAsync<NodeOpsException>(() => Client(CloudProvider.SFCompute).ProviderClient<SfComputeClient>().ReleaseAsync("n_rel_release"));

        Assert.Equal(ErrorKind.InvalidResponse, ex.Kind);
        Assert.StartsWith("SF Compute released node 'n_rel_release'", ex.Message, StringComparison.Ordinal);
        Assert.Single(await RequestsAsync("sfcompute", "PATCH", "/n_rel_release/release"));
        Assert.NotEqual(before.ProviderStatus, (await Client(CloudProvider.SFCompute).ProviderClient<SfComputeClient>().GetNodeAsync("n_rel_release")).ProviderStatus);
    }

    [Fact]
    public async Task Exalsius_offer_import_is_sent_once_and_the_error_says_the_import_happened()
    {
        var offer = await FirstOfferIdAsync();
        var hostname = "rel-malformed-offer";
        await MalformedOnceAsync("exalsius", "POST", "/import/offer/");

        var ex = await Assert.ThrowsAsync<NodeOpsException>(() => Client(CloudProvider.Exalsius).ProviderClient<ExalsiusClient>().ImportFromOfferAsync(offer, hostname, 2));

        Assert.Equal(ErrorKind.InvalidResponse, ex.Kind);
        Assert.Contains("Exalsius accepted the import", ex.Message, StringComparison.Ordinal);
        Assert.StartsWith("Do not import again", ex.RecommendedAction, StringComparison.Ordinal);
        Assert.Single(await RequestsAsync("exalsius", "POST", "/import/offer/"));
        var imported = await Client(CloudProvider.Exalsius).ProviderClient<ExalsiusClient>().ListNodesAsync().Where(n => n.Name?.StartsWith(hostname, StringComparison.Ordinal) == true).ToListAsync();
        Assert.Equal(2, imported.Count);
    }

    [Fact]
    public async Task Exalsius_ssh_import_is_sent_once_and_the_error_says_the_import_happened()
    {
        await MalformedOnceAsync("exalsius", "POST", "/import/ssh");
        var request = new ImportViaSshRequest { Hostname = "rel-malformed-ssh", Endpoint = "10.99.0.1:22", Username = "ubuntu", SshKeyId = "123e4567-e89b-12d3-a456-426614174000" };

        var ex = await Assert.ThrowsAsync<NodeOpsException>(() => Client(CloudProvider.Exalsius).ProviderClient<ExalsiusClient>().ImportViaSshAsync(request));

        Assert.Equal(ErrorKind.InvalidResponse, ex.Kind);
        Assert.Contains("Exalsius accepted the import", ex.Message, StringComparison.Ordinal);
        Assert.Single(await RequestsAsync("exalsius", "POST", "/import/ssh"));
        Assert.Single(await Client(CloudProvider.Exalsius).ProviderClient<ExalsiusClient>().ListNodesAsync().Where(n => n.Name == "rel-malformed-ssh").ToListAsync());
    }

    [Fact]
    public async Task Exalsius_delete_is_resent_and_the_node_being_gone_counts_as_done()
    {
        await emulator.Admin.AddNodeAsync("exalsius", new AdminNodeRequest { Id = "ex-rel-malformed-delete", Status = "AVAILABLE" });
        await MalformedOnceAsync("exalsius", "DELETE", "/node/ex-rel-malformed-delete");

        var deleted = await Client(CloudProvider.Exalsius).ProviderClient<ExalsiusClient>().DeleteNodeAsync("ex-rel-malformed-delete");

        Assert.Equal("ex-rel-malformed-delete", deleted);
        var deletes = await RequestsAsync("exalsius", "DELETE", "/node/ex-rel-malformed-delete");
        Assert.Equal([200, 404], deletes.Select(d => d.Status));
    }

    private async Task<string> FirstOfferIdAsync()
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, emulator.BaseUrl(CloudProvider.Exalsius) + "/v1/offers");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TestClients.Token);
        using var response = await http.SendAsync(request);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return doc.RootElement.GetProperty("offers")[0].GetProperty("id").GetString()!;
    }
}
