using NodeOps.Engine.Providers;
using NodeOps.Engine.Providers.SfCompute;
using NodeOps.Engine.Tests.Support;
using static NodeOps.Engine.Tests.Providers.SfCompute.SfComputeTestData;

namespace NodeOps.Engine.Tests.Providers.SfCompute;

/// <summary>The SF Compute client against exact replies written from providers-api.md §4.</summary>
public sealed class SfComputeClientTests
{
    // Release and delete have no body; HttpPipeline gives unsafe requests empty content so that
    // SocketsHttpHandler does not resend them on its own after a dropped connection (dotnet/runtime#86714).
    private static readonly string NodeA = Node(id: "n_a", name: "alpha", procurementId: "proc_1");
    private static readonly string NodeB = Node(id: "n_b", name: "beta", procurementId: "proc_2", nodeType: "reserved", status: "pending");

    private static async Task<List<T>> ToListAsync<T>(IAsyncEnumerable<T> items)
    {
        var list = new List<T>();
        await foreach (var item in items)
        {
            list.Add(item);
        }

        return list;
    }

    // ---- list and get ----------------------------------------------------------------------------

    [Fact]
    public async Task Lists_every_node_without_a_query()
    {
        await using var server = new CannedHttpServer(CannedResponse.Json(List(NodeA, NodeB)));

        var nodes = await ToListAsync(Client(server).ListNodesAsync());

        var request = Assert.Single(server.Requests);
        Assert.Equal("GET", request.Method);
        Assert.Equal("/v1/nodes", request.Target);
        Assert.Equal("Bearer " + TestClients.Token, request.Header("Authorization"));
        Assert.Equal(["n_a", "n_b"], nodes.Select(n => n.Id));
        Assert.Equal(["alpha", "beta"], nodes.Select(n => n.Name));
        Assert.Equal([GpuNodeStatus.Ready, GpuNodeStatus.Provisioning], nodes.Select(n => n.Status));
        Assert.Equal(["proc_1", "proc_2"], nodes.Select(n => n.ClusterId));
        Assert.Equal(["autoreserved", "reserved"], nodes.Select(n => n.NodeType));
        Assert.All(nodes, n => Assert.Equal(server.BaseUrl, n.Endpoint));
    }

    [Fact]
    public async Task An_empty_list_yields_nothing()
    {
        await using var server = new CannedHttpServer(CannedResponse.Json("""{"object":"list","data":[]}"""));

        Assert.Empty(await ToListAsync(Client(server).ListNodesAsync()));
    }

    [Fact]
    public async Task Ids_are_sent_as_repeated_id_parameters()
    {
        await using var server = new CannedHttpServer(CannedResponse.Json(List(NodeA)));

        await ToListAsync(Client(server).ListNodesAsync(ids: ["n_b1dc52505c6db142", "n_b1dc52505c6db133"]));

        Assert.Equal("/v1/nodes?id=n_b1dc52505c6db142&id=n_b1dc52505c6db133", Assert.Single(server.Requests).Target);
    }

    [Fact]
    public async Task Names_are_sent_as_repeated_name_parameters_escaped()
    {
        await using var server = new CannedHttpServer(CannedResponse.Json(List(NodeA)));

        await ToListAsync(Client(server).ListNodesAsync(names: ["cuda-crunch", "a b&c=d/é"]));

        Assert.Equal("/v1/nodes?name=cuda-crunch&name=a%20b%26c%3Dd%2F%C3%A9", Assert.Single(server.Requests).Target);
    }

    [Theory]
    [InlineData("autoreserved")]
    [InlineData("reserved")]
    public async Task Node_type_is_sent_as_type(string type)
    {
        await using var server = new CannedHttpServer(CannedResponse.Json(List(NodeA)));

        await ToListAsync(Client(server).ListNodesAsync(type: type));

        Assert.Equal("/v1/nodes?type=" + type, Assert.Single(server.Requests).Target);
    }

    [Fact]
    public async Task The_facade_query_maps_to_the_same_filters()
    {
        await using var server = new CannedHttpServer(CannedResponse.Json(List(NodeA)));
        var client = Facade(server);

        await ToListAsync(client.GetNodesAsync(new NodeQuery { Ids = ["n_a", "n_b"] }));
        await ToListAsync(client.GetNodesAsync(new NodeQuery { Names = ["alpha"] }));
        await ToListAsync(client.GetNodesAsync(new NodeQuery { NodeType = "reserved" }));

        Assert.Equal(["/v1/nodes?id=n_a&id=n_b", "/v1/nodes?name=alpha", "/v1/nodes?type=reserved"], server.Requests.Select(r => r.Target));
    }

