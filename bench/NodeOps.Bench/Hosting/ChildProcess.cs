using System.Diagnostics;

namespace NodeOps.Bench.Hosting;

/// <summary>Starts this benchmark's own assembly again in a fresh process (the emulator host, the cold-start probe).</summary>
internal static class ChildProcess
{
    /// <param name="arguments">The child's command line.</param>
    /// <param name="fromFolder">Another build of this benchmark to start instead (its NodeOps.Bench.dll).</param>
    public static ProcessStartInfo StartInfo(IEnumerable<string> arguments, string? fromFolder = null)
    {
        var assembly = fromFolder is null
            ? typeof(ChildProcess).Assembly.Location
            : Path.Combine(fromFolder, Path.GetFileName(typeof(ChildProcess).Assembly.Location));
        var self = Environment.ProcessPath;
        ProcessStartInfo info;
        if (fromFolder is null && self is not null && Path.GetFileNameWithoutExtension(self).Equals(Path.GetFileNameWithoutExtension(assembly), StringComparison.OrdinalIgnoreCase))
        {
            // Started through the apphost: start the child the same way.
            info = new ProcessStartInfo(self);
        }
        else
        {
            info = new ProcessStartInfo(DotnetHost());
            info.ArgumentList.Add(assembly);
        }

        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.UseShellExecute = false;
        info.RedirectStandardInput = true;
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        info.WorkingDirectory = Path.GetDirectoryName(assembly) ?? AppContext.BaseDirectory;
        return info;
    }

    /// <summary>The muxer that runs this process (dotnet test, dotnet run), else the one on PATH.</summary>
    private static string DotnetHost()
    {
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } hostPath && File.Exists(hostPath))
        {
            return hostPath;
        }

        if (Environment.ProcessPath is { } path && Path.GetFileNameWithoutExtension(path).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
        {
            return path;
        }

        return "dotnet";
    }
}
