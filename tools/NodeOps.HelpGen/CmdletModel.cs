namespace NodeOps.HelpGen;

/// <summary>A cmdlet as its attributes declare it.</summary>
public sealed record CmdletModel(
    string Verb,
    string Noun,
    string TypeName,
    bool SupportsShouldProcess,
    string ConfirmImpact,
    string? DefaultParameterSetName,
    IReadOnlyList<string> Aliases,
    IReadOnlyList<OutputTypeModel> OutputTypes,
    IReadOnlyList<ParameterModel> Parameters)
{
    public const string AllParameterSets = "__AllParameterSets";

    public string Name => $"{Verb}-{Noun}";

    /// <summary>The named parameter sets, or the single implicit one.</summary>
    public IReadOnlyList<string> ParameterSetNames
    {
        get
        {
            // PowerShell adds the default set even when no parameter names it (e.g. Remove-GpuNode's Delete set).
            var named = Parameters.SelectMany(p => p.Sets).Select(s => s.Name).Where(n => n != AllParameterSets).Distinct().ToList();
            if (DefaultParameterSetName is { } defaultSet && !named.Contains(defaultSet))
            {
                named.Insert(0, defaultSet);
            }

            return named.Count > 0 ? named : [AllParameterSets];
        }
    }

    /// <summary>The parameters in a set (including those declared for all sets), with their settings for that set.</summary>
    public IEnumerable<(ParameterModel Parameter, ParameterSetModel Set)> ParametersIn(string setName)
    {
        foreach (var parameter in Parameters)
        {
            var set = parameter.Sets.FirstOrDefault(s => s.Name == setName) ?? parameter.Sets.FirstOrDefault(s => s.Name == AllParameterSets);
            if (set is not null)
            {
                yield return (parameter, set);
            }
        }
    }

    public ParameterModel? Parameter(string name) =>
        Parameters.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));
}

public sealed record OutputTypeModel(string TypeName, IReadOnlyList<string> ParameterSets);

/// <summary>A cmdlet parameter: a public property with one or more [Parameter] attributes. Nullable/// <summary>A cmdlet parameter: a public property with one or more [Parameter] attributes.</summary>lt;T/// <summary>A cmdlet parameter: a public property with one or more [Parameter] attributes.</summary>gt; is shown as T.</summary>
public sealed record ParameterModel(
    string Name,
    string TypeFullName,
    string TypeDisplayName,
    bool IsSwitch,
    bool IsArray,
    IReadOnlyList<string> Aliases,
    IReadOnlyList<ParameterSetModel> Sets,
    IReadOnlyList<string> EnumValues,
    IReadOnlyList<string> ValidateSet,
    string DeclaringType)
{
    public bool IsMandatoryIn(string set) => Sets.Any(s => (s.Name == set || s.Name == CmdletModel.AllParameterSets) && s.Mandatory);

    public bool FromPipelineByPropertyName => Sets.Any(s => s.ValueFromPipelineByPropertyName);

    public bool FromPipeline => Sets.Any(s => s.ValueFromPipeline);

    /// <summary>The names PowerShell matches a piped object's properties against, in its order: the name, then aliases.</summary>
    public IEnumerable<string> BindingNames => [Name, .. Aliases];
}

/// <summary>The settings of one [Parameter] attribute. Position is null when the parameter is named only.</summary>
public sealed record ParameterSetModel(string Name, bool Mandatory, int? Position, bool ValueFromPipeline, bool ValueFromPipelineByPropertyName, string? HelpMessage);
