using System.Diagnostics;
using System.Text;

namespace NodeOps.Bench.Hosting;

/// <summary>The emulator in a child process on loopback: the benchmark process then holds only the client.</summary>
internal sealed class ChildEmulator : BenchEmulator
{
    private readonly Process _process;
    private readonly string _portFile;

    private ChildEmulator(Process process, Uri baseAddress, string portFile)
    {
        _process = process;
        BaseAddress = baseAddress;
        _portFile = portFile;
    }

    public override Uri BaseAddress { get; }

    public override bool SeparateProcess => true;

    public static async Task<ChildEmulator> StartAsync(CancellationToken ct)
    {
        var portFile = Path.Combine(Path.GetTempPath(), $"nodeops-bench-{Environment.ProcessId}-{Guid.NewGuid():N}.url");
        var output = new StringBuilder();
        var process = new Process { StartInfo = ChildProcess.StartInfo([EmulatorChild.Switch, portFile]) };
        process.OutputDataReceived += (_, e) => Keep(output, e.Data);
        process.ErrorDataReceived += (_, e) => Keep(output, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var deadline = Stopwatch.StartNew();
        while (!File.Exists(portFile))
        {
            if (process.HasExited || deadline.Elapsed > TimeSpan.FromSeconds(60))
            {
                Stop(process);
                throw new InvalidOperationException($"The emulator child process did not start (exit code {(process.HasExited ? process.ExitCode : -1)}): {Tail(output)}");
            }

            await Task.Delay(20, ct).ConfigureAwait(false);
        }

        var url = (await File.ReadAllTextAsync(portFile, ct).ConfigureAwait(false)).Trim();
        return new ChildEmulator(process, new Uri(url), portFile);
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync().ConfigureAwait(false);
        Stop(_process);
        _process.Dispose();
        File.Delete(_portFile);
    }

    private static void Stop(Process process)
    {
        if (process.HasExited)
        {
            return;
        }

        try
        {
            process.StandardInput.Close();
        }
        catch (IOException)
        {
        }

        if (!process.WaitForExit(10_000))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(5_000);
        }
    }

    private static void Keep(StringBuilder output, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            if (output.Length < 16_000)
            {
                output.AppendLine(line);
            }
        }
    }

    private static string Tail(StringBuilder output)
    {
        lock (output)
        {
            return output.ToString();
        }
    }
}
