using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Reflection;
using System.Text;
using Xunit.Abstractions;

namespace NodeOps.Pester.Tests;

/// <summary>
/// Runs tests/pester on PowerShell hosted in this process, so the solution's test run covers the module
/// through real PowerShell on machines without pwsh.
/// </summary>
public sealed class PesterSuiteTests(ITestOutputHelper output)
{
    // The suite had 79 tests when this runner was added. A floor rather than an exact count, so adding a
    // Pester test needs no change here, while a suite that silently lost tests (a discovery error, a filter,
    // a container that failed to load) cannot pass. Raise it when the suite grows.
    private const int MinimumPassed = 81;

    // The suite takes well under a minute, even beside the other test projects; a hang (an emulator that
    // never answers, a prompt) must fail with what is known rather than wait for the CI job to be killed.
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(10);

    // Stopping the pipeline runs the suite's finally blocks; give them time to stop the emulator.
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(60);

    private const string Runner = """
        param([string] $PesterManifest, [string] $SuitePath)
        $ErrorActionPreference = 'Stop'
        Import-Module -Name $PesterManifest -Force
        $config = New-PesterConfiguration
        $config.Run.Path = $SuitePath
        $config.Run.PassThru = $true
        $config.Output.Verbosity = 'Detailed'
        # The output goes to a CI log, not a console: no ANSI codes, no CI-specific annotations.
        $config.Output.RenderMode = 'Plaintext'
        $config.Output.CIFormat = 'None'
        $run = Invoke-Pester -Configuration $config

        function Format-PesterError($Records) {
            @(foreach ($e in $Records) {
                    $message = if ($e.DisplayErrorMessage) { $e.DisplayErrorMessage } else { $e.Exception.Message }
                    $where = if ($e.DisplayStackTrace) { $e.DisplayStackTrace } else { $e.ScriptStackTrace }
                    "$message`n$where".Trim()
                }) -join "`n"
        }
        # Tests under a failed BeforeAll/AfterAll fail without an error of their own: count them instead of
        # listing each (the block's error says why).
        $ownErrors = @($run.Failed | Where-Object { $_.ErrorRecord.Count -gt 0 })
        $blockVictims = $run.Failed.Count - $ownErrors.Count
        $failures = @(
            foreach ($c in $run.FailedContainers) { "[container] $($c.Item)`n$(Format-PesterError $c.ErrorRecord)" }
            foreach ($b in $run.FailedBlocks) { "[block] $($b.ExpandedPath)`n$(Format-PesterError $b.ErrorRecord)" }
            foreach ($t in $ownErrors) { "[test] $($t.ExpandedPath)`n$(Format-PesterError $t.ErrorRecord)" }
            if ($blockVictims -gt 0) { "[tests] $blockVictims failed because a block around them failed" }
        )
        [pscustomobject]@{
            Result           = [string] $run.Result
            Passed           = [int] $run.PassedCount
            Failed           = [int] $run.FailedCount
            Skipped          = [int] $run.SkippedCount
            NotRun           = [int] $run.NotRunCount
            Total            = [int] $run.TotalCount
            FailedBlocks     = [int] $run.FailedBlocksCount
            FailedContainers = [int] $run.FailedContainersCount
            Duration         = [string] $run.Duration
            Failures         = [string[]] $failures
        }
        """;

