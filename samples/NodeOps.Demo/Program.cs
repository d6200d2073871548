using NodeOps.Demo;

// The demo pipeline of `pwsh ./build.ps1 -Demo`, through the engine the cmdlets use, for machines
// without PowerShell: starts the emulator in-process, then lists, plans, remediates and approves.
using var cts = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cts.Cancel();
};

try
{
    await DemoRunner.RunAsync(Console.Out, cts.Token);
    return 0;
}
catch (OperationCanceledException)
{
    Console.Error.WriteLine("Stopped.");
    return 130;
}
