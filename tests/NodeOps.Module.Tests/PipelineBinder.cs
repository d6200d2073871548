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
/// Before any object arrives, PowerShell's mandatory-parameter check may already have latched on to the
/// default set (<see cref="LatchedDefaultSet"/>); then only that set's parameters take the object.
/// Coercing conversions (stages 3 and 4) are not modelled: every pipeline here binds without them.
/// </summary>
public static class PipelineBinder
{
    public static BindingResult Bind(CmdletModel cmdlet, Type piped, Func<string, Type?> resolveType)
    {
        var candidates = LatchedDefaultSet(cmdlet) is { } latched
            ? new HashSet<string>(StringComparer.Ordinal) { latched }
            : cmdlet.ParameterSetNames.ToHashSet(StringComparer.Ordinal);
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

    /// <summary>
    /// The set PowerShell fixes before the first piped object when the command is run with pipeline input
    /// and no parameters (CmdletParameterBinderController.GetMissingMandatoryParameters): with several sets
    /// missing mandatory parameters, it latches on to the default set when the default set's mandatory
    /// parameters take pipeline input by property name and no other set's do, or when it takes pipeline input
    /// and no other set can be filled from the pipeline alone. The object is then never offered to the other
    /// sets' parameters, not even to a ValueFromPipeline parameter of exactly its type.
    /// </summary>
    public static string? LatchedDefaultSet(CmdletModel cmdlet)
    {
        if (cmdlet.DefaultParameterSetName is not { } defaultSet || cmdlet.ParameterSetNames.Count < 2)
        {
            return null;
        }

        // Mandatory parameters of each named set (all-sets parameters are PowerShell's separate "all set" entry).
        var own = cmdlet.ParameterSetNames.ToDictionary(
            set => set,
            set => cmdlet.Parameters.SelectMany(p => p.Sets.Where(s => s.Name == set && s.Mandatory)).ToList(),
            StringComparer.Ordinal);
        var allSetMandatory = cmdlet.Parameters.SelectMany(p => p.Sets.Where(s => s.Name == CmdletModel.AllParameterSets && s.Mandatory)).ToList();
        var missing = allSetMandatory.Count > 0 ? own.Keys.ToList() : own.Where(o => o.Value.Count > 0).Select(o => o.Key).ToList();
        if (missing.Count < 2 || !missing.Contains(defaultSet))
        {
            return null;
        }

        static bool Pipelineable(ParameterSetModel s) => s.ValueFromPipeline || s.ValueFromPipelineByPropertyName;
        var others = own.Where(o => o.Key != defaultSet).Select(o => o.Value).ToList();
        var anotherTakesPipeline = others.Any(m => m.Any(Pipelineable) && m.All(Pipelineable));
        var anotherTakesByPropertyName = others.Any(m => m.Any(s => s.ValueFromPipelineByPropertyName));
        var defaults = own[defaultSet];
        var latch = defaults.Count > 0
            && ((defaults.Any(s => s.ValueFromPipelineByPropertyName) && !anotherTakesByPropertyName)
                || (defaults.Any(Pipelineable) && !anotherTakesPipeline));
        latch = latch || !anotherTakesPipeline || allSetMandatory.Any(s => !Pipelineable(s));
        return latch ? defaultSet : null;
    }
}
