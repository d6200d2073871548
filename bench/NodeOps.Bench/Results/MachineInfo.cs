using System.Runtime.InteropServices;

namespace NodeOps.Bench.Results;

/// <summary>Where the figures were taken: they mean little without it.</summary>
public sealed record MachineInfo(int Cores, string Cpu, string Runtime, string Os, string Gc)
{
    public static MachineInfo Current()
    {
        var gc = System.Runtime.GCSettings.IsServerGC ? "server" : "workstation";
        if (System.Runtime.GCSettings.LatencyMode != System.Runtime.GCLatencyMode.Batch)
        {
            gc += ", concurrent";
        }

        return new MachineInfo(Environment.ProcessorCount, CpuModel(), RuntimeInformation.FrameworkDescription, RuntimeInformation.OSDescription, gc);
    }

    public override string ToString() => $"{Cores} cores, {Cpu}, {Runtime}, {Os}, {Gc} GC";

    /// <summary>
    /// The 1-minute load average (Linux), or null elsewhere. Figures taken while other processes compete for
    /// the cores (load above the core count) are not comparable with quiet ones, so the benchmark prints it.
    /// </summary>
    public static double? LoadAverage()
    {
        try
        {
            if (File.Exists("/proc/loadavg") && File.ReadAllText("/proc/loadavg").Split(' ') is [var first, ..]
                && double.TryParse(first, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var load))
            {
                return load;
            }
        }
        catch (IOException)
        {
        }

        return null;
    }

    private static string CpuModel()
    {
        try
        {
            if (File.Exists("/proc/cpuinfo"))
            {
                foreach (var line in File.ReadLines("/proc/cpuinfo"))
                {
                    if (line.StartsWith("model name", StringComparison.Ordinal) && line.IndexOf(':', StringComparison.Ordinal) is var colon and > 0)
                    {
                        return line[(colon + 1)..].Trim();
                    }
                }
            }
        }
        catch (IOException)
        {
        }

        return RuntimeInformation.ProcessArchitecture.ToString();
    }
}
