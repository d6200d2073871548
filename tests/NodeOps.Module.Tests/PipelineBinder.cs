using System.Reflection;
using NodeOps.HelpGen;

namespace NodeOps.Module.Tests;

/// <summary>What binding one piped object to a cmdlet produced.</summary>
public sealed record BindingResult(string? ParameterSet, IReadOnlyDictionary<string, string> Bound, IReadOnlyList<string> MissingMandatory)
{
    public bool Succeeded => ParameterSet is not null && MissingMandatory.Count == 0;

    /// <summary>Which property of the piped object a parameter took ("$_" for the whole object).</summary>
    public string? Source(string parameter) => Bound.TryGetValue(parameter, out var p) ? p : null;
}

/// <summary>
/// A model of PowerShell's pipeline parameter binding for one input object, enough to check that the
/// module's pipelines bind what they should: (1) ValueFromPipeline parameters whose type the object already
/// is; (2) ValueFromPipelineByPropertyName parameters matching a property by parameter name, then by alias;
/// each successful binding narrows the candidate parameter sets; the default set wins a tie.
/// Coercing conversions (stages 3 and 4) are not modelled: every pipeline here binds without them.
/// </summary>
public static class PipelineBinder
{
    public static BindingResult Bind(CmdletModel cmdlet, Type piped, Func<string, Type?> resolveType)
    {
        var candidates = cmdlet.ParameterSetNames.ToHashSet(StringComparer.Ordinal);
        var bound = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var properties = piped.GetProperties(BindingFlags.Public | BindingFlags.Instance).Select(p => p.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);

        bool InCandidates(ParameterModel p, Func<ParameterSetModel, bool> how) =>
            p.Sets.Any(s => how(s) && (s.Name == CmdletModel.AllParameterSets || candidates.Contains(s.Name)));

        void Narrow(ParameterModel p, Func<ParameterSetModel, bool> how)
        {
            if (p.Sets.Any(s => how(s) && s.Name == CmdletModel.AllParameterSets))
            {
                return;
            }

            candidates.IntersectWith(p.Sets.Where(how).Select(s => s.Name));
        }

        // Stage 1: by value, no coercion.
        foreach (var parameter in cmdlet.Parameters.Where(p => InCandidates(p, s => s.ValueFromPipeline)))
        {
            var type = resolveType(parameter.TypeFullName.TrimEnd('[', ']'));
            if (type is not null && type.IsAssignableFrom(piped))
            {
                bound[parameter.Name] = "$_";
                Narrow(parameter, s => s.ValueFromPipeline);
            }
        }

        // Stage 2: by property name (name first, then aliases), no coercion.
        foreach (var parameter in cmdlet.Parameters.Where(p => !bound.ContainsKey(p.Name)))
        {
            if (!InCandidates(parameter, s => s.ValueFromPipelineByPropertyName))
            {
                continue;
            }

            var match = parameter.BindingNames.FirstOrDefault(properties.Contains);
            if (match is not null)
            {
                bound[parameter.Name] = match;
                Narrow(parameter, s => s.ValueFromPipelineByPropertyName);
            }
        }

        string? set = candidates.Count switch
        {
            0 => null,
            1 => candidates.Single(),
            _ => cmdlet.DefaultParameterSetName is { } d && candidates.Contains(d) ? d : null,
        };
        var missing = set is null
            ? []
            : cmdlet.ParametersIn(set).Where(p => p.Set.Mandatory && !bound.ContainsKey(p.Parameter.Name)).Select(p => p.Parameter.Name).ToList();
        return new BindingResult(set, bound, missing);
    }
}
