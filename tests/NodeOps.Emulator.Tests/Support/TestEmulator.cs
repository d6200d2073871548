using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using NodeOps.Emulator.Admin;

namespace NodeOps.Emulator.Tests.Support;

/// <summary>One emulator on a free loopback port with short step times, plus an authenticated client.</summary>
internal sealed class TestEmulator : IAsyncDisposable
{
    public const string Token = "test-token";

    private TestEmulator(EmulatorServer server)
    {
        Server = server;
        Http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(1) })
        {
            BaseAddress = server.BaseAddress,
            Timeout = TimeSpan.FromSeconds(20),
        };
        Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        Admin = new EmulatorAdminClient(server.BaseAddress);
    }

    public EmulatorServer Server { get; }

    public HttpClient Http { get; }

    public EmulatorAdminClient Admin { get; }

    public static async Task<TestEmulator> StartAsync(Action<EmulatorOptions>? configure = null)
    {
        var options = new EmulatorOptions
        {
            Urls = "http://127.0.0.1:0",
            TogetherStepMs = 150,
            SfVmBootMs = 150,
            ExalsiusDiscoveryMs = 150,
            VpRemediationStepMs = 150,
        };
        configure?.Invoke(options);
        return new TestEmulator(await EmulatorServer.StartAsync(options));
    }

    /// <summary>
    /// An absolute URI that reaches the wire exactly as written. System.Uri would otherwise unescape %2E and
    /// drop the resulting dot segments, so ids such as ".." could never be sent.
    /// </summary>
    public Uri Url(string relative)
        => new(Server.BaseAddress + relative.TrimStart('/'), new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = true });

    public Task<HttpResponseMessage> GetAsync(string relative) => Http.GetAsync(Url(relative));

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string relative, string? json = null, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(method, Url(relative));
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return await Http.SendAsync(request);
    }

    public async Task<JsonElement> GetJsonAsync(string relative, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var response = await GetAsync(relative);
        return await ExpectJsonAsync(response, expected);
    }

    public async Task<JsonElement> SendJsonAsync(HttpMethod method, string relative, string? json, HttpStatusCode expected, params (string Name, string Value)[] headers)
    {
        using var response = await SendAsync(method, relative, json, headers);
        return await ExpectJsonAsync(response, expected);
    }

    public static async Task<JsonElement> ExpectJsonAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"Expected {(int)expected} but got {(int)response.StatusCode}: {text}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        Admin.Dispose();
        await Server.DisposeAsync();
    }
}
