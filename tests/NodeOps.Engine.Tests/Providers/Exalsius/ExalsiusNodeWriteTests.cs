using System.Text;
using System.Text.Json;
using NodeOps.Engine.Providers.Exalsius;
using NodeOps.Engine.Tests.Support;
using static NodeOps.Engine.Tests.Providers.Exalsius.ExalsiusFixtures;

namespace NodeOps.Engine.Tests.Providers.Exalsius;

/// <summary>Delete, patch, heartbeat and imports against exact replies.</summary>
public sealed class ExalsiusNodeWriteTests
{
    private static NodeUpdate Update(string nodeId = "n-1") => new()
    {
        NodeId = nodeId,
        Description = "rack 7",
        Hardware = new NodeHardware { GpuCount = 8, GpuVendor = "NVIDIA", GpuType = "H100", GpuMemoryGb = 80, CpuCores = 96, MemoryGb = 1024, StorageGb = 2000 },
        Software = new NodeSoftware { Docker = "27.0.3", Nvidia = "550.54.15" },
        System = new NodeSystem { Os = "Ubuntu 22.04", Kernel = "5.15.0" },
    };

    private static ImportViaSshRequest Ssh(
        string hostname = "my-server-001",
        string endpoint = "192.168.1.100:22",
        string username = "ubuntu",
        string sshKeyId = "123e4567-e89b-12d3-a456-426614174000",
        double? price = null) => new()
        {
            Hostname = hostname,
            Endpoint = endpoint,
            Username = username,
            SshKeyId = sshKeyId,
            Description = "On-premises GPU server",
            PricePerHour = price,
        };

    private const string PatchReply = $$"""{"node_id":"n-1","next_access_token":"{{AccessToken}}","next_access_token_expires_in":3600,"next_access_token_type":"Bearer"}""";

    // ---- delete -----------------------------------------------------------------------------------

    [Fact]
    public async Task Deletes_a_node_and_returns_its_id()
    {
        await using var server = new CannedHttpServer(CannedResponse.Json("""{"node_id":"n-1"}"""));

        var id = await Client(server).DeleteNodeAsync("n-1");

        var request = Assert.Single(server.Requests);
        Assert.Equal("DELETE", request.Method);
        Assert.Equal("/v1/node/n-1", request.Target);
        Assert.Equal("n-1", id);
    }

    [Fact]
    public async Task A_204_delete_is_done()
    {
        await using var server = new CannedHttpServer(new CannedResponse { Status = 204, ContentType = null });

        Assert.Equal("n-1", await Client(server).DeleteNodeAsync("n-1"));
        Assert.Equal(1, server.RequestCount);
    }

