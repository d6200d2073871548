namespace NodeOps.Engine;

/// <summary>Where a command's verbose lines may go without stopping it.</summary>
public static class VerboseStream
{
    /// <summary>
    /// Whether a verbose write would turn into a prompt. PowerShell 7 kept one piece of Windows PowerShell's
    /// <c>-Debug</c>: a command given <c>-Debug</c> but not <c>-Verbose</c> treats every verbose write as
    /// <c>Inquire</c>, asking "Continue with this operation?" at each line (and failing in a non-interactive
    /// runbook). Such lines go to the debug stream instead, which <c>-Debug</c> shows without asking.
    /// </summary>
    /// <param name="verbose">The <c>-Verbose</c> switch as given, or null when it was not given.</param>
    /// <param name="debug">The <c>-Debug</c> switch as given, or null when it was not given.</param>
    public static bool WouldPrompt(bool? verbose, bool? debug) => verbose is null && debug == true;
}
