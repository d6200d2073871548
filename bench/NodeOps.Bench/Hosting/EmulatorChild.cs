using NodeOps.Emulator;

namespace NodeOps.Bench.Hosting;

/// <summary>
/// The child process side of <see cref="ChildEmulator"/>: runs the emulator until the parent closes this
/// process's standard input (which also happens when the parent dies, so no emulator is left behind).
/// </summary>
internal static class EmulatorChild
{
    public const string Switch = "--emulator-child";

    public static EmulatorOptions Options(string? portFile) => new()
    {
        Urls = "http://127.0.0.1:0",
        Token = BenchEmulator.Token,
        PortFile = portFile,
        TogetherStepMs = 200,
        SfVmBootMs = 200,
        ExalsiusDiscoveryMs = 200,
        VpRemediationStepMs = 200,
    };

    public static async Task<int> RunAsync(string portFile)
    {
        await using var server = await EmulatorServer.StartAsync(Options(portFile)).ConfigureAwait(false);
        await Task.Run(() =>
        {
            while (Console.In.ReadLine() is not null)
            {
            }
        }).ConfigureAwait(false);
        return 0;
    }
}
