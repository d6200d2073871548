using System.Text;
using NodeOps.Engine.Tests.Support;

namespace NodeOps.Reliability.Tests.Secrets;

/// <summary>
/// Every engine operation, run with a known token, while everything a user could see is captured: the
/// token must appear nowhere, in no encoding. Three servers: one that accepts the token, one that refuses
/// it (401 on every call), and a hostile one that echoes the token back in error bodies, HTML pages,
/// corrupt JSON and headers.
/// </summary>
public sealed class TokenLeakTests(SecretsEmulator emulator) : IClassFixture<SecretsEmulator>
{
    public static TheoryData<string> Tokens => new() { SecretForms.Jwt, SecretForms.Opaque };

    [Fact]
    public async Task No_operation_against_a_server_that_accepts_the_token_shows_it()
    {
        using var capture = new LeakCapture();
        foreach (var provider in Enum.GetValues<CloudProvider>())
        {
            var client = ResolveThroughEnvironment(capture, provider, emulator.BaseUrl(provider), SecretForms.Jwt);
            foreach (var operation in EngineOperation.All.Where(o => o.Provider == provider))
            {
                await capture.RunAsync(operation, client);
            }
        }

        // The token worked: most calls succeeded, and the capture holds real traffic and bodies.
        var text = capture.Text;
        Assert.True(capture.Results >= EngineOperation.All.Count * 3 / 4, $"Only {capture.Results} of {EngineOperation.All.Count} operations succeeded:\n{text}");
        Assert.Contains("-> 200", text, StringComparison.Ordinal);
        Assert.Contains("response body:", text, StringComparison.Ordinal);
        AssertNoLeak(text, SecretForms.Jwt);
    }

