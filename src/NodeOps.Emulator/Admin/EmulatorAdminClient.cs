using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using NodeOps.Emulator.Faults;
using NodeOps.Emulator.Hosting;

namespace NodeOps.Emulator.Admin;

/// <summary>Typed access to the emulator's admin API (<c>/_emulator/</c>) for tests, the demo and benchmarks.</summary>
public sealed class EmulatorAdminClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly bool _ownsClient;
    private readonly Uri _base;

    /// <param name="baseAddress">The emulator's base address, e.g. <see cref="EmulatorServer.BaseAddress"/>.</param>
    public EmulatorAdminClient(Uri baseAddress)
        : this(new HttpClient { Timeout = TimeSpan.FromSeconds(30) }, baseAddress, ownsClient: true)
    {
    }

    /// <param name="http">A client to send with; it is not disposed by this object.</param>
    /// <param name="baseAddress">The emulator's base address.</param>
    public EmulatorAdminClient(HttpClient http, Uri baseAddress)
        : this(http, baseAddress, ownsClient: false)
    {
    }

    private EmulatorAdminClient(HttpClient http, Uri baseAddress, bool ownsClient)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(baseAddress);
        _http = http;
        _ownsClient = ownsClient;
        _base = new Uri(baseAddress.ToString().TrimEnd('/') + "/_emulator/");
    }

    public async Task<IReadOnlyList<RequestLogEntry>> GetRequestsAsync(string? provider = null, long since = 0, CancellationToken cancellationToken = default)
    {
        var query = "requests?since=" + since.ToString(CultureInfo.InvariantCulture);
        if (!string.IsNullOrEmpty(provider))
        {
            query += "&provider=" + Uri.EscapeDataString(provider);
        }

        return await GetAsync<List<RequestLogEntry>>(query, cancellationToken).ConfigureAwait(false);
    }

    public Task ClearRequestsAsync(CancellationToken cancellationToken = default)
        => SendAndForgetAsync(HttpMethod.Delete, "requests", null, cancellationToken);

    public Task<EmulatorCounts> GetCountsAsync(CancellationToken cancellationToken = default)
        => GetAsync<EmulatorCounts>("counts", cancellationToken);

    /// <summary>Reseeds all data and clears logs, counts and faults. Settings are kept.</summary>
    public Task ResetAsync(ResetRequest? request = null, CancellationToken cancellationToken = default)
        => SendAndForgetAsync(HttpMethod.Post, "reset", request, cancellationToken);

    public Task<EmulatorSettings> GetSettingsAsync(CancellationToken cancellationToken = default)
        => GetAsync<EmulatorSettings>("settings", cancellationToken);

    public async Task<EmulatorSettings> UpdateSettingsAsync(EmulatorSettingsUpdate update, CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(HttpMethod.Put, "settings", update, cancellationToken).ConfigureAwait(false);
        return await ReadAsync<EmulatorSettings>(response, cancellationToken).ConfigureAwait(false);
    }

    /// <param name="provider">A provider name (voltagepark, exalsius, together, sfcompute).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public Task<ProviderFaultState> GetFaultsAsync(string provider, CancellationToken cancellationToken = default)
        => GetAsync<ProviderFaultState>("faults/" + Uri.EscapeDataString(provider), cancellationToken);

    /// <param name="provider">A provider name, or <c>*</c> for all.</param>
    /// <param name="settings">Random fault settings; replaces the current ones.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public Task SetFaultsAsync(string provider, RandomFaultSettings settings, CancellationToken cancellationToken = default)
        => SendAndForgetAsync(HttpMethod.Put, "faults/" + Uri.EscapeDataString(provider), settings, cancellationToken);

    /// <summary>Appends scripted faults, applied to the next matching requests before any random fault.</summary>
    public Task AddScriptedFaultsAsync(string provider, params ScriptedFault[] faults)
        => AddScriptedFaultsAsync(provider, faults, CancellationToken.None);

    public Task AddScriptedFaultsAsync(string provider, IEnumerable<ScriptedFault> faults, CancellationToken cancellationToken)
        => SendAndForgetAsync(HttpMethod.Post, "faults/" + Uri.EscapeDataString(provider) + "/script", faults.ToList(), cancellationToken);

    /// <summary>Clears random settings and the scripted queue of a provider (or <c>*</c>).</summary>
    public Task ClearFaultsAsync(string provider, CancellationToken cancellationToken = default)
        => SendAndForgetAsync(HttpMethod.Delete, "faults/" + Uri.EscapeDataString(provider), null, cancellationToken);

    /// <summary>Adds a node with an exact id and raw status; returns it in the provider's wire format.</summary>
    public async Task<JsonElement> AddNodeAsync(string provider, AdminNodeRequest node, CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(HttpMethod.Post, Uri.EscapeDataString(provider) + "/nodes", node, cancellationToken).ConfigureAwait(false);
        return await ReadAsync<JsonElement>(response, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Adds a system-created Together remediation (default: automated, PENDING_APPROVAL); returns it (snake_case).</summary>
    public async Task<JsonElement> AddTogetherRemediationAsync(AdminRemediationRequest request, CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(HttpMethod.Post, "together/remediations", request, cancellationToken).ConfigureAwait(false);
        return await ReadAsync<JsonElement>(response, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Adds terminal-state history remediations to a Together cluster; returns the cluster's new total.</summary>
    public async Task<int> AddTogetherHistoryAsync(string clusterId, int count, CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(HttpMethod.Post, "together/remediations/bulk", new BulkRemediationsRequest { ClusterId = clusterId, Count = count }, cancellationToken).ConfigureAwait(false);
        var body = await ReadAsync<JsonElement>(response, cancellationToken).ConfigureAwait(false);
        return body.GetProperty("total").GetInt32();
    }

    public void Dispose()
    {
        if (_ownsClient)
        {
            _http.Dispose();
        }
    }

    private async Task<T> GetAsync<T>(string relative, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Get, relative, null, cancellationToken).ConfigureAwait(false);
        return await ReadAsync<T>(response, cancellationToken).ConfigureAwait(false);
    }

    private async Task SendAndForgetAsync(HttpMethod method, string relative, object? body, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(method, relative, body, cancellationToken).ConfigureAwait(false);
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string relative, object? body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, new Uri(_base, relative));
        if (body is not null)
        {
            request.Content = JsonContent.Create(body, body.GetType(), options: WireJson.Admin);
        }

        var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            var status = response.StatusCode;
            response.Dispose();
            throw new HttpRequestException($"Emulator admin call {method} {relative} failed with {(int)status}: {text}", null, status);
        }

        return response;
    }

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response, CancellationToken cancellationToken)
        => (await response.Content.ReadFromJsonAsync<T>(WireJson.Admin, cancellationToken).ConfigureAwait(false))!;
}
