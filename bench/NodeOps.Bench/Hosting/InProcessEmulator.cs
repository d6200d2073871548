using NodeOps.Emulator;

namespace NodeOps.Bench.Hosting;

/// <summary>The emulator on a loopback port inside this process: its work and allocations mix with the client's.</summary>
internal sealed class InProcessEmulator : BenchEmulator
{
    private readonly EmulatorServer _server;

    private InProcessEmulator(EmulatorServer server)
    {
        _server = server;
    }

    public override Uri BaseAddress => _server.BaseAddress;

    public override bool SeparateProcess => false;

    public static async Task<InProcessEmulator> StartAsync(CancellationToken ct) =>
        new(await EmulatorServer.StartAsync(EmulatorChild.Options(null), ct).ConfigureAwait(false));

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync().ConfigureAwait(false);
        await _server.DisposeAsync().ConfigureAwait(false);
    }
}
