using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using NodeOps.Engine.Providers.Together;

namespace NodeOps.Completion;

/// <summary>Tab completion for -Mode: Together's short mode names (any REMEDIATION_MODE_ name is accepted too).</summary>
internal sealed class TogetherModeCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var prefix = (wordToComplete ?? string.Empty).Trim('\'', '"');
        return TogetherModes.ShortNames
            .Where(m => m.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal)
            .Select(m => new CompletionResult(m, m, CompletionResultType.ParameterValue, m))
            .ToList();
    }
}
