namespace NodeOps.Engine;

/// <summary>What a mutating command does about confirmation for one item.</summary>
public enum ConfirmationDecision
{
    /// <summary>Go ahead without asking (<c>-Force</c>).</summary>
    Proceed,

    /// <summary>Ask PowerShell's <c>ShouldProcess</c>, which honours <c>-WhatIf</c>, <c>-Confirm</c> and <c>$ConfirmPreference</c>.</summary>
    AskShouldProcess,
}

/// <summary>
/// How <c>-Force</c> combines with <c>-WhatIf</c> and <c>-Confirm</c>: Force skips the confirmation prompt
/// that <c>ConfirmImpact</c> would raise, but never turns <c>-WhatIf</c> into a real request, and an explicit
/// <c>-Confirm</c> still asks.
/// </summary>
public static class ConfirmationPolicy
{
    public static ConfirmationDecision Decide(bool force, bool whatIf, bool confirmRequested) =>
        force && !whatIf && !confirmRequested ? ConfirmationDecision.Proceed : ConfirmationDecision.AskShouldProcess;
}