    [Fact]
    public void Pester_suite_passes_on_hosted_PowerShell()
    {
        var repoRoot = Metadata("RepoRoot");
        var pesterManifest = Path.Combine(Metadata("PesterPackage"), "tools", "Pester.psd1");
        var emulatorDll = Metadata("EmulatorAssembly");
        var suitePath = Path.Combine(repoRoot, "tests", "pester");
        Assert.True(File.Exists(pesterManifest), $"{pesterManifest} is missing: restore the Pester package.");
        Assert.True(File.Exists(emulatorDll), $"{emulatorDll} is missing: build src/NodeOps.Emulator.");
        Assert.True(File.Exists(Path.Combine(repoRoot, "out", "NodeOps", "NodeOps.psd1")), "out/NodeOps is missing: build src/NodeOps.");

        using var log = new PesterLog(output);
        var problems = new List<string>();
        PSObject? summary = null;
        var watch = System.Diagnostics.Stopwatch.StartNew();

        // The suite reads these from the environment (PowerShell's $env: is this process's environment):
        // the module and emulator this project was built with, and no nested build of either.
        using (new EnvironmentScope(new Dictionary<string, string?>
        {
            ["NODEOPS_TEST_CONFIGURATION"] = Metadata("Configuration"),
            ["NODEOPS_EMULATOR_DLL"] = emulatorDll,
            ["NODEOPS_TEST_BUILD"] = null,
        }))
        {
            var iss = InitialSessionState.CreateDefault2();
            if (OperatingSystem.IsWindows())
            {
                // Windows' default policy would refuse to load Pester's and the suite's scripts; elsewhere
                // there is no policy, and setting one throws PlatformNotSupportedException.
                iss.ExecutionPolicy = Microsoft.PowerShell.ExecutionPolicy.Bypass;
            }

            var runspace = RunspaceFactory.CreateRunspace(iss);
            var ps = PowerShell.Create();
            // Disposing a pipeline that would not stop waits for it forever: such a one is abandoned instead.
            var disposable = true;
            try
            {
                runspace.Open();
                ps.Runspace = runspace;
                ps.AddScript(Runner).AddParameter("PesterManifest", pesterManifest).AddParameter("SuitePath", suitePath);
                log.Attach(ps.Streams);

                var results = new PSDataCollection<PSObject>();
                var invocation = ps.BeginInvoke<PSObject, PSObject>(null, results);
                if (!invocation.AsyncWaitHandle.WaitOne(RunTimeout))
                {
                    problems.Add($"The Pester run did not finish within {RunTimeout.TotalMinutes:F0} minutes and was stopped.");
                    // Stop() is Ctrl+C: the suite's finally blocks (AfterAll) run, which stop the emulator.
                    var stopping = ps.BeginStop(null, null);
                    if (!stopping.AsyncWaitHandle.WaitOne(StopGrace))
                    {
                        disposable = false;
                        problems.Add($"The Pester pipeline did not stop within {StopGrace.TotalSeconds} s either.");
                    }
                }
                else
                {
                    try
                    {
                        ps.EndInvoke(invocation);
                        summary = results.Count == 1 ? results[0] : null;
                        if (summary is null)
                        {
                            problems.Add($"The runner returned {results.Count} objects instead of one summary.");
                        }
                    }
                    catch (RuntimeException e)
                    {
                        problems.Add($"The Pester run ended with a terminating error: {e.Message}\n{e.ErrorRecord?.ScriptStackTrace}");
                    }
                }

                log.Flush();
            }
            finally
            {
                if (disposable)
                {
                    ps.Dispose();
                    runspace.Dispose();
                }
            }
        }

        watch.Stop();
        output.WriteLine($"Pester run took {watch.Elapsed.TotalSeconds:F0} s.");

        if (summary is not null)
        {
            int Count(string name) => (int)summary.Properties[name].Value;
            var counts = $"{Count("Passed")} passed, {Count("Failed")} failed, {Count("Skipped")} skipped, {Count("NotRun")} not run " +
                $"of {Count("Total")} (failed blocks {Count("FailedBlocks")}, failed containers {Count("FailedContainers")}) in {summary.Properties["Duration"].Value}";
            output.WriteLine($"Pester: {counts}");

            var failures = (string[]?)summary.Properties["Failures"].Value ?? [];
            foreach (var failure in failures)
            {
                output.WriteLine("FAILED " + failure);
            }

            if (Count("Failed") != 0 || Count("FailedBlocks") != 0 || Count("FailedContainers") != 0)
            {
                problems.Add($"Pester: {counts}.\n" + string.Join("\n", failures));
            }

            // A skipped or not-run test would hide whatever it should have checked.
            if (Count("Skipped") != 0 || Count("NotRun") != 0)
            {
                problems.Add($"Pester skipped or did not run tests: {counts}.");
            }

            if (Count("Passed") < MinimumPassed)
            {
                problems.Add($"Only {Count("Passed")} Pester tests passed; the suite has at least {MinimumPassed}: {counts}.");
            }

            if ((string?)summary.Properties["Result"].Value != "Passed")
            {
                problems.Add($"Pester's result is {summary.Properties["Result"].Value}: {counts}.");
            }
        }
        else
        {
            problems.Add("What the run wrote last:\n" + log.Tail(60));
        }

        // The suite's AfterAll stops the emulator it started, also when a test or BeforeAll fails. Make sure
        // it did when hosted here, and never leave one running for the rest of the CI job.
        foreach (var leftover in EmulatorProcesses.ChildrenRunning(emulatorDll))
        {
            problems.Add($"The emulator (pid {leftover.Id}) was still running after the Pester run; it has been killed.");
            EmulatorProcesses.Kill(leftover);
        }

        Assert.True(problems.Count == 0, string.Join("\n\n", problems));
    }

    private static string Metadata(string key) =>
        typeof(PesterSuiteTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"Assembly metadata {key} is empty.");

    /// <summary>Sets environment variables for a scope and puts the previous values back.</summary>
    private sealed class EnvironmentScope : IDisposable
    {
        private readonly Dictionary<string, string?> _saved = [];

        public EnvironmentScope(IReadOnlyDictionary<string, string?> values)
        {
            foreach (var (name, value) in values)
            {
                _saved[name] = Environment.GetEnvironmentVariable(name);
                Environment.SetEnvironmentVariable(name, value);
            }
        }

        public void Dispose()
        {
            foreach (var (name, value) in _saved)
            {
                Environment.SetEnvironmentVariable(name, value);
            }
        }
    }
}
