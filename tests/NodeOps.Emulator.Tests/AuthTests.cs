using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using NodeOps.Emulator.Tests.Support;

namespace NodeOps.Emulator.Tests;

public sealed class AuthTests
{
    public static readonly TheoryData<string, string> ProviderPaths = new()
    {
        { "voltagepark", "voltagepark/v1/fleets" },
        { "exalsius", "exalsius/v1/nodes" },
        { "together", "together/v1/compute/clusters" },
        { "together-remediation", "together/v1/compute/clusters/c/instances/-/remediations" },
        { "sfcompute", "sfcompute/v1/nodes" },
    };

    [Theory]
    [MemberData(nameof(ProviderPaths))]
    public async Task MissingOrMalformedBearerTokenGets401InTheProviderShape(string provider, string path)
    {
        await using var emu = await TestEmulator.StartAsync();
        using var anonymous = new HttpClient();
        foreach (var header in new AuthenticationHeaderValue?[] { null, new("Basic", "dXNlcjpwdw=="), new("Bearer", " ") })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, emu.Url(path));
            request.Headers.Authorization = header;
            using var response = await anonymous.SendAsync(request);
            var body = await TestEmulator.ExpectJsonAsync(response, HttpStatusCode.Unauthorized);
            AssertProviderErrorShape(provider.Split('-')[0], body, 401, provider.EndsWith("remediation", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task AConfiguredTokenIsTheOnlyOneAccepted()
    {
        await using var emu = await TestEmulator.StartAsync(o => o.Token = TestEmulator.Token);
        using (var ok = await emu.GetAsync("sfcompute/v1/nodes"))
        {
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }

        using var other = new HttpClient();
        other.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "someone-else");
        using var denied = await other.GetAsync(emu.Url("sfcompute/v1/nodes"));
        Assert.Equal(HttpStatusCode.Unauthorized, denied.StatusCode);
    }

    [Fact]
    public async Task WithoutAConfiguredTokenAnyNonEmptyTokenIsAccepted()
    {
        await using var emu = await TestEmulator.StartAsync();
        using var other = new HttpClient();
        other.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "anything-goes");
        using var response = await other.GetAsync(emu.Url("voltagepark/v1/fleets"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task TheAdminApiNeedsNoToken()
    {
        await using var emu = await TestEmulator.StartAsync(o => o.Token = "secret");
        using var anonymous = new HttpClient();
        using var response = await anonymous.GetAsync(emu.Url("_emulator/counts"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    /// <summary>The documented error body of each provider.</summary>
    internal static void AssertProviderErrorShape(string provider, JsonElement body, int status, bool remediationPath)
    {
        switch (provider)
        {
            case "voltagepark":
                Assert.False(string.IsNullOrEmpty(body.Str("error")));
                Assert.False(string.IsNullOrEmpty(body.Str("code")));
                Assert.True(body.GetProperty("timestamp").GetInt64() > 1_600_000_000_000, "timestamp must be epoch milliseconds");
                break;
            case "exalsius":
                var detail = body.GetProperty("detail");
                Assert.StartsWith("https://api.exalsius.ai/errors/", detail.Str("type"), StringComparison.Ordinal);
                Assert.False(string.IsNullOrEmpty(detail.Str("title")));
                Assert.Equal(status, detail.GetProperty("status").GetInt32());
                Assert.False(string.IsNullOrEmpty(detail.Str("detail")));
                Assert.True(detail.Has("instance"));
                break;
            case "together" when remediationPath:
                Assert.True(body.GetProperty("code").GetInt32() > 0);
                Assert.False(string.IsNullOrEmpty(body.Str("message")));
                Assert.Equal(JsonValueKind.Array, body.GetProperty("details").ValueKind);
                break;
            case "together":
                var error = body.GetProperty("error");
                Assert.False(string.IsNullOrEmpty(error.Str("message")));
                Assert.False(string.IsNullOrEmpty(error.Str("type")));
                break;
            case "sfcompute":
                var sf = body.GetProperty("error");
                Assert.False(string.IsNullOrEmpty(sf.Str("type")));
                Assert.False(string.IsNullOrEmpty(sf.Str("message")));
                Assert.Equal(JsonValueKind.Array, sf.GetProperty("details").ValueKind);
                break;
            default:
                Assert.Fail("unknown provider " + provider);
                break;
        }
    }
}
