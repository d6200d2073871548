using System.Diagnostics;
using System.Reflection;
using System.Text.Json;
using Xunit.Abstractions;

namespace NodeOps.Pester.Tests;

/// <summary>
/// Runs tests/pester in a real, non-interactive pwsh (the console host), so the solution's test run covers
/// the module through PowerShell on machines without a pwsh of their own.
/// </summary>
public sealed class PesterSuiteTests(ITestOutputHelper output)
{
    // A floor rather than an exact count, so adding a Pester test needs no change here, while a suite that
    // silently lost tests (a discovery error, a filter, a container that failed to load) cannot pass. Raise it
    // when the suite grows.
    private const int MinimumPassed = 82;

    // The suite takes well under a minute, even beside the other test projects; a hang (an emulator that never
    // answers, a prompt) must fail with what is known rather than wait for the CI job to be killed.
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(10);

    [Fact]
    public void Pester_suite_passes_in_pwsh()
    {
        var repoRoot = Metadata("RepoRoot");
        // The tool package holds one build of pwsh for Windows and one for everything else.
        var pwsh = Path.Combine(Metadata("PowerShellTool"), OperatingSystem.IsWindows() ? "win" : "unix", "pwsh.dll");
        var pesterManifest = Path.Combine(Metadata("PesterPackage"), "tools", "Pester.psd1");
        var emulatorDll = Metadata("EmulatorAssembly");
        Assert.True(File.Exists(pwsh), $"{pwsh} is missing: restore the PowerShell tool package.");
        Assert.True(File.Exists(pesterManifest), $"{pesterManifest} is missing: restore the Pester package.");
        Assert.True(File.Exists(emulatorDll), $"{emulatorDll} is missing: build src/NodeOps.Emulator.");
        Assert.True(File.Exists(Path.Combine(repoRoot, "out", "NodeOps", "NodeOps.psd1")), "out/NodeOps is missing: build src/NodeOps.");

        var summaryPath = Path.Combine(Path.GetTempPath(), $"nodeops-pester-{Guid.NewGuid():n}.json");
        var started = DateTime.Now;
        var problems = new List<string>();
        var tail = new Queue<string>();
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = repoRoot,
        };
        foreach (var argument in new[]
        {
            pwsh, "-NoProfile", "-NonInteractive", "-NoLogo", "-File", Path.Combine(AppContext.BaseDirectory, "run-pester.ps1"),
            "-PesterManifest", pesterManifest, "-SuitePath", Path.Combine(repoRoot, "tests", "pester"), "-SummaryPath", summaryPath,
        })
        {
            start.ArgumentList.Add(argument);
        }

        // The module and emulator this project was built with, and no nested build of either while other test
        // projects run. No profile, no user modules: only what the suite imports itself.
        start.Environment["NODEOPS_TEST_CONFIGURATION"] = Metadata("Configuration");
        start.Environment["NODEOPS_EMULATOR_DLL"] = emulatorDll;
        start.Environment.Remove("NODEOPS_TEST_BUILD");
        start.Environment["POWERSHELL_TELEMETRY_OPTOUT"] = "1";
        start.Environment["POWERSHELL_UPDATECHECK"] = "Off";
        start.Environment["NO_COLOR"] = "1";

        using (var process = new Process { StartInfo = start })
        {
            DataReceivedEventHandler log = (_, e) =>
            {
                if (e.Data is null)
                {
                    return;
                }

                lock (tail)
                {
                    tail.Enqueue(e.Data);
                    if (tail.Count > 60)
                    {
                        tail.Dequeue();
                    }

                    output.WriteLine(e.Data);
                }
            };
            process.OutputDataReceived += log;
            process.ErrorDataReceived += log;
            process.Start();
            process.StandardInput.Close();
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            if (!process.WaitForExit(RunTimeout))
            {
                problems.Add($"The Pester run did not finish within {RunTimeout.TotalMinutes:F0} minutes; pwsh and its children were killed.");
                process.Kill(entireProcessTree: true);
            }

            process.WaitForExit();
            output.WriteLine($"pwsh exited with {process.ExitCode} after {(DateTime.Now - started).TotalSeconds:F0} s.");
        }

        if (File.Exists(summaryPath))
        {
            using var summary = JsonDocument.Parse(File.ReadAllText(summaryPath));
            File.Delete(summaryPath);
            problems.AddRange(Check(summary.RootElement));
        }
        else if (problems.Count == 0)
        {
            lock (tail)
            {
                problems.Add("The Pester run wrote no summary. What it wrote last:\n" + string.Join("\n", tail));
            }
        }

        // The suite's AfterAll stops the emulator it started, also when a test or BeforeAll fails. Make sure it
        // did, and never leave one running for the rest of the CI job.
        foreach (var leftover in EmulatorProcesses.StartedSince(emulatorDll, started))
        {
            problems.Add($"The emulator (pid {leftover.Id}) was still running after the Pester run; it has been killed.");
            EmulatorProcesses.Kill(leftover);
        }

        Assert.True(problems.Count == 0, string.Join("\n\n", problems));
    }

    private IEnumerable<string> Check(JsonElement summary)
    {
        int Count(string name) => summary.GetProperty(name).GetInt32();
        var counts = $"{Count("passed")} passed, {Count("failed")} failed, {Count("skipped")} skipped, {Count("notRun")} not run " +
            $"of {Count("total")} (failed blocks {Count("failedBlocks")}, failed containers {Count("failedContainers")}) in {summary.GetProperty("duration").GetString()}";
        output.WriteLine($"Pester: {counts}");
        var failures = summary.GetProperty("failures").ValueKind == JsonValueKind.Array
            ? summary.GetProperty("failures").EnumerateArray().Select(f => f.GetString() ?? string.Empty).ToList()
            : [];

        if (Count("failed") != 0 || Count("failedBlocks") != 0 || Count("failedContainers") != 0)
        {
            yield return $"Pester: {counts}.\n" + string.Join("\n", failures);
        }

        // A skipped or not-run test would hide whatever it should have checked.
        if (Count("skipped") != 0 || Count("notRun") != 0)
        {
            yield return $"Pester skipped or did not run tests: {counts}.";
        }

        if (Count("passed") < MinimumPassed)
        {
            yield return $"Only {Count("passed")} Pester tests passed; the suite has at least {MinimumPassed}: {counts}.";
        }

        if (summary.GetProperty("result").GetString() != "Passed")
        {
            yield return $"Pester's result is {summary.GetProperty("result").GetString()}: {counts}.";
        }
    }

    private static string Metadata(string key) =>
        typeof(PesterSuiteTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"Assembly metadata {key} is empty.");
}
