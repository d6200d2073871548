using NodeOps.Emulator;
using NodeOps.Emulator.Admin;

namespace NodeOps.Engine.Tests.Support;

/// <summary>
/// Starts the emulator in-process on a free 127.0.0.1 port with short state-machine steps. Use it as an
/// xunit class fixture: each test class gets its own emulator, so classes run in parallel without
/// seeing each other's faults or remediations.
/// </summary>
public class EmulatorFixture : IAsyncLifetime
{
    private EmulatorServer? _server;

    public EmulatorServer Server => _server ?? throw new InvalidOperationException("The emulator has not started.");

    public EmulatorAdminClient Admin { get; private set; } = null!;

    /// <summary>Override to change sizes or timings.</summary>
    protected virtual EmulatorOptions CreateOptions() => new()
    {
        Urls = "http://127.0.0.1:0",
        Token = TestClients.Token,
        TogetherStepMs = 200,
        SfVmBootMs = 200,
        ExalsiusDiscoveryMs = 200,
        VpRemediationStepMs = 200,
    };

    public async Task InitializeAsync()
    {
        _server = await EmulatorServer.StartAsync(CreateOptions());
        Admin = new EmulatorAdminClient(_server.BaseAddress);
    }

    public async Task DisposeAsync()
    {
        Admin?.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    public static string Prefix(CloudProvider provider) => provider switch
    {
        CloudProvider.VoltagePark => "voltagepark",
        CloudProvider.Exalsius => "exalsius",
        CloudProvider.Together => "together",
        CloudProvider.SFCompute => "sfcompute",
        _ => throw new ArgumentOutOfRangeException(nameof(provider)),
    };

    public Uri BaseUrl(CloudProvider provider) => Server.ProviderBaseUrl(Prefix(provider));

    /// <summary>The sequence number of the provider's newest logged request (0 when none): pass it as <c>since</c> to see only what follows.</summary>
    public async Task<long> LastRequestSeqAsync(string provider) =>
        (await Admin.GetRequestsAsync(provider)).Select(e => e.Seq).DefaultIfEmpty(0).Max();

    public NodeOpsClient Client(CloudProvider provider, NodeOpsClientOptions? options = null, string token = TestClients.Token) =>
        TestClients.Create(provider, BaseUrl(provider), options, token);
}
