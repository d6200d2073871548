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
