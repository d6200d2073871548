using System.Diagnostics;
using System.Globalization;

namespace NodeOps.Pester.Tests;

/// <summary>Emulators the suite started (it runs `dotnet &lt;path&gt;/NodeOps.Emulator.dll` from pwsh).</summary>
internal static class EmulatorProcesses
{
    /// <summary>
    /// Processes started since <paramref name="since"/> whose command line runs <paramref name="emulatorDll"/>
    /// (its full path, so another checkout's emulator is never matched). Linux only: it reads /proc, and .NET has
    /// no portable way to read another process's command line. Elsewhere this finds nothing and only the
    /// suite's own AfterAll stops the emulator.
    /// </summary>
    public static IReadOnlyList<Process> StartedSince(string emulatorDll, DateTime since)
    {
        if (!OperatingSystem.IsLinux())
        {
            return [];
        }

        var found = new List<Process>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            try
            {
                var commandLine = File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ');
                if (!commandLine.Contains(emulatorDll, StringComparison.Ordinal))
                {
                    continue;
                }

                var process = Process.GetProcessById(pid);
                if (!process.HasExited && process.StartTime >= since)
                {
                    found.Add(process);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or InvalidOperationException)
            {
                // The process ended while being read.
            }
        }

        return found;
    }

    public static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(10_000);
        }
        catch (InvalidOperationException)
        {
            // It exited meanwhile.
        }
    }
}
