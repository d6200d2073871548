using NodeOps.Bench;
using NodeOps.Bench.Hosting;
using NodeOps.Bench.Results;
using NodeOps.Bench.Scenarios;

// The child modes come first: a cold-start child must do nothing but its one call.
if (args is [ColdStartChild.Switch, var endpoint])
{
    return await ColdStartChild.RunAsync(endpoint);
}

if (args is [EmulatorChild.Switch, var portFile])
{
    return await EmulatorChild.RunAsync(portFile);
}

BenchOptions options;
try
{
    if (args.Contains("--help") || args.Contains("-h"))
    {
        Console.WriteLine(BenchOptions.Usage);
        return 0;
    }

    options = BenchOptions.Parse(args);
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine(ex.Message);
    return 2;
}

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

var report = await BenchRunner.RunAsync(options, Console.Error, cancel.Token);
Console.WriteLine();
Console.WriteLine($"Machine: {report.Machine}");
Console.WriteLine(ResultTable.Format(report.Results));
foreach (var line in report.JsonLines)
{
    Console.WriteLine(line);
}

if (options.JsonPath is { } path)
{
    await File.WriteAllLinesAsync(path, report.JsonLines, cancel.Token);
}

return 0;