    [Fact]
    public async Task A_delete_409_names_the_node_s_current_state_read_from_the_node()
    {
        await using var server = new CannedHttpServer((r, _) => r.Method == "DELETE"
            ? Problem(409, "conflict", "Conflict", "The node with ID n-1 is not in the `available` state.", "/node/n-1")
            : CannedResponse.Json(Node("n-1", "DEPLOYED")));

        var ex = await Assert.ThrowsAsync<NodeOpsApiException>(() => Facade(server).RemoveNodeAsync("n-1"));

        Assert.Equal(["DELETE /v1/node/n-1", "GET /v1/node/n-1"], server.Requests.Select(r => $"{r.Method} {r.Target}"));
        Assert.Equal(ErrorKind.InvalidState, ex.Kind);
        Assert.Equal(NodeOpsErrorCategory.InvalidOperation, ex.Category);
        Assert.Equal(409, ex.StatusCode);
        Assert.Equal("conflict", ex.ProviderCode);
        Assert.Equal("n-1", ex.Target);
        Assert.Contains("current state is DEPLOYED (InUse)", ex.Message, StringComparison.Ordinal);
        Assert.Contains("only AVAILABLE nodes", ex.Message, StringComparison.Ordinal);
        Assert.Contains("not in the `available` state", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Detach the node", ex.RecommendedAction, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_delete_409_whose_message_names_the_state_is_not_followed_by_a_read()
    {
        await using var server = new CannedHttpServer(Problem(409, "conflict", "Conflict", "Node n-1 is DISCOVERING and cannot be deleted.", "/node/n-1"));

        var ex = await Assert.ThrowsAsync<NodeOpsApiException>(() => Client(server).DeleteNodeAsync("n-1"));

        Assert.Equal(1, server.RequestCount);
        Assert.Equal(ErrorKind.InvalidState, ex.Kind);
        Assert.Contains("current state is DISCOVERING (Provisioning)", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Wait until", ex.RecommendedAction, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_delete_409_is_still_InvalidState_when_the_node_cannot_be_read()
    {
        await using var server = new CannedHttpServer((r, _) => r.Method == "DELETE"
            ? Problem(409, "conflict", "Conflict", "The node with ID n-1 is not in the `available` state.", "/node/n-1")
            : Problem(403, "forbidden", "Forbidden", "no", "/node/n-1"));

        var ex = await Assert.ThrowsAsync<NodeOpsApiException>(() => Client(server).DeleteNodeAsync("n-1"));

        Assert.Equal(ErrorKind.InvalidState, ex.Kind);
        Assert.Contains("could not be read", ex.Message, StringComparison.Ordinal);
        Assert.Equal(2, server.RequestCount);
    }

    [Fact]
    public async Task A_retried_delete_that_meets_404_counts_as_done()
    {
        await using var server = new CannedHttpServer((_, i) => i == 0
            ? Problem(503, "server-error", "Service Unavailable", "try again", "/node/n-1")
            : Problem(404, "not-found", "Not Found", "The node with ID n-1 was not found.", "/node/n-1"));

        var id = await Client(server).DeleteNodeAsync("n-1");

        Assert.Equal("n-1", id);
        Assert.Equal(2, server.RequestCount);
    }

    [Fact]
    public async Task A_delete_whose_first_answer_timed_out_and_then_meets_404_counts_as_done()
    {
        var options = TestClients.FastOptions();
        options.AttemptTimeout = TimeSpan.FromMilliseconds(300);
        await using var server = new CannedHttpServer((_, i) => i == 0
            ? new CannedResponse { Hang = true }
            : Problem(404, "not-found", "Not Found", "The node with ID n-1 was not found.", "/node/n-1"));

        var id = await Client(server, options).DeleteNodeAsync("n-1");

        Assert.Equal("n-1", id);
        Assert.Equal(2, server.RequestCount);
    }

    [Fact]
    public async Task A_first_attempt_404_on_delete_is_NotFound()
    {
        await using var server = new CannedHttpServer(Problem(404, "not-found", "Not Found", "The node with ID n-1 was not found.", "/node/n-1"));

        var ex = await Assert.ThrowsAsync<NodeOpsApiException>(() => Client(server).DeleteNodeAsync("n-1"));

        Assert.Equal(ErrorKind.NotFound, ex.Kind);
        Assert.Equal(1, server.RequestCount);
    }

    // ---- patch and heartbeat ----------------------------------------------------------------------

    [Fact]
    public async Task Patch_sends_the_documented_wire_names()
    {
        await using var server = new CannedHttpServer(CannedResponse.Json(PatchReply));

        await Client(server).PatchNodeAsync(Update());

        var request = Assert.Single(server.Requests);
        Assert.Equal("PATCH", request.Method);
        Assert.Equal("/v1/node/n-1", request.Target);
        Assert.StartsWith("application/json", request.Header("Content-Type"), StringComparison.Ordinal);
        Assert.Equal(
            """{"hardware":{"gpu_count":8,"gpu_vendor":"NVIDIA","gpu_type":"H100","gpu_memory":80,"cpu_cores":96,"memory_gb":1024,"storage_gb":2000},"software":{"docker":"27.0.3","nvidia":"550.54.15"},"system":{"os":"Ubuntu 22.04","kernel":"5.15.0"},"description":"rack 7"}""",
            request.BodyText);
    }

    [Fact]
    public async Task Patch_without_description_leaves_it_out_but_keeps_the_three_required_objects()
    {
        await using var server = new CannedHttpServer(CannedResponse.Json(PatchReply));

        await Client(server).PatchNodeAsync(new NodeUpdate { NodeId = "n-1", Hardware = new NodeHardware(), Software = new NodeSoftware(), System = new NodeSystem() });

        Assert.Equal("""{"hardware":{},"software":{},"system":{}}""", Assert.Single(server.Requests).BodyText);
    }

    [Fact]
    public async Task Patch_reports_that_a_token_was_issued_but_the_token_appears_nowhere()
    {
        var tracer = new RecordingTracer(includeBodies: true);
        await using var server = new CannedHttpServer(CannedResponse.Json(PatchReply));

        var result = await Facade(server, TestClients.FastOptions(tracer)).UpdateNodeAsync(Update());

        Assert.Equal(CloudProvider.Exalsius, result.Provider);
        Assert.Equal("n-1", result.NodeId);
        Assert.True(result.AccessTokenIssued);
        Assert.Equal(3600, result.AccessTokenExpiresIn);
        Assert.True(result.Time > DateTimeOffset.UtcNow.AddMinutes(-1));
        Assert.DoesNotContain(AccessToken, JsonSerializer.Serialize(result), StringComparison.Ordinal);
        Assert.DoesNotContain(AccessToken, result.ToString() ?? string.Empty, StringComparison.Ordinal);
        Assert.Contains(tracer.Events, e => e.Kind == TraceEventKind.Body && e.Detail!.Contains("next_access_token", StringComparison.Ordinal));
        Assert.DoesNotContain(AccessToken, tracer.AllText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_token_does_not_leak_through_an_unreadable_reply_or_an_error()
    {
        var tracer = new RecordingTracer(includeBodies: true);
        var unreadable = $$"""{"node_id":"n-1","next_access_token":"{{AccessToken}}","next_access_token_expires_in":"soon"}""";
        // A gateway error that still carries the patch reply's fields.
        var error = $$$"""{"detail":{"type":"https://api.exalsius.ai/errors/server-error","title":"Internal Server Error","status":500,"detail":"upstream failed","instance":"/node/n-1"},"node_id":"n-1","next_access_token":"{{{AccessToken}}}"}""";
        await using var bad = new CannedHttpServer(CannedResponse.Json(unreadable));
        await using var failing = new CannedHttpServer(new CannedResponse { Status = 500, ContentType = "application/problem+json", Body = Encoding.UTF8.GetBytes(error) });

        var invalid = await Assert.ThrowsAsync<NodeOpsException>(() => Client(bad, TestClients.FastOptions(tracer)).SendHeartbeatAsync("n-1"));
        var server = await Assert.ThrowsAsync<NodeOpsApiException>(() => Client(failing, TestClients.FastOptions(tracer)).PatchNodeAsync(Update()));

        Assert.Equal(ErrorKind.InvalidResponse, invalid.Kind);
        Assert.Equal(ErrorKind.ServerError, server.Kind);
        Assert.Equal(4, failing.RequestCount); // PATCH is safe to retry
        foreach (var text in new[] { invalid.ToString(), server.ToString(), server.RawBody ?? string.Empty, server.ProviderMessage ?? string.Empty, tracer.AllText })
        {
            Assert.DoesNotContain(AccessToken, text, StringComparison.Ordinal);
            Assert.DoesNotContain("node-agent-secret", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Heartbeat_is_a_PATCH_with_no_body()
    {
        await using var server = new CannedHttpServer(CannedResponse.Json("""{"node_id":"n-1","next_access_token":null}"""));

        var result = await Facade(server).SendHeartbeatAsync("n-1");

        var request = Assert.Single(server.Requests);
        Assert.Equal("PATCH", request.Method);
        Assert.Equal("/v1/node/n-1", request.Target);
        Assert.Empty(request.Body);
        Assert.Null(request.Header("Content-Type"));
        Assert.False(result.AccessTokenIssued);
        Assert.Null(result.AccessTokenExpiresIn);
        Assert.Equal("n-1", result.NodeId);
    }

    [Fact]
    public async Task Heartbeat_is_retried_after_a_dropped_connection()
    {
        await using var server = new CannedHttpServer((_, i) => i == 0 ? new CannedResponse { Drop = true } : CannedResponse.Json(PatchReply));

        var result = await Client(server).SendHeartbeatAsync("n-1");

        Assert.True(result.AccessTokenIssued);
        Assert.Equal(2, server.RequestCount);
    }

    [Theory]
    [InlineData("Hardware")]
    [InlineData("Software")]
    [InlineData("System")]
    public async Task Patch_without_a_required_object_is_refused_before_sending(string missing)
    {
        await using var server = new CannedHttpServer(CannedResponse.Json(PatchReply));
        var full = Update();
        var update = new NodeUpdate
        {
            NodeId = "n-1",
            Hardware = missing == "Hardware" ? null! : full.Hardware,
            Software = missing == "Software" ? null! : full.Software,
            System = missing == "System" ? null! : full.System,
        };

        var ex = await Assert.ThrowsAsync<NodeOpsException>(() => Client(server).PatchNodeAsync(update));

        Assert.Equal(ErrorKind.InvalidArgument, ex.Kind);
        Assert.StartsWith("-" + missing, ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, server.RequestCount);
    }

    [Fact]
    public async Task Patch_with_a_negative_count_is_refused_before_sending()
    {
        await using var server = new CannedHttpServer(CannedResponse.Json(PatchReply));

        var ex = await Assert.ThrowsAsync<NodeOpsException>(() => Client(server).PatchNodeAsync(new NodeUpdate
        {
            NodeId = "n-1",
            Hardware = new NodeHardware { GpuCount = -1 },
            Software = new NodeSoftware(),
            System = new NodeSystem(),
        }));

        Assert.Equal(ErrorKind.InvalidArgument, ex.Kind);
        Assert.Contains("GpuCount", ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, server.RequestCount);
    }

    // ---- import from offer ------------------------------------------------------------------------

    [Fact]
    public async Task Imports_from_an_offer_with_hostname_and_amount_in_the_query()
    {
        await using var server = new CannedHttpServer(CannedResponse.Json("""{"node_ids":["n-7","n-8"],"total":2}""", 201));

        var result = await Facade(server).ImportNodeFromOfferAsync(new ImportFromOfferRequest { OfferId = "off-1", Hostname = "gpu a", Amount = 2 });

        var request = Assert.Single(server.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/v1/node/import/offer/off-1?hostname=gpu%20a&amount=2", request.Target);
        Assert.Equal("0", request.Header("Content-Length")); // the pipeline gives unsafe requests empty content so the handler never resends them
        Assert.Null(request.Header("Content-Type"));
        Assert.Empty(request.Body);
        Assert.Equal(["n-7", "n-8"], result.NodeIds);
        Assert.Equal(2, result.Total);
        Assert.Equal(CloudProvider.Exalsius, result.Provider);
    }

    [Fact]
    public async Task Import_from_offer_without_hostname_sends_only_the_amount()
    {
        await using var server = new CannedHttpServer(CannedResponse.Json("""{"node_ids":["n-7"],"total":1}""", 201));

        await Client(server).ImportFromOfferAsync("off-1");

        Assert.Equal("/v1/node/import/offer/off-1?amount=1", Assert.Single(server.Requests).Target);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    public async Task Import_from_offer_refuses_an_amount_below_one_before_sending(int amount)
    {
        await using var server = new CannedHttpServer(CannedResponse.Json("""{"node_ids":[],"total":0}""", 201));

        var ex = await Assert.ThrowsAsync<NodeOpsException>(() => Facade(server).ImportNodeFromOfferAsync(new ImportFromOfferRequest { OfferId = "off-1", Amount = amount }));

        Assert.Equal(ErrorKind.InvalidArgument, ex.Kind);
        Assert.StartsWith("-Amount", ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, server.RequestCount);
    }

    [Fact]
    public async Task Import_from_offer_is_not_resent_after_a_dropped_connection()
    {
        await using var server = new CannedHttpServer(new CannedResponse { Drop = true });

        var ex = await Assert.ThrowsAsync<NodeOpsException>(() => Client(server).ImportFromOfferAsync("off-1", "gpu-a", 2));

        Assert.Equal(ErrorKind.OutcomeUnknown, ex.Kind);
        Assert.Equal(1, server.RequestCount);
        Assert.Contains("Get-GpuNode", ex.RecommendedAction, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_from_offer_is_not_resent_after_a_500()
    {
        await using var server = new CannedHttpServer(Problem(500, "server-error", "Internal Server Error", "An internal server error occurred.", "/node/import/offer/off-1"));

        var ex = await Assert.ThrowsAsync<NodeOpsApiException>(() => Client(server).ImportFromOfferAsync("off-1"));

        Assert.Equal(ErrorKind.ServerError, ex.Kind);
        Assert.Equal(1, server.RequestCount);
    }

    [Fact]
    public async Task Import_reply_without_node_ids_is_an_InvalidResponse_and_not_resent()
    {
        await using var server = new CannedHttpServer(CannedResponse.Json("""{"total":1}""", 201));

        var ex = await Assert.ThrowsAsync<NodeOpsException>(() => Client(server).ImportFromOfferAsync("off-1"));

        Assert.Equal(ErrorKind.InvalidResponse, ex.Kind);
        Assert.Contains("node_ids", ex.Message, StringComparison.Ordinal);
        Assert.Contains("accepted the import", ex.Message, StringComparison.Ordinal);
        Assert.StartsWith("Do not import again", ex.RecommendedAction, StringComparison.Ordinal);
        Assert.Equal(1, server.RequestCount);
    }

    // ---- import via SSH ---------------------------------------------------------------------------

    [Fact]
    public async Task Imports_via_ssh_with_the_documented_body()
    {
        await using var server = new CannedHttpServer(CannedResponse.Json($$"""{"node_ids":["{{SelfManagedId}}"],"total":1}""", 201));

        var result = await Facade(server).ImportNodeViaSshAsync(Ssh(price: 1.25));

        var request = Assert.Single(server.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/v1/node/import/ssh", request.Target);
        Assert.Equal(
            """{"hostname":"my-server-001","endpoint":"192.168.1.100:22","username":"ubuntu","ssh_key_id":"123e4567-e89b-12d3-a456-426614174000","description":"On-premises GPU server","price_per_hour":1.25}""",
            request.BodyText);
        Assert.Equal([SelfManagedId], result.NodeIds);
        Assert.Equal(1, result.Total);
    }

    [Fact]
    public async Task Import_via_ssh_with_an_unreadable_201_says_the_import_happened_and_is_not_resent()
    {
        await using var server = new CannedHttpServer(CannedResponse.Text("<html>Created</html>", "text/html", 201));

        var ex = await Assert.ThrowsAsync<NodeOpsException>(() => Client(server).ImportViaSshAsync(Ssh()));

        Assert.Equal(ErrorKind.InvalidResponse, ex.Kind);
        Assert.Equal("my-server-001", ex.Target);
        Assert.StartsWith("Do not import again", ex.RecommendedAction, StringComparison.Ordinal);
        Assert.Equal(1, server.RequestCount);
    }

    [Fact]
    public async Task Import_via_ssh_409_is_AlreadyExists()
    {
        await using var server = new CannedHttpServer(Problem(409, "conflict", "Conflict", "A node with endpoint 192.168.1.100:22 already exists.", "/node/import/ssh"));

        var ex = await Assert.ThrowsAsync<NodeOpsApiException>(() => Client(server).ImportViaSshAsync(Ssh()));

        Assert.Equal(ErrorKind.AlreadyExists, ex.Kind);
        Assert.Equal(NodeOpsErrorCategory.ResourceExists, ex.Category);
        Assert.Equal(409, ex.StatusCode);
        Assert.Equal("conflict", ex.ProviderCode);
        Assert.Equal("my-server-001", ex.Target);
        Assert.Contains("already exists", ex.Message, StringComparison.Ordinal);
        Assert.Equal(1, server.RequestCount);
    }

    [Fact]
    public async Task Import_via_ssh_is_not_resent_after_a_dropped_connection()
    {
        await using var server = new CannedHttpServer(new CannedResponse { Drop = true });

        var ex = await Assert.ThrowsAsync<NodeOpsException>(() => Client(server).ImportViaSshAsync(Ssh()));

        Assert.Equal(ErrorKind.OutcomeUnknown, ex.Kind);
        Assert.Equal(1, server.RequestCount);
    }

    [Fact]
    public async Task Import_via_ssh_is_not_resent_after_an_attempt_timeout()
    {
        var options = TestClients.FastOptions();
        options.AttemptTimeout = TimeSpan.FromMilliseconds(300);
        await using var server = new CannedHttpServer(new CannedResponse { Hang = true });

        var ex = await Assert.ThrowsAsync<NodeOpsException>(() => Client(server, options).ImportViaSshAsync(Ssh()));

        Assert.Equal(ErrorKind.OutcomeUnknown, ex.Kind);
        Assert.Equal(1, server.RequestCount);
    }

    [Theory]
    [InlineData("", "192.168.1.100:22", "ubuntu", "123e4567-e89b-12d3-a456-426614174000", "-Hostname")]
    [InlineData("h", " ", "ubuntu", "123e4567-e89b-12d3-a456-426614174000", "-SshEndpoint")]
    [InlineData("h", "192.168.1.100:22", "", "123e4567-e89b-12d3-a456-426614174000", "-Username")]
    [InlineData("h", "192.168.1.100:22", "ubuntu", "", "-SshKeyId")]
    [InlineData("h", "192.168.1.100", "ubuntu", "123e4567-e89b-12d3-a456-426614174000", "-SshEndpoint")]
    [InlineData("h", "192.168.1.100:", "ubuntu", "123e4567-e89b-12d3-a456-426614174000", "-SshEndpoint")]
    [InlineData("h", ":22", "ubuntu", "123e4567-e89b-12d3-a456-426614174000", "-SshEndpoint")]
    [InlineData("h", "host:0", "ubuntu", "123e4567-e89b-12d3-a456-426614174000", "-SshEndpoint")]
    [InlineData("h", "host:65536", "ubuntu", "123e4567-e89b-12d3-a456-426614174000", "-SshEndpoint")]
    [InlineData("h", "host:ssh", "ubuntu", "123e4567-e89b-12d3-a456-426614174000", "-SshEndpoint")]
    [InlineData("h", "2001:db8::1:22", "ubuntu", "123e4567-e89b-12d3-a456-426614174000", "-SshEndpoint")]
    [InlineData("h", "ssh://host:22", "ubuntu", "123e4567-e89b-12d3-a456-426614174000", "-SshEndpoint")]
    [InlineData("h", "my host:22", "ubuntu", "123e4567-e89b-12d3-a456-426614174000", "-SshEndpoint")]
    [InlineData("h", "192.168.1.100:22", "ubuntu", "my-laptop-key", "-SshKeyId")]
    [InlineData("h", "192.168.1.100:22", "ubuntu", "{123e4567-e89b-12d3-a456-426614174000}", "-SshKeyId")]
    public async Task Import_via_ssh_is_validated_before_sending(string hostname, string endpoint, string username, string sshKeyId, string parameter)
    {
        await using var server = new CannedHttpServer(CannedResponse.Json("""{"node_ids":[],"total":0}""", 201));

        var ex = await Assert.ThrowsAsync<NodeOpsException>(() => Client(server).ImportViaSshAsync(Ssh(hostname, endpoint, username, sshKeyId)));

        Assert.Equal(ErrorKind.InvalidArgument, ex.Kind);
        Assert.StartsWith(parameter, ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, server.RequestCount);
    }

    [Theory]
    [InlineData(-0.01)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public async Task Import_via_ssh_refuses_a_bad_price_before_sending(double price)
    {
        await using var server = new CannedHttpServer(CannedResponse.Json("""{"node_ids":[],"total":0}""", 201));

        var ex = await Assert.ThrowsAsync<NodeOpsException>(() => Client(server).ImportViaSshAsync(Ssh(price: price)));

        Assert.StartsWith("-PricePerHour", ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, server.RequestCount);
    }

    [Theory]
    [InlineData("[2001:db8::1]:22")]
    [InlineData("node-1.example.com:2222")]
    [InlineData("10.0.0.5:65535")]
    public void Accepts_host_and_port_endpoints(string endpoint) => Assert.True(ExalsiusClient.IsHostAndPort(endpoint));

    [Fact]
    public async Task Import_via_ssh_sends_the_key_id_in_canonical_form()
    {
        await using var server = new CannedHttpServer(CannedResponse.Json("""{"node_ids":["n-1"],"total":1}""", 201));

        await Client(server).ImportViaSshAsync(Ssh(sshKeyId: "123E4567-E89B-12D3-A456-426614174000"));

        Assert.Contains("\"ssh_key_id\":\"123e4567-e89b-12d3-a456-426614174000\"", Assert.Single(server.Requests).BodyText, StringComparison.Ordinal);
    }
}