    [Theory]
    [InlineData(true, true, false, "-Id and -Name")]
    [InlineData(true, false, true, "-Id and -NodeType")]
    [InlineData(false, true, true, "-Name and -NodeType")]
    [InlineData(true, true, true, "-Id and -Name and -NodeType")]
    public async Task Combined_filters_are_refused_before_sending(bool ids, bool names, bool type, string named)
    {
        await using var server = new CannedHttpServer(CannedResponse.Json(List(NodeA)));
        string[]? idList = ids ? ["n_a"] : null;
        string[]? nameList = names ? ["alpha"] : null;
        var nodeType = type ? "reserved" : null;

        var direct = await Assert.ThrowsAsync<NodeOpsException>(() => ToListAsync(Client(server).ListNodesAsync(idList, nameList, nodeType)));
        var facade = await Assert.ThrowsAsync<NodeOpsException>(() => ToListAsync(Facade(server).GetNodesAsync(new NodeQuery { Ids = idList, Names = nameList, NodeType = nodeType })));

        foreach (var ex in new[] { direct, facade })
        {
            Assert.Equal(ErrorKind.InvalidArgument, ex.Kind);
            Assert.Equal(CloudProvider.SFCompute, ex.Provider);
            Assert.Contains(named, ex.Message, StringComparison.Ordinal);
        }

        Assert.Equal(0, server.RequestCount);
    }

    [Fact]
    public async Task Empty_filter_values_are_refused_before_sending()
    {
        await using var server = new CannedHttpServer(CannedResponse.Json(List(NodeA)));

        var ex1 = await Assert.ThrowsAsync<NodeOpsException>(() => ToListAsync(Client(server).ListNodesAsync(ids: ["n_a", ""])));
        var ex2 = await Assert.ThrowsAsync<NodeOpsException>(() => ToListAsync(Client(server).ListNodesAsync(type: " ")));

        Assert.Contains("-Id", ex1.Message, StringComparison.Ordinal);
        Assert.Contains("-NodeType", ex2.Message, StringComparison.Ordinal);
        Assert.Equal(0, server.RequestCount);
    }

    [Fact]
    public async Task Empty_filter_lists_mean_no_filter()
    {
        await using var server = new CannedHttpServer(CannedResponse.Json(List(NodeA)));

        await ToListAsync(Client(server).ListNodesAsync(ids: [], names: [], type: "reserved"));

        Assert.Equal("/v1/nodes?type=reserved", Assert.Single(server.Requests).Target);
    }

    [Fact]
    public async Task The_procurement_filter_is_applied_client_side()
    {
        await using var server = new CannedHttpServer(CannedResponse.Json(List(NodeA, NodeB, Node(id: "n_c", procurementId: null))));

        var nodes = await ToListAsync(Facade(server).GetNodesAsync(new NodeQuery { ClusterId = "proc_2", NodeType = "reserved" }));

        Assert.Equal("n_b", Assert.Single(nodes).Id);
        Assert.Equal("/v1/nodes?type=reserved", Assert.Single(server.Requests).Target);
    }

    [Fact]
    public async Task The_status_filter_of_the_facade_applies_to_sf_nodes()
    {
        await using var server = new CannedHttpServer(CannedResponse.Json(List(NodeA, NodeB)));

        var nodes = await ToListAsync(Facade(server).GetNodesAsync(new NodeQuery { Status = [GpuNodeStatus.Provisioning] }));

        Assert.Equal("n_b", Assert.Single(nodes).Id);
    }

    [Fact]
    public async Task A_hosting_provider_filter_is_refused_rather_than_ignored()
    {
        await using var server = new CannedHttpServer(CannedResponse.Json(List(NodeA)));

        var ex = await Assert.ThrowsAsync<NodeOpsException>(() => ToListAsync(Facade(server).GetNodesAsync(new NodeQuery { HostingProvider = "aws" })));

        Assert.Equal(ErrorKind.InvalidArgument, ex.Kind);
        Assert.Contains("-HostingProvider", ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, server.RequestCount);
    }

    [Theory]
    [InlineData("n_b1dc52505c6db142", "/v1/nodes/n_b1dc52505c6db142")]
    [InlineData("cuda-crunch", "/v1/nodes/cuda-crunch")]
    [InlineData("my node/1", "/v1/nodes/my%20node%2F1")]
    public async Task Gets_a_node_by_id_or_name(string idOrName, string path)
    {
        await using var server = new CannedHttpServer(CannedResponse.Json(Node(id: "n_b1dc52505c6db142", name: "cuda-crunch")));

        var node = await Client(server).GetNodeAsync(idOrName);

        var request = Assert.Single(server.Requests);
        Assert.Equal("GET", request.Method);
        Assert.Equal(path, request.Target);
        Assert.Equal("n_b1dc52505c6db142", node.Id);
        Assert.Equal("cuda-crunch", node.Name);
    }