    [Theory]
    [MemberData(nameof(Tokens))]
    public async Task No_operation_refused_with_401_shows_the_token(string token)
    {
        using var capture = new LeakCapture();
        foreach (var provider in Enum.GetValues<CloudProvider>())
        {
            // The emulator accepts only the JWT: the opaque token is refused, and so is the JWT with a suffix.
            var sent = token == SecretForms.Jwt ? token + "x" : token;
            var client = ResolveThroughEnvironment(capture, provider, emulator.BaseUrl(provider), sent);
            foreach (var operation in EngineOperation.All.Where(o => o.Provider == provider))
            {
                await capture.RunAsync(operation, client);
            }

            AssertNoLeak(capture.Text, sent);
        }

        Assert.Equal(EngineOperation.All.Count, capture.Errors);
        Assert.Contains("AuthenticationFailed", capture.Text, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Tokens))]
    public async Task No_operation_shows_the_token_when_a_hostile_server_echoes_it_back(string token)
    {
        await using var server = new CannedHttpServer(Echo);
        using var capture = new LeakCapture();
        foreach (var provider in Enum.GetValues<CloudProvider>())
        {
            var client = ResolveThroughEnvironment(capture, provider, server.BaseUrl, token);
            foreach (var operation in EngineOperation.All.Where(o => o.Provider == provider))
            {
                await capture.RunAsync(operation, client);
            }
        }

        // The server did receive the token, and sent it back in every form.
        Assert.All(server.Requests, r => Assert.Equal("Bearer " + token, r.Header("authorization")));
        Assert.True(server.RequestCount >= EngineOperation.All.Count, $"{server.RequestCount} requests");
        var text = capture.Text;
        Assert.Contains("request id", text, StringComparison.Ordinal);
        AssertNoLeak(text, token);
    }

    /// <summary>
    /// A hostile server whose replies are well-formed JSON of the shape each provider reads, but whose values
    /// cannot be mapped: times that are no times, timestamps out of range, a required field missing. The token
    /// is in the ids and times that the mapping errors quote. One server answers every request so; the other
    /// answers the listings that lead to a node or cluster plainly, so operations reach the reads of one node,
    /// cluster, fleet or remediation.
    /// </summary>
    [Theory]
    [MemberData(nameof(Tokens))]
    public async Task No_operation_shows_the_token_when_a_hostile_server_echoes_it_into_values_that_cannot_be_mapped(string token)
    {
        await using var everywhere = new CannedHttpServer((r, _) => Unmappable(r));
        await using var beyondListings = new CannedHttpServer((r, _) => LeadsToAnItem(r) ? CannedResponse.Json(PlainListing) : Unmappable(r));
        using var capture = new LeakCapture();
        foreach (var server in new[] { everywhere, beyondListings })
        {
            foreach (var provider in Enum.GetValues<CloudProvider>())
            {
                var client = ResolveThroughEnvironment(capture, provider, server.BaseUrl, token);
                foreach (var operation in EngineOperation.All.Where(o => o.Provider == provider))
                {
                    await capture.RunAsync(operation, client);
                }
            }
        }

        // The replies reached the mapping (not just the parser), in each of its ways to fail.
        var text = capture.Text;
        Assert.Contains("is not an RFC 3339 time", text, StringComparison.Ordinal);
        Assert.Contains("is out of range", text, StringComparison.Ordinal);
        Assert.Contains("is missing the required field 'nodeName'", text, StringComparison.Ordinal);
        AssertNoLeak(text, token);
    }

    /// <summary>
    /// Voltage Park's <c>rejectionCause</c> is free text that NodeOps shows twice: as the remediation's Error and
    /// in the error naming the node. A server that writes the token into it must not get it shown.
    /// </summary>
    [Theory]
    [MemberData(nameof(Tokens))]
    public async Task A_rejection_cause_that_quotes_the_token_is_shown_redacted(string token)
    {
        await using var server = new CannedHttpServer((r, _) => CannedResponse.Json(
            $$"""[{"nodeId":"g0386","remediateStatus":"rejected","rejectionCause":"{{System.Text.Json.JsonEncodedText.Encode(string.Join(" ", SecretForms.Of(token).Select(f => f.Text)))}} is not allowed"}]"""));
        using var capture = new LeakCapture();
        var client = ResolveThroughEnvironment(capture, CloudProvider.VoltagePark, server.BaseUrl, token);

        var outcome = await client.RemediateAsync([new RemediationTarget("g0386", "fleet-1")], new RemediationSettings { Reason = "leak check", Cause = "LEAK_CHECK" }).SingleAsync();

        Assert.Equal(RemediationState.Rejected, outcome.Remediation?.State);
        var error = Assert.IsType<NodeOpsException>(outcome.Error);
        var report = ErrorReport.From(error, outcome.Target);
        var text = string.Join("\n", capture.Text, outcome.Remediation?.Error, report.Message, report.RecommendedAction, error.ToString());
        Assert.Contains("is not allowed", outcome.Remediation?.Error, StringComparison.Ordinal);
        Assert.Contains("is not allowed", report.Message, StringComparison.Ordinal);
        AssertNoLeak(text, token);
    }

    /// <summary>
    /// Reply values NodeOps uses after the reply was read: ids that become the next request's path (a fleet's,
    /// a Together cluster's listed without its workers), unusable there because of a control character, and
    /// the Exalsius node state an error message names after a refused delete.
    /// </summary>
    [Theory]
    [MemberData(nameof(Tokens))]
    public async Task Reply_values_reused_after_the_read_are_shown_redacted(string token)
    {
        var t = System.Text.Json.JsonEncodedText.Encode(token + "\n").ToString();
        await using var server = new CannedHttpServer((r, _) => (r.Method, r.Target.Split('?')[0]) switch
        {
            ("GET", "/v1/fleets") => CannedResponse.Json($$"""{"fleets":[{"fleetId":"{{t}}","status":"ACTIVE"}]}"""),
            ("GET", "/v1/compute/clusters") => CannedResponse.Json($$"""{"clusters":[{"cluster_id":"{{t}}","cluster_name":"c"}]}"""),
            ("DELETE", _) => CannedResponse.Json("""{"type":"conflict","title":"Conflict","status":409,"detail":"not removable","instance":"/node/n-1"}""", 409),
            _ => CannedResponse.Json($$"""{"id":"n-1","node_status":"{{t}}"}"""),
        });
        using var capture = new LeakCapture();
        foreach (var (provider, operation) in new (CloudProvider, Func<NodeOpsClient, CancellationToken, Task<object?>>)[]
        {
            (CloudProvider.VoltagePark, async (c, ct) => await c.GetNodesAsync(new NodeQuery(), ct).ToListAsync(ct)),
            (CloudProvider.Together, async (c, ct) => await c.GetNodesAsync(new NodeQuery(), ct).ToListAsync(ct)),
            (CloudProvider.Exalsius, async (c, ct) =>
            {
                await c.RemoveNodeAsync("n-1", ct);
                return null;
            }),
        })
        {
            var client = ResolveThroughEnvironment(capture, provider, server.BaseUrl, token);
            await capture.RunAsync(new EngineOperation(provider, "reuse", operation), client);
        }

        var text = capture.Text;
        Assert.Equal(3, capture.Errors);
        AssertNoLeak(text, token);
        Assert.Contains("its 'fleetId' cannot be used in a request path", text, StringComparison.Ordinal);
        Assert.Contains("its 'cluster_id' cannot be used in a request path", text, StringComparison.Ordinal);
        Assert.Contains("its current state is", text, StringComparison.Ordinal);
    }

    /// <summary>
    /// Every provider's keys at once (Together and Exalsius snake_case, Voltage Park camelCase): lists whose
    /// first entry cannot be mapped, and top-level fields for the replies that are one object. The top-level
    /// <c>cluster_id</c> stays plain: Exalsius's cluster-nodes reply maps it unchecked, into a result rather than
    /// an error. SF Compute's one-node replies fail to parse (<c>created_at</c> is Together's text here); its
    /// listing reaches the mapping.
    /// </summary>
    private static CannedResponse Unmappable(CannedRequest request)
    {
        var authorization = request.Header("authorization") ?? string.Empty;
        var t = System.Text.Json.JsonEncodedText.Encode(authorization["Bearer ".Length..]).ToString();
        var time = $"not-a-time {t}";
        return CannedResponse.Json($$"""
            {"id":"{{t}}","cluster_id":"c-unmappable","nodeName":"{{t}}","fleetId":"{{t}}",
             "created_at":"{{time}}","create_time":"{{time}}","import_time":"{{time}}","last_heartbeat_date":"{{time}}","createdAt":-1,
             "gpu_worker_nodes":[{"instance_id":"{{t}}","deleted_at":"{{time}}"}],
             "nodeHealth":[{"nodeId":"{{t}}","status":"unhealthy","lastUpdatedAt":-1}],
             "clusters":[{"id":"{{t}}","cluster_id":"{{t}}","created_at":"{{time}}"}],
             "nodes":[{"id":"{{t}}","import_time":"{{time}}","last_heartbeat_date":"{{time}}"}],
             "fleets":[{"fleetId":"{{t}}","createdAt":-1}],
             "data":[{"id":"{{t}}","created_at":-1}],
             "remediations":[{"id":"{{t}}","instance_id":"{{t}}","create_time":"{{time}}"}],"has_next":false}
            """);
    }

    /// <summary>The listings of every provider with one plain node and cluster (fleet) each.</summary>
    private const string PlainListing = """
        {"nodes":[{"id":"n1","node_status":"AVAILABLE","nodeName":"n1","state":"READY"}],
         "clusters":[{"id":"c1","cluster_id":"c1","gpu_worker_nodes":[{"instance_id":"i1"}]}],
         "fleets":[{"fleetId":"f1","status":"ACTIVE"}],
         "data":[{"id":"s1","status":"running"}]}
        """;

    /// <summary>The listings operations walk to find a node or cluster: <c>/v1/nodes</c>, <c>/v1/fleets/f1/nodes</c> and the like.</summary>
    private static bool LeadsToAnItem(CannedRequest request)
    {
        var path = request.Target.Split('?')[0];
        return path is "/v1/nodes" or "/v1/clusters" or "/v1/fleets" or "/v1/compute/clusters"
            || (path.StartsWith("/v1/fleets/", StringComparison.Ordinal) && path.EndsWith("/nodes", StringComparison.Ordinal) && path.Count(c => c == '/') == 4);
    }

    private static void AssertNoLeak(string text, string token)
    {
        var found = SecretForms.FindIn(text, token).ToList();
        Assert.True(found.Count == 0, "The token shows:\n" + string.Join("\n", found));
    }

    /// <summary>Credentials as a runbook gets them (environment variables), with the explanation the debug stream shows.</summary>
    private static NodeOpsClient ResolveThroughEnvironment(LeakCapture capture, CloudProvider provider, Uri endpoint, string token)
    {
        var options = TestClients.FastOptions(capture.Bridge);
        options.MaxRetries = 1;
        options.PollInterval = TimeSpan.FromMilliseconds(100);
        var variable = CredentialResolver.TokenVariables(provider)[0];
        var pool = new ClientPool(new CredentialResolver(new ConnectionStore(), name => name == variable ? token : null), options);
        var resolved = pool.Get(new CredentialRequest { Provider = provider, Endpoint = endpoint });
        capture.Append(resolved.Explanation);
        capture.Append(resolved.Client.Connection.ToString() ?? string.Empty);
        capture.Append(resolved.Client.Connection.Credential.ToString());
        return resolved.Client;
    }

    /// <summary>Answers in turn with the five ways a careless server might hand a token back.</summary>
    private static CannedResponse Echo(CannedRequest request, int index)
    {
        var authorization = request.Header("authorization") ?? string.Empty;
        var token = authorization.StartsWith("Bearer ", StringComparison.Ordinal) ? authorization["Bearer ".Length..] : authorization;
        var forms = string.Join(" ", SecretForms.Of(token).Select(f => f.Text));
        var json = System.Text.Json.JsonEncodedText.Encode(forms).ToString();
        var response = (index % 5) switch
        {
            0 => CannedResponse.Json($$"""
                {"error":"token {{json}} is not valid here","code":"UNAUTHENTICATED {{json}}","message":"Authorization: {{json}}",
                 "detail":{"type":"about:blank","title":"Unauthorized","status":401,"detail":"{{json}}","instance":"/x"},
                 "details":{"authorization":"{{System.Text.Json.JsonEncodedText.Encode(authorization)}}","access_token":"{{json}}"} }
                """, 401),
            1 => CannedResponse.Text($"<html><body><h1>502 Bad Gateway</h1><p>upstream rejected {authorization} ({forms})</p></body></html>", "text/html", 502),
            2 => CannedResponse.Json($$"""{"nodes":[{"id":"{{json}}","note":"{{json}}""", 200),
            3 => CannedResponse.Json($$"""{"{{json}}":[1,2,{"{{System.Text.Json.JsonEncodedText.Encode(token)}}":tru""", 200),
            _ => new CannedResponse
            {
                Status = 429,
                Body = Encoding.UTF8.GetBytes($$"""{"error":{"type":"rate_limit {{json}}","message":"slow down, {{json}}"} }"""),
                Headers = { ["Retry-After"] = "0" },
            },
        };
        response.Headers["x-request-id"] = token;
        response.Headers["WWW-Authenticate"] = $"Bearer error=\"invalid_token\", token=\"{token}\"";
        return response;
    }
}
