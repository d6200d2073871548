using NodeOps.Engine;
using NodeOps.Engine.Tests.Support;

namespace NodeOps.Reliability.Tests.ServerReplies;

/// <summary>
/// Every reply defect against reads and mutations of all four providers, over real loopback HTTP with
/// exact bytes. Each (call, defect) has one documented outcome:
/// <list type="table">
/// <item>malformed JSON, an HTML page with a success status, an empty body → <see cref="ErrorKind.InvalidResponse"/>;</item>
/// <item>a body cut off mid-transfer → a lost answer: <see cref="ErrorKind.ConnectionFailed"/> after retries, or
/// <see cref="ErrorKind.OutcomeUnknown"/> for a mutation that is never resent;</item>
/// <item>an HTML 502 page → <see cref="ErrorKind.ServerError"/> with status 502 and the page trimmed in RawBody, not a JSON error;</item>
/// <item>a success body over the size limit → InvalidResponse at once, never retried (it would be as large again);</item>
/// <item>an error status with a body over the limit → the error the status names, without the body.</item>
/// </list>
/// Reads and keyed mutations are retried (MaxRetries 3: four attempts), keyed ones always with the same
/// key; a mutation the provider cannot deduplicate is sent exactly once and the error says it may have
/// happened. A mutation whose success reply could not be read says it happened.
/// </summary>
public sealed class DefectiveReplyTests
{
    public static TheoryData<string, ReplyDefect> Cases()
    {
        var data = new TheoryData<string, ReplyDefect>();
        foreach (var scenario in ReplyScenarios.All.Keys)
        {
            foreach (var defect in Enum.GetValues<ReplyDefect>())
            {
                data.Add(scenario, defect);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_defective_reply_has_one_documented_outcome(string scenarioName, ReplyDefect defect)
    {
        var scenario = ReplyScenarios.All[scenarioName];
        await using var server = new CannedHttpServer(ReplyDefects.Reply(defect, ReplyScenarios.SuccessStatus(scenario)));
        var options = TestClients.FastOptions();
        if (ReplyDefects.IsSizeDefect(defect))
        {
            options.MaxResponseBytes = ReplyDefects.SmallLimit;
        }

        var ex = await Assert.ThrowsAnyAsync<NodeOpsException>(() => scenario.Call(TestClients.Create(scenario.Provider, server.BaseUrl, options)));

        var (kind, retried) = Expected(scenario.Resend, defect);
        Assert.Equal(kind, ex.Kind);
        Assert.Equal(retried ? 1 + options.MaxRetries : 1, server.RequestCount);
        Assert.Contains(scenario.Provider.ToString(), ex.Message, StringComparison.Ordinal);
        Assert.Contains($"'{scenario.Target}'", ex.Message, StringComparison.Ordinal);
        AssertSameKeyOnEveryAttempt(scenario, server);
        AssertDefectDetail(defect, ex);
        if (scenario.Resend == Resend.Never && kind == ErrorKind.InvalidResponse)
        {
            // The provider acted (a success status arrived): the user must hear "check first", not "retry".
            Assert.NotNull(ex.RecommendedAction);
        }
    }

    private static (ErrorKind Kind, bool Retried) Expected(Resend resend, ReplyDefect defect)
    {
        var repeatable = resend != Resend.Never;
        return defect switch
        {
            ReplyDefect.MalformedJson or ReplyDefect.HtmlWithSuccessStatus or ReplyDefect.EmptyBody => (ErrorKind.InvalidResponse, repeatable),
            ReplyDefect.TruncatedBody => (repeatable ? ErrorKind.ConnectionFailed : ErrorKind.OutcomeUnknown, repeatable),
            ReplyDefect.HtmlBadGateway or ReplyDefect.TooLargeBadGateway => (ErrorKind.ServerError, repeatable),
            ReplyDefect.TooLarge => (ErrorKind.InvalidResponse, false),
            _ => throw new ArgumentOutOfRangeException(nameof(defect)),
        };
    }

    private static void AssertSameKeyOnEveryAttempt(ReplyScenario scenario, CannedHttpServer server)
    {
        if (scenario.KeyOf is not { } keyOf)
        {
            return;
        }

        var requests = server.Requests.ToList();
        var key = keyOf(requests[0]);
        Assert.False(string.IsNullOrEmpty(key));
        Assert.All(requests, r => Assert.Equal(key, keyOf(r)));
        Assert.All(requests, r => Assert.Equal(requests[0].BodyText, r.BodyText));
    }

    private static void AssertDefectDetail(ReplyDefect defect, NodeOpsException ex)
    {
        switch (defect)
        {
            case ReplyDefect.HtmlBadGateway:
                var api = Assert.IsType<NodeOpsApiException>(ex);
                Assert.Equal(502, api.StatusCode);
                Assert.Null(api.ProviderCode);
                Assert.Contains("502 Bad Gateway", api.RawBody, StringComparison.Ordinal);
                Assert.True(api.RawBody!.Length <= 2049, $"RawBody holds {api.RawBody.Length} characters");
                Assert.DoesNotContain("JSON", ex.Message, StringComparison.Ordinal);
                Assert.DoesNotContain("<html>", ex.Message, StringComparison.Ordinal);
                break;
            case ReplyDefect.TooLargeBadGateway:
                var oversized = Assert.IsType<NodeOpsApiException>(ex);
                Assert.Equal(502, oversized.StatusCode);
                Assert.Null(oversized.RawBody);
                break;
            case ReplyDefect.HtmlWithSuccessStatus:
                Assert.Contains("text/html", ex.Message, StringComparison.Ordinal);
                break;
            case ReplyDefect.EmptyBody:
                Assert.Contains("no body", ex.Message, StringComparison.Ordinal);
                break;
            case ReplyDefect.TooLarge:
                Assert.Contains("limit", ex.Message, StringComparison.Ordinal);
                break;
            case ReplyDefect.MalformedJson:
                Assert.Contains("not the JSON NodeOps expects", ex.Message, StringComparison.Ordinal);
                break;
        }
    }
}