    [Fact]
    public async Task Get_through_the_facade_checks_the_procurement_when_one_is_given()
    {
        await using var server = new CannedHttpServer(CannedResponse.Json(NodeA));
        var client = Facade(server);

        var node = await client.GetNodeAsync("n_a", "proc_1");
        var ex = await Assert.ThrowsAsync<NodeOpsException>(() => client.GetNodeAsync("n_a", "proc_9"));

        Assert.IsType<SfComputeNode>(node);
        Assert.Equal(ErrorKind.NotFound, ex.Kind);
        Assert.Contains("proc_9", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_get_is_retried_after_a_500()
    {
        await using var server = new CannedHttpServer((_, i) => i == 0 ? CannedResponse.Json(Error("api_error", "boom"), 500) : CannedResponse.Json(NodeA));

        var node = await Client(server).GetNodeAsync("n_a");

        Assert.Equal("n_a", node.Id);
        Assert.Equal(2, server.RequestCount);
    }

    [Theory]
    [InlineData("")]
    [InlineData("..")]
    [InlineData("a\nb")]
    public async Task Bad_ids_are_refused_before_sending_naming_the_parameter(string id)
    {
        await using var server = new CannedHttpServer(CannedResponse.Json(NodeA));
        var client = Client(server);

        foreach (var call in new Func<Task>[]
        {
            () => client.GetNodeAsync(id),
            () => client.RedeployAsync(id),
            () => client.ReleaseAsync(id),
            () => client.DeleteAsync(id),
        })
        {
            var ex = await Assert.ThrowsAsync<NodeOpsException>(call);
            Assert.Equal(ErrorKind.InvalidArgument, ex.Kind);
            Assert.Contains("-Id", ex.Message, StringComparison.Ordinal);
        }

        Assert.Equal(0, server.RequestCount);
    }

    // ---- errors -----------------------------------------------------------------------------------

    [Fact]
    public async Task The_v2_error_shape_becomes_a_NodeOpsApiException()
    {
        await using var server = new CannedHttpServer(new CannedResponse
        {
            Status = 404,
            Body = """{"error":{"type":"not_found","message":"Node n_missing not found","details":[{"field":"id","code":"not_found","message":"no such node"}]}}"""u8.ToArray(),
            Headers = { ["x-request-id"] = "req_123" },
        });

        var ex = await Assert.ThrowsAsync<NodeOpsApiException>(() => Client(server).GetNodeAsync("n_missing"));

        Assert.Equal(ErrorKind.NotFound, ex.Kind);
        Assert.Equal(404, ex.StatusCode);
        Assert.Equal("not_found", ex.ProviderCode);
        Assert.Equal("Node n_missing not found", ex.ProviderMessage);
        Assert.Equal("req_123", ex.RequestId);
        Assert.Equal(CloudProvider.SFCompute, ex.Provider);
        Assert.Equal("n_missing", ex.Target);
        Assert.Equal("GET", ex.Method);
        Assert.Equal("/v1/nodes/n_missing", ex.RequestPath);
        Assert.Contains("Node n_missing not found", ex.Message, StringComparison.Ordinal);
        Assert.Contains("no such node", ex.RawBody, StringComparison.Ordinal);
        Assert.Equal(1, server.RequestCount);
    }

    [Theory]
    [InlineData(400, "invalid_request_error", ErrorKind.ValidationFailed)]
    [InlineData(401, "authentication_error", ErrorKind.AuthenticationFailed)]
    [InlineData(402, "payment_required", ErrorKind.PermissionDenied)]
    [InlineData(403, "forbidden", ErrorKind.PermissionDenied)]
    [InlineData(409, "conflict", ErrorKind.InvalidState)]
    [InlineData(422, "unprocessable_entity", ErrorKind.ValidationFailed)]
    public async Task Each_documented_error_type_keeps_its_code(int status, string type, ErrorKind kind)
    {
        await using var server = new CannedHttpServer(CannedResponse.Json(Error(type, "nope"), status));

        var ex = await Assert.ThrowsAsync<NodeOpsApiException>(() => Client(server).ReleaseAsync("n_a"));

        Assert.Equal(status, ex.StatusCode);
        Assert.Equal(type, ex.ProviderCode);
        Assert.Equal("nope", ex.ProviderMessage);
        Assert.Equal(kind, ex.Kind);

        Assert.Equal(1, server.RequestCount);
    }

    [Fact]
    public async Task A_top_level_message_is_the_fallback()
    {
        await using var server = new CannedHttpServer(CannedResponse.Json("""{"message":"image vmi_x does not exist"}""", 400));

        var ex = await Assert.ThrowsAsync<NodeOpsApiException>(() => Client(server).RedeployAsync("n_a", "vmi_x"));

        Assert.Equal(ErrorKind.ValidationFailed, ex.Kind);
        Assert.Null(ex.ProviderCode);
        Assert.Equal("image vmi_x does not exist", ex.ProviderMessage);
        Assert.Contains("image vmi_x does not exist", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Raw_text_is_the_last_fallback()
    {
        await using var server = new CannedHttpServer(CannedResponse.Text("node has active VMs", "text/plain", 409));

        var ex = await Assert.ThrowsAsync<NodeOpsApiException>(() => Client(server).DeleteAsync("n_a"));

        Assert.Equal(ErrorKind.InvalidState, ex.Kind);
        Assert.Null(ex.ProviderMessage);
        Assert.Equal("node has active VMs", ex.RawBody);
        Assert.Equal(1, server.RequestCount);
    }

    [Fact]
    public async Task An_unreadable_list_reply_is_retried_then_reported()
    {
        await using var server = new CannedHttpServer(CannedResponse.Json("""{"object":"list","data":[{"object":"node","name":"no id"}]}"""));

        var ex = await Assert.ThrowsAsync<NodeOpsException>(() => ToListAsync(Client(server).ListNodesAsync()));

        Assert.Equal(ErrorKind.InvalidResponse, ex.Kind);
        Assert.Equal(4, server.RequestCount);
    }

    // ---- redeploy ---------------------------------------------------------------------------------

    [Fact]
    public async Task Redeploy_leaves_out_every_field_not_given()
    {
        await using var server = new CannedHttpServer(CannedResponse.Json(SfComputeSeed.RedeployResponse));
        var client = Client(server);

        await client.RedeployAsync("n_a");
        await client.RedeployAsync("n_a", imageId: "vmi_1");
        await client.RedeployAsync("n_a", cloudInitUserData: "I2Nsb3VkLWNvbmZpZwo=");
        await client.RedeployAsync("n_a", overrideEmpty: true);
        await client.RedeployAsync("n_a", overrideEmpty: false);

        Assert.Equal(
            [
                "{}",
                """{"image_id":"vmi_1"}""",
                """{"cloud_init_user_data":"I2Nsb3VkLWNvbmZpZwo="}""",
                """{"override_empty":true}""",
                """{"override_empty":false}""",
            ],
            server.Requests.Select(r => r.BodyText));
        Assert.All(server.Requests, r => Assert.Equal("PUT", r.Method));
        Assert.All(server.Requests, r => Assert.Equal("/v1/nodes/n_a/redeploy", r.Target));
        Assert.All(server.Requests, r => Assert.Null(r.Header("Idempotency-Key")));
    }

    [Fact]
    public async Task Redeploy_is_not_retried_after_a_500()
    {
        await using var server = new CannedHttpServer((_, i) => i == 0 ? CannedResponse.Json(Error("api_error", "internal"), 500) : CannedResponse.Json(SfComputeSeed.RedeployResponse));

        var ex = await Assert.ThrowsAsync<NodeOpsApiException>(() => Client(server).RedeployAsync("n_a", "vmi_1"));

        Assert.Equal(ErrorKind.ServerError, ex.Kind);
        Assert.Equal(500, ex.StatusCode);
        Assert.Equal("api_error", ex.ProviderCode);
        Assert.Equal(1, server.RequestCount);
    }

    [Fact]
    public async Task Redeploy_is_not_resent_after_a_dropped_connection_and_the_outcome_is_unknown()
    {
        await using var server = new CannedHttpServer((_, i) => i == 0 ? new CannedResponse { Drop = true } : CannedResponse.Json(SfComputeSeed.RedeployResponse));

        var ex = await Assert.ThrowsAsync<NodeOpsException>(() => Client(server).RedeployAsync("n_a", "vmi_1"));

        Assert.Equal(ErrorKind.OutcomeUnknown, ex.Kind);
        Assert.Equal("n_a", ex.Target);
        Assert.NotNull(ex.RecommendedAction);
        Assert.Equal(1, server.RequestCount);
    }

    [Fact]
    public async Task Redeploy_on_a_reused_connection_is_not_resent_after_a_drop()
    {
        // A first call leaves a pooled keep-alive connection; the handler must not quietly resend the
        // PUT on a new connection when the reused one is dropped.
        await using var server = new CannedHttpServer((r, _) => r.Method == "PUT" ? new CannedResponse { Drop = true } : CannedResponse.Json(NodeA));
        var client = Client(server);
        await client.GetNodeAsync("n_a");

        var ex = await Assert.ThrowsAsync<NodeOpsException>(() => client.RedeployAsync("n_a", "vmi_1"));

        Assert.Equal(ErrorKind.OutcomeUnknown, ex.Kind);
        Assert.Single(server.Requests, r => r.Method == "PUT");
    }

    [Fact]
    public async Task Redeploy_is_not_resent_after_a_timeout()
    {
        var options = TestClients.FastOptions();
        options.AttemptTimeout = TimeSpan.FromMilliseconds(300);
        await using var server = new CannedHttpServer(new CannedResponse { Hang = true });

        var ex = await Assert.ThrowsAsync<NodeOpsException>(() => Client(server, options).RedeployAsync("n_a"));

        Assert.Equal(ErrorKind.OutcomeUnknown, ex.Kind);
        Assert.Equal(1, server.RequestCount);
    }

    [Fact]
    public async Task Redeploy_is_retried_after_a_429()
    {
        await using var server = new CannedHttpServer((_, i) => i == 0
            ? new CannedResponse { Status = 429, Body = "{\"error\":{\"type\":\"rate_limited\",\"message\":\"slow down\"}}"u8.ToArray(), Headers = { ["Retry-After"] = "0" } }
            : CannedResponse.Json(SfComputeSeed.RedeployResponse));

        var r = await Client(server).RedeployAsync("n_a", "vmi_1");

        Assert.Equal("vm_newInstance", r.Id);
        Assert.Equal(2, server.RequestCount);
        Assert.Equal(server.Requests.First().BodyText, server.Requests.Last().BodyText);
    }

    [Fact]
    public async Task An_unreadable_redeploy_reply_is_not_retried_and_says_the_redeploy_happened()
    {
        await using var server = new CannedHttpServer(CannedResponse.Json("""{"object":"node","id":"""));

        var ex = await Assert.ThrowsAsync<NodeOpsException>(() => Client(server).RedeployAsync("n_a"));

        Assert.Equal(ErrorKind.InvalidResponse, ex.Kind);
        Assert.Contains("redeployed node 'n_a'", ex.Message, StringComparison.Ordinal);
        Assert.NotNull(ex.RecommendedAction);
        Assert.Equal(1, server.RequestCount);
    }

    [Fact]
    public async Task A_redeploy_in_progress_is_Running_and_its_node_Remediating()
    {
        var reply = Node(id: "n_a", vms: [Vm("vm_old", "Destroyed", 1700000000), Vm("vm_new", "Pending", 1700003600, "vmi_2")]);
        await using var server = new CannedHttpServer(CannedResponse.Json(reply));
        var client = Client(server);

        var r = await client.RedeployAsync("n_a", "vmi_2");
        var node = await client.GetNodeAsync("n_a");

        Assert.Equal("vm_new", r.Id);
        Assert.Equal(RemediationState.Running, r.State);
        Assert.Equal("Pending", r.ProviderState);
        Assert.Null(r.CompletedAt);
        Assert.Equal("vmi_2", r.ImageId);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1700003600), r.CreatedAt);
        Assert.Equal(GpuNodeStatus.Remediating, node.Status);
    }

    [Theory]
    [InlineData("hello world")]
    [InlineData("#cloud-config")]
    [InlineData("aGVsbG8gd29ybGQ")]
    [InlineData("aGVsbG8g\nd29ybGQ=")]
    [InlineData(" aGVsbG8gd29ybGQ=")]
    [InlineData("aGVsbG8gd29ybGQ-")]
    [InlineData("aGVs=G8gd29ybGQ=")]
    public async Task Cloud_init_user_data_that_is_not_base64_is_refused_before_sending(string data)
    {
        await using var server = new CannedHttpServer(CannedResponse.Json(SfComputeSeed.RedeployResponse));
        var facade = Facade(server);

        var direct = await Assert.ThrowsAsync<NodeOpsException>(() => facade.ProviderClient<SfComputeClient>().RedeployAsync("n_a", cloudInitUserData: data));
        var viaRedeploy = await Assert.ThrowsAsync<NodeOpsException>(() => facade.RedeployNodeAsync(new RedeployRequest { NodeId = "n_a", CloudInitUserData = data }));
        var viaRemediate = Assert.Throws<NodeOpsException>(() => facade.PlanRemediation([new RemediationTarget("n_a")], new RemediationSettings { CloudInitUserData = data }));

        foreach (var ex in new[] { direct, viaRedeploy, viaRemediate })
        {
            Assert.Equal(ErrorKind.InvalidArgument, ex.Kind);
            Assert.Contains("-CloudInitUserData", ex.Message, StringComparison.Ordinal);
            Assert.Contains("base64", ex.Message, StringComparison.Ordinal);
        }

        Assert.Equal(0, server.RequestCount);
    }

    [Theory]
    [InlineData("")]
    [InlineData("aGVsbG8gd29ybGQ=")]
    [InlineData("I2Nsb3VkLWNvbmZpZwpydW5jbWQ6CiAgLSBlY2hvIGhp")]
    [InlineData("/+8=")]
    public async Task Base64_cloud_init_user_data_is_sent_verbatim(string data)
    {
        await using var server = new CannedHttpServer(CannedResponse.Json(SfComputeSeed.RedeployResponse));

        await Client(server).RedeployAsync("n_a", cloudInitUserData: data);

        var body = System.Text.Json.Nodes.JsonNode.Parse(Assert.Single(server.Requests).BodyText)!.AsObject();
        Assert.Equal(data, (string?)Assert.Single(body, p => p.Key == "cloud_init_user_data").Value);
    }

    [Fact]
    public async Task An_empty_image_id_is_refused_before_sending()
    {
        await using var server = new CannedHttpServer(CannedResponse.Json(SfComputeSeed.RedeployResponse));

        var ex = await Assert.ThrowsAsync<NodeOpsException>(() => Client(server).RedeployAsync("n_a", imageId: " "));

        Assert.Equal(ErrorKind.InvalidArgument, ex.Kind);
        Assert.Contains("-ImageId", ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, server.RequestCount);
    }

    // ---- remediation through the facade -------------------------------------------------------------

    [Fact]
    public async Task Remediate_redeploys_each_node_once_with_the_settings()
    {
        await using var server = new CannedHttpServer(CannedResponse.Json(SfComputeSeed.RedeployResponse));
        var facade = Facade(server);
        var settings = new RemediationSettings { ImageId = "vmi_9", CloudInitUserData = "aGk=", OverrideEmpty = true, Reason = "Xid 79" };

        var plan = facade.PlanRemediation([new RemediationTarget("n_a"), new RemediationTarget("n_b"), new RemediationTarget("n_a")], settings);
        var outcomes = await ToListAsync(facade.RemediateAsync(plan));

        Assert.Equal(2, plan.Batches.Count);
        Assert.Single(plan.Duplicates);
        Assert.Equal(2, outcomes.Count);
        Assert.All(outcomes, o => Assert.True(o.Succeeded));
        Assert.All(outcomes, o => Assert.Equal("vm_newInstance", o.Remediation!.Id));
        Assert.Equal(["/v1/nodes/n_a/redeploy", "/v1/nodes/n_b/redeploy"], server.Requests.Select(r => r.Target).Order());
        Assert.All(server.Requests, r => Assert.Equal("""{"image_id":"vmi_9","cloud_init_user_data":"aGk=","override_empty":true}""", r.BodyText));
        Assert.All(server.Requests, r => Assert.Null(r.Header("Idempotency-Key")));
    }

    [Fact]
    public async Task Remediate_needs_no_cluster_id_and_reports_a_failed_node_as_an_outcome()
    {
        await using var server = new CannedHttpServer((r, _) => r.Target.Contains("n_bad", StringComparison.Ordinal)
            ? CannedResponse.Json(Error("conflict", "node is not running"), 409)
            : CannedResponse.Json(SfComputeSeed.RedeployResponse));

        var outcomes = await ToListAsync(Facade(server).RemediateAsync([new RemediationTarget("n_ok"), new RemediationTarget("n_bad")], new RemediationSettings()));

        Assert.True(Assert.Single(outcomes, o => o.Target.NodeId == "n_ok").Succeeded);
        var bad = Assert.Single(outcomes, o => o.Target.NodeId == "n_bad");
        Assert.Equal(ErrorKind.InvalidState, bad.Error!.Kind);
        Assert.Equal(2, server.RequestCount);
    }

    [Fact]
    public async Task A_together_mode_is_refused_for_sf_compute()
    {
        await using var server = new CannedHttpServer(CannedResponse.Json(SfComputeSeed.RedeployResponse));

        var ex = Assert.Throws<NodeOpsException>(() => Facade(server).PlanRemediation([new RemediationTarget("n_a")], new RemediationSettings { Mode = "RebootVm" }));

        Assert.Equal(ErrorKind.InvalidArgument, ex.Kind);
        Assert.Contains("-Mode", ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, server.RequestCount);
    }

    [Fact]
    public async Task Gets_a_redeploy_by_vm_id_from_its_node()
    {
        var reply = Node(id: "n_a", vms: [Vm("vm_old", "Destroyed"), Vm("vm_new", "Running")]);
        await using var server = new CannedHttpServer(CannedResponse.Json(reply));
        var facade = Facade(server);

        var current = await facade.GetRemediationAsync(new RemediationRef("vm_new", "n_a"));
        var old = await facade.GetRemediationAsync(new RemediationRef("vm_old", "n_a"));

        Assert.Equal(["/v1/nodes/n_a", "/v1/nodes/n_a"], server.Requests.Select(r => r.Target));
        Assert.Equal(RemediationState.Succeeded, current.State);
        Assert.Equal("vm_new", current.Id);
        Assert.Equal("n_a", current.NodeId);
        Assert.Equal(RemediationState.Failed, old.State);
        Assert.Contains("vm_new", old.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Waits_for_a_redeploy_until_its_vm_runs()
    {
        var pending = Node(id: "n_a", vms: [Vm("vm_old", "Destroyed"), Vm("vm_new", "Pending")]);
        var running = Node(id: "n_a", vms: [Vm("vm_old", "Destroyed"), Vm("vm_new", "Running")]);
        await using var server = new CannedHttpServer((_, i) => CannedResponse.Json(i < 2 ? pending : running));
        var polls = new List<RemediationState>();

        var done = await Facade(server).WaitForRemediationAsync(new RemediationRef("vm_new", "n_a"), TimeSpan.FromSeconds(10), r => polls.Add(r.State));

        Assert.Equal(RemediationState.Succeeded, done.State);
        Assert.Equal([RemediationState.Running, RemediationState.Running, RemediationState.Succeeded], polls);
    }

    [Fact]
    public async Task An_unknown_vm_is_NotFound_and_a_missing_vm_id_is_refused()
    {
        await using var server = new CannedHttpServer(CannedResponse.Json(NodeA));
        var facade = Facade(server);

        var notFound = await Assert.ThrowsAsync<NodeOpsException>(() => facade.GetRemediationAsync(new RemediationRef("vm_nope", "n_a")));
        var noId = await Assert.ThrowsAsync<NodeOpsException>(() => facade.GetRemediationAsync(new RemediationRef(null, "n_a")));

        Assert.Equal(ErrorKind.NotFound, notFound.Kind);
        Assert.Equal(ErrorKind.InvalidArgument, noId.Kind);
        Assert.Contains("-Id", noId.Message, StringComparison.Ordinal);
        Assert.Equal(1, server.RequestCount);
    }

    [Fact]
    public async Task Listing_remediations_is_not_supported()
    {
        await using var server = new CannedHttpServer(CannedResponse.Json(NodeA));

        var ex = Assert.Throws<NodeOpsException>(() => Facade(server).GetRemediationsAsync(new RemediationQuery { NodeId = "n_a" }));

        Assert.Equal(ErrorKind.NotSupported, ex.Kind);
        Assert.NotNull(ex.RecommendedAction);
        Assert.Equal(0, server.RequestCount);
    }

    // ---- release and delete -----------------------------------------------------------------------

    [Fact]
    public async Task Release_patches_without_a_body_and_returns_the_node()
    {
        await using var server = new CannedHttpServer(CannedResponse.Json(Node(id: "n_a", status: "released")));

        var node = await Facade(server).ReleaseNodeAsync("n_a");

        var request = Assert.Single(server.Requests);
        Assert.Equal("PATCH", request.Method);
        Assert.Equal("/v1/nodes/n_a/release", request.Target);
        Assert.Empty(request.Body);
        Assert.Null(request.Header("Content-Type"));
        Assert.Equal(GpuNodeStatus.Terminating, node.Status);
        Assert.Equal("released", node.ProviderStatus);
    }

    [Fact]
    public async Task Release_is_not_retried_after_a_500()
    {
        await using var server = new CannedHttpServer(CannedResponse.Json(Error("api_error", "x"), 503));

        var ex = await Assert.ThrowsAsync<NodeOpsApiException>(() => Client(server).ReleaseAsync("n_a"));

        Assert.Equal(503, ex.StatusCode);
        Assert.Equal(1, server.RequestCount);
    }

    [Fact]
    public async Task Release_after_a_dropped_connection_is_OutcomeUnknown_after_one_attempt()
    {
        var tracer = new RecordingTracer();
        await using var server = new CannedHttpServer(new CannedResponse { Drop = true });

        var ex = await Assert.ThrowsAsync<NodeOpsException>(() => Client(server, TestClients.FastOptions(tracer)).ReleaseAsync("n_a"));

        Assert.Equal(ErrorKind.OutcomeUnknown, ex.Kind);
        Assert.Single(tracer.Events, e => e.Kind == TraceEventKind.Sending);
        Assert.DoesNotContain(tracer.Events, e => e.Kind == TraceEventKind.Retrying);
    }

    [Fact]
    public async Task Release_is_not_resent_after_a_dropped_connection()
    {
        await using var server = new CannedHttpServer(new CannedResponse { Drop = true });

        await Assert.ThrowsAsync<NodeOpsException>(() => Client(server).ReleaseAsync("n_a"));

        Assert.Equal(1, server.RequestCount);
    }

    [Fact]
    public async Task Delete_accepts_an_empty_204()
    {
        await using var server = new CannedHttpServer(new CannedResponse { Status = 204, ContentType = null });

        await Facade(server).RemoveNodeAsync("n_a");

        var request = Assert.Single(server.Requests);
        Assert.Equal("DELETE", request.Method);
        Assert.Equal("/v1/nodes/n_a", request.Target);
        Assert.Empty(request.Body);
    }

    [Fact]
    public async Task Delete_accepts_an_empty_200_too()
    {
        await using var server = new CannedHttpServer(new CannedResponse { Status = 200, ContentType = null });

        await Client(server).DeleteAsync("n_a");

        Assert.Equal(1, server.RequestCount);
    }

    [Fact]
    public async Task Delete_refused_while_vms_are_active_is_not_retried()
    {
        await using var server = new CannedHttpServer(CannedResponse.Json(Error("conflict", "Node has active or pending VMs"), 409));

        var ex = await Assert.ThrowsAsync<NodeOpsApiException>(() => Client(server).DeleteAsync("n_a"));

        Assert.Equal(ErrorKind.InvalidState, ex.Kind);
        Assert.Equal("conflict", ex.ProviderCode);
        Assert.Equal("Node has active or pending VMs", ex.ProviderMessage);
        Assert.Equal(1, server.RequestCount);
    }

    [Fact]
    public async Task Delete_after_a_dropped_connection_is_OutcomeUnknown_after_one_attempt()
    {
        var tracer = new RecordingTracer();
        await using var server = new CannedHttpServer(new CannedResponse { Drop = true });

        var ex = await Assert.ThrowsAsync<NodeOpsException>(() => Client(server, TestClients.FastOptions(tracer)).DeleteAsync("n_a"));

        Assert.Equal(ErrorKind.OutcomeUnknown, ex.Kind);
        Assert.Single(tracer.Events, e => e.Kind == TraceEventKind.Sending);
    }

    [Fact]
    public async Task Delete_is_not_resent_after_a_dropped_connection()
    {
        await using var server = new CannedHttpServer(new CannedResponse { Drop = true });

        await Assert.ThrowsAsync<NodeOpsException>(() => Client(server).DeleteAsync("n_a"));

        Assert.Equal(1, server.RequestCount);
    }

    // ---- registration ---------------------------------------------------------------------------------

    [Fact]
    public void The_descriptor_is_registered_with_the_sdk_variables()
    {
        var d = ProviderRegistry.Get(CloudProvider.SFCompute);

        Assert.Equal(["SFC_API_KEY", "SFC_NODES_BEARER_TOKEN"], d.TokenVariables);
        Assert.Equal(["SFC_NODES_BASE_URL"], d.EndpointVariables);
        Assert.Equal(new Uri("https://api.sfcompute.com"), d.DefaultEndpoint(null));
    }

    [Fact]
    public async Task The_facade_reports_what_sf_compute_supports()
    {
        await using var server = new CannedHttpServer(CannedResponse.Json(NodeA));
        var facade = Facade(server);

        Assert.True(facade.Supports(NodeOperation.ListNodes));
        Assert.True(facade.Supports(NodeOperation.Remediate));
        Assert.True(facade.Supports(NodeOperation.TrackRemediation));
        Assert.True(facade.Supports(NodeOperation.Redeploy));
        Assert.True(facade.Supports(NodeOperation.Release));
        Assert.True(facade.Supports(NodeOperation.Remove));
        Assert.False(facade.Supports(NodeOperation.ListClusters));
        Assert.False(facade.Supports(NodeOperation.ReviewRemediation));
        Assert.False(facade.Supports(NodeOperation.Import));
        Assert.False(facade.Supports(NodeOperation.Update));
        var ex = await Assert.ThrowsAsync<NodeOpsException>(() => facade.ApproveRemediationAsync(new RemediationRef("vm_1", "n_a")));
        Assert.Equal(ErrorKind.NotSupported, ex.Kind);
    }
}
