using System.Diagnostics;
using System.Globalization;

namespace NodeOps.Pester.Tests;

/// <summary>Emulators started by this process (the hosted suite runs `dotnet NodeOps.Emulator.dll`).</summary>
internal static class EmulatorProcesses
{
    /// <summary>
    /// Children of this process whose command line runs <paramref name="emulatorDll"/>. Linux only: it reads
    /// /proc, and .NET has no portable way to learn a process's parent or command line. Elsewhere this finds
    /// nothing and only the suite's own AfterAll stops the emulator.
    /// </summary>
    public static IReadOnlyList<Process> ChildrenRunning(string emulatorDll)
    {
        if (!OperatingSystem.IsLinux())
        {
            return [];
        }

        var self = Environment.ProcessId;
        var dllName = Path.GetFileName(emulatorDll);
        var found = new List<Process>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            try
            {
                // stat is "pid (comm) state ppid ...", and comm may itself hold spaces or parentheses.
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                if (int.Parse(fields[1], CultureInfo.InvariantCulture) != self || fields[0] == "Z")
                {
                    continue;
                }

                var commandLine = File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ');
                if (commandLine.Contains(dllName, StringComparison.Ordinal))
                {
                    found.Add(Process.GetProcessById(pid));
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
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
