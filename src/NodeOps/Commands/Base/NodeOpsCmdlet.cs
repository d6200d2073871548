using System.Collections;
using System.Management.Automation;
using NodeOps.Engine;

namespace NodeOps.Commands;

/// <summary>
/// What every NodeOps command shares: a cancellation token that <c>StopProcessing</c> (Ctrl+C) cancels and
/// every engine call receives; a <see cref="PipelineBridge"/> that runs network work in the background and
/// writes its results, errors, progress and request traces on the pipeline thread; ErrorRecords built from the
/// engine's <see cref="ErrorReport"/>; and the <c>-Force</c>/<c>-WhatIf</c>/<c>-Confirm</c> rule.
/// </summary>
/// <remarks>
/// Public only because cmdlets derive from it. No field here may have an engine value type (see
/// <c>Loading/ModuleInitializer</c>): the engine is not loadable yet when PowerShell scans these types.
/// </remarks>
public abstract class NodeOpsCmdlet : PSCmdlet, IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private PipelineBridge? _bridge;
    private string? _userAgent;

    /// <summary>Cancelled by Ctrl+C (<see cref="StopProcessing"/>).</summary>
    protected CancellationToken StoppingToken => _stopping.Token;

    /// <summary>The bridge for this invocation, created on first use on the pipeline thread.</summary>
    protected PipelineBridge Bridge => _bridge ??= new PipelineBridge(
        Deliver,
        new PipelineBridgeOptions { MaxConcurrency = new NodeOpsClientOptions().MaxConcurrency, Verbose = IsVerbose, Debug = IsDebug },
        _stopping.Token);

    /// <summary><c>NodeOps/&lt;version&gt; PowerShell/&lt;PSVersion&gt;</c>: the suffix the engine appends to its User-Agent.</summary>
    protected string UserAgentSuffix => _userAgent ??= "PowerShell/" + PowerShellVersion();

    protected bool IsVerbose => Preference("Verbose", "VerbosePreference");

    protected bool IsDebug => Preference("Debug", "DebugPreference");

    /// <summary>Starts background work (bounded; waits while the bridge is full) and writes what has already arrived.</summary>
    protected void StartWork(Func<PipelineBridge, CancellationToken, Task> work, object? target = null) =>
        Pump(() =>
        {
            Bridge.Start(work, target);
            Bridge.Drain();
        });

    /// <summary>Waits for all background work, writing its output as it arrives. Call from EndProcessing.</summary>
    protected void WaitForWork()
    {
        if (_bridge is not null)
        {
            Pump(_bridge.WaitAll);
        }
    }

    /// <summary>Runs one piece of work and waits for it, writing its output as it arrives.</summary>
    protected void RunWork(Func<PipelineBridge, CancellationToken, Task> work, object? target = null) =>
        Pump(() => Bridge.Run(work, target));

    /// <summary>
    /// Every verbose line of every command goes through here: to the verbose stream, or to the debug stream when
    /// PowerShell would make a verbose write prompt (<see cref="VerboseStream.WouldPrompt"/>: -Debug without -Verbose).
    /// </summary>
    protected new void WriteVerbose(string text)
    {
        if (VerboseStream.WouldPrompt(BoundSwitch("Verbose"), BoundSwitch("Debug")))
        {
            WriteDebug(text);
        }
        else
        {
            base.WriteVerbose(text);
        }
    }

    /// <summary>Writes a non-terminating error for <paramref name="exception"/> about <paramref name="target"/>.</summary>
    protected void WriteFailure(Exception exception, object? target) => WriteError(ToErrorRecord(ErrorReport.From(exception, target)));

    /// <summary>Stops the command with the error (for parameter problems that apply to every input).</summary>
    protected void ThrowFailure(Exception exception, object? target) => ThrowTerminatingError(ToErrorRecord(ErrorReport.From(exception, target)));

    /// <summary>
    /// Whether to act on <paramref name="target"/>: <c>-Force</c> skips the prompt, but <c>-WhatIf</c> still only
    /// describes and an explicit <c>-Confirm</c> still asks (<see cref="ConfirmationPolicy"/>).
    /// </summary>
    protected bool ShouldAct(string target, string action, bool force)
    {
        var decision = ConfirmationPolicy.Decide(force, Flag("WhatIf", "WhatIfPreference"), MyInvocation.BoundParameters.ContainsKey("Confirm") && Flag("Confirm", null));
        return decision == ConfirmationDecision.Proceed || ShouldProcess(target, action);
    }

    protected static ErrorRecord ToErrorRecord(ErrorReport report)
    {
        var record = new ErrorRecord(report.Exception, report.ErrorId, (ErrorCategory)(int)report.Category, report.Target);
        record.ErrorDetails = new ErrorDetails(report.Message) { RecommendedAction = report.RecommendedAction ?? string.Empty };
        return record;
    }

    /// <summary>Ctrl+C: called on another thread; cancels every engine call and wakes the pipeline thread.</summary>
    protected override void StopProcessing()
    {
        try
        {
            _stopping.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The command finished (and was disposed) while the stop request was on its way.
        }
    }

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            _bridge?.Dispose();
            _stopping.Cancel();
            _stopping.Dispose();
        }
    }

    /// <summary>Runs a bridge call; a cancellation caused by Ctrl+C becomes PowerShell's "pipeline stopped".</summary>
    private void Pump(Action action)
    {
        try
        {
            action();
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
    }

    /// <summary>Writes one message from background work. Runs on the pipeline thread only.</summary>
    private void Deliver(PipelineMessage message)
    {
        switch (message)
        {
            case PipelineOutput output:
                WriteObject(output.Value);
                break;
            case PipelineError error:
                WriteError(ToErrorRecord(error.Report));
                break;
            case PipelineText { Kind: PipelineTextKind.Verbose } text:
                WriteVerbose(text.Text);
                break;
            case PipelineText { Kind: PipelineTextKind.Debug } text:
                WriteDebug(text.Text);
                break;
            case PipelineText text:
                WriteWarning(text.Text);
                break;
            case PipelineProgress progress:
                WriteProgress(ToProgressRecord(progress.Update));
                break;
        }
    }

    private static ProgressRecord ToProgressRecord(ProgressUpdate update) => new(update.ActivityId, update.Activity, update.StatusDescription)
    {
        PercentComplete = update.PercentComplete,
        SecondsRemaining = update.SecondsRemaining,
        CurrentOperation = update.CurrentOperation,
        RecordType = update.Completed ? ProgressRecordType.Completed : ProgressRecordType.Processing,
    };

    /// <summary>A common switch (-Verbose, -Debug) if given, else its preference variable.</summary>
    private bool Preference(string parameter, string variable)
    {
        if (MyInvocation.BoundParameters.TryGetValue(parameter, out var bound))
        {
            return LanguagePrimitives.IsTrue(bound);
        }

        var value = GetVariableValue(variable);
        return value is not null
            && Enum.TryParse<ActionPreference>(value.ToString(), ignoreCase: true, out var preference)
            && preference is not ActionPreference.SilentlyContinue and not ActionPreference.Ignore;
    }

    private bool? BoundSwitch(string parameter) =>
        MyInvocation.BoundParameters.TryGetValue(parameter, out var bound) ? LanguagePrimitives.IsTrue(bound) : null;

    private bool Flag(string parameter, string? variable)
    {
        if (MyInvocation.BoundParameters.TryGetValue(parameter, out var bound))
        {
            return LanguagePrimitives.IsTrue(bound);
        }

        return variable is not null && LanguagePrimitives.IsTrue(GetVariableValue(variable));
    }

    private string PowerShellVersion()
    {
        if (GetVariableValue("PSVersionTable") is Hashtable table && table["PSVersion"] is { } version)
        {
            return version.ToString() ?? "unknown";
        }

        return typeof(PSObject).Assembly.GetName().Version?.ToString(3) ?? "unknown";
    }
}
