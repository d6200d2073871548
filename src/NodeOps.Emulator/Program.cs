using System.Runtime.InteropServices;
using NodeOps.Emulator;

EmulatorOptions options;
try
{
    options = EmulatorOptions.Parse(args);
}
catch (ArgumentException e)
{
    await Console.Error.WriteLineAsync(e.Message);
    await Console.Error.WriteLineAsync(EmulatorOptions.Usage);
    return 2;
}

if (options.ShowHelp)
{
    Console.WriteLine(EmulatorOptions.Usage);
    return 0;
}

var stop = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.TrySetResult();
};
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
{
    context.Cancel = true;
    stop.TrySetResult();
});

EmulatorServer server;
try
{
    server = await EmulatorServer.StartAsync(options);
}
catch (Exception e) when (e is ArgumentException or IOException)
{
    await Console.Error.WriteLineAsync("Cannot start the emulator: " + e.Message);
    return 1;
}

await using (server)
{
    foreach (var name in EmulatorServer.ProviderNames)
    {
        Console.WriteLine($"{name}: {server.ProviderBaseUrl(name)}");
    }

    Console.WriteLine($"admin: {new Uri(server.BaseAddress, "_emulator/")}");
    await stop.Task;
    await server.StopAsync();
}

return 0;
