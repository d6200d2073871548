namespace NodeOps.Engine.Tests.Operations;

public sealed class VerboseStreamTests
{
    [Theory]
    [InlineData(null, true, true)] // -Debug alone: PowerShell would ask at every verbose line
    [InlineData(true, true, false)] // -Verbose -Debug: verbose is Continue
    [InlineData(false, true, false)] // -Verbose:$false -Debug: verbose is off, nothing to ask
    [InlineData(null, false, false)] // -Debug:$false: the preference variables decide, as without it
    [InlineData(null, null, false)]
    [InlineData(true, null, false)]
    public void Only_Debug_without_Verbose_makes_verbose_lines_prompt(bool? verbose, bool? debug, bool prompts) =>
        Assert.Equal(prompts, VerboseStream.WouldPrompt(verbose, debug));
}
