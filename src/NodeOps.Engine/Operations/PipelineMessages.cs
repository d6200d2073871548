namespace NodeOps.Engine;

/// <summary>
/// Something background work hands to the thread that owns the PowerShell pipeline. Only that thread may
/// call <c>WriteObject</c>, <c>WriteError</c> and friends, so work running in parallel posts these and the
/// pipeline thread writes them (see <see cref="PipelineBridge"/>).
/// </summary>
public abstract record PipelineMessage;

/// <summary>An object for the output stream.</summary>
public sealed record PipelineOutput(object Value) : PipelineMessage;

/// <summary>A non-terminating error.</summary>
public sealed record PipelineError(ErrorReport Report) : PipelineMessage;

public enum PipelineTextKind
{
    Verbose,
    Debug,
    Warning,
}

/// <summary>A line for the verbose, debug or warning stream.</summary>
public sealed record PipelineText(PipelineTextKind Kind, string Text) : PipelineMessage;

/// <summary>A progress bar update.</summary>
public sealed record PipelineProgress(ProgressUpdate Update) : PipelineMessage;

/// <summary>
/// What <c>Write-Progress</c> shows, without a reference to PowerShell. <see cref="PercentComplete"/> and
/// <see cref="SecondsRemaining"/> are -1 when unknown, as in <c>ProgressRecord</c>.
/// </summary>
public sealed record ProgressUpdate(
    int ActivityId,
    string Activity,
    string StatusDescription,
    int PercentComplete = -1,
    int SecondsRemaining = -1,
    string? CurrentOperation = null,
    bool Completed = false);
