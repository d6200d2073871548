using System.Reflection;
using System.Runtime.InteropServices;

namespace NodeOps.HelpGen;

/// <summary>
/// Reads the cmdlets of a module assembly with <see cref="MetadataLoadContext"/>: attributes are read as data,
/// nothing is executed, so the PowerShellStandard reference assembly is all that PowerShell contributes.
/// </summary>
public sealed class CmdletCatalog : IDisposable
{
    public const string Sma = "System.Management.Automation";

    private readonly MetadataLoadContext _context;

    private CmdletCatalog(MetadataLoadContext context, Assembly module)
    {
        _context = context;
        Module = module;
        Cmdlets = module.GetTypes()
            .Where(t => t.IsPublic && !t.IsAbstract && Attribute(t, "CmdletAttribute") is not null)
            .Select(Read)
            .OrderBy(c => c.Name, StringComparer.Ordinal)
            .ToList();
    }

    public Assembly Module { get; }

    public MetadataLoadContext Context => _context;

    public IReadOnlyList<CmdletModel> Cmdlets { get; }

    /// <summary>
    /// Opens <paramref name="moduleAssembly"/> (NodeOps.dll of the module folder) with the module's
    /// dependencies/ folder, the PowerShell reference assembly and the running .NET's framework assemblies.
    /// </summary>
    public static CmdletCatalog Open(string moduleAssembly, string smaReferencePath)
    {
        var moduleDir = Path.GetDirectoryName(Path.GetFullPath(moduleAssembly))!;
        var paths = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var dll in Directory.EnumerateFiles(RuntimeEnvironment.GetRuntimeDirectory(), "*.dll"))
        {
            paths[Path.GetFileName(dll)] = dll;
        }

        var dependencies = Path.Combine(moduleDir, "dependencies");
        if (Directory.Exists(dependencies))
        {
            foreach (var dll in Directory.EnumerateFiles(dependencies, "*.dll"))
            {
                paths[Path.GetFileName(dll)] = dll;
            }
        }

        paths[Path.GetFileName(smaReferencePath)] = smaReferencePath;
        paths[Path.GetFileName(moduleAssembly)] = Path.GetFullPath(moduleAssembly);
        var context = new MetadataLoadContext(new PathAssemblyResolver(paths.Values));
        try
        {
            return new CmdletCatalog(context, context.LoadFromAssemblyPath(Path.GetFullPath(moduleAssembly)));
        }
        catch
        {
            context.Dispose();
            throw;
        }
    }

    public CmdletModel Get(string name) =>
        Cmdlets.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new KeyNotFoundException($"No cmdlet {name}.");

    public Type SmaType(string name) => _context.LoadFromAssemblyName(Sma).GetType($"{Sma}.{name}", throwOnError: true)!;

    public void Dispose() => _context.Dispose();

    /// <summary>The [Attribute] of <paramref name="member"/> whose type is named <paramref name="name"/> in PowerShell's namespace.</summary>
    public static CustomAttributeData? Attribute(MemberInfo member, string name) =>
        Attributes(member, name).FirstOrDefault();

    public static IEnumerable<CustomAttributeData> Attributes(MemberInfo member, string name) =>
        member.GetCustomAttributesData().Where(a => a.AttributeType.FullName == $"{Sma}.{name}");

    public static T? Named<T>(CustomAttributeData attribute, string name)
    {
        foreach (var arg in attribute.NamedArguments)
        {
            if (arg.MemberName == name)
            {
                return (T?)Unwrap(arg.TypedValue);
            }
        }

        return default;
    }

    /// <summary>Constructor arguments flattened (params arrays expanded).</summary>
    public static IReadOnlyList<object?> CtorValues(CustomAttributeData attribute) =>
        attribute.ConstructorArguments.SelectMany(a => a.Value is IReadOnlyCollection<CustomAttributeTypedArgument> many ? many.Select(m => m.Value) : [a.Value]).ToList();

    private static object? Unwrap(CustomAttributeTypedArgument arg) => arg.Value switch
    {
        IReadOnlyCollection<CustomAttributeTypedArgument> many => many.Select(m => m.Value?.ToString() ?? string.Empty).ToArray(),
        _ => arg.Value,
    };

    private CmdletModel Read(Type type)
    {
        var cmdlet = Attribute(type, "CmdletAttribute")!;
        var ctor = CtorValues(cmdlet);
        var impact = Named<object>(cmdlet, "ConfirmImpact") is { } raw ? EnumName(SmaType("ConfirmImpact"), raw) : "Medium";
        var aliases = Attributes(type, "AliasAttribute").SelectMany(a => CtorValues(a).Select(v => (string)v!)).ToList();
        var outputs = Attributes(type, "OutputTypeAttribute")
            .SelectMany(a => CtorValues(a).Select(v => new OutputTypeModel(
                v is Type t ? t.FullName! : (string)v!,
                Named<string[]>(a, "ParameterSetName") ?? [])))
            .ToList();
        var parameters = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Select(p => (Property: p, Attributes: Attributes(p, "ParameterAttribute").ToList()))
            .Where(p => p.Attributes.Count > 0)
            .Select(p => ReadParameter(p.Property, p.Attributes))
            .ToList();
        return new CmdletModel(
            (string)ctor[0]!,
            (string)ctor[1]!,
            type.FullName!,
            Named<bool>(cmdlet, "SupportsShouldProcess"),
            impact,
            Named<string>(cmdlet, "DefaultParameterSetName"),
            aliases,
            outputs,
            parameters);
    }

    private static ParameterModel ReadParameter(PropertyInfo property, List<CustomAttributeData> attributes)
    {
        var type = property.PropertyType;
        var element = type.IsArray ? type.GetElementType()! : type;
        var underlying = UnwrapNullable(element);
        var sets = attributes.Select(a => new ParameterSetModel(
            Named<string>(a, "ParameterSetName") ?? CmdletModel.AllParameterSets,
            Named<bool>(a, "Mandatory"),
            Named<object>(a, "Position") is int position && position >= 0 ? position : null,
            Named<bool>(a, "ValueFromPipeline"),
            Named<bool>(a, "ValueFromPipelineByPropertyName"),
            Named<string>(a, "HelpMessage"))).ToList();
        var aliases = Attributes(property, "AliasAttribute").SelectMany(a => CtorValues(a).Select(v => (string)v!)).ToList();
        var validateSet = Attributes(property, "ValidateSetAttribute").SelectMany(a => CtorValues(a).Select(v => (string)v!)).ToList();
        var enumValues = underlying.IsEnum
            ? underlying.GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => f.Name).ToList()
            : [];
        var display = underlying.Name + (type.IsArray ? "[]" : string.Empty);
        return new ParameterModel(
            property.Name,
            (underlying.FullName ?? underlying.Name) + (type.IsArray ? "[]" : string.Empty),
            display,
            underlying.FullName == $"{Sma}.SwitchParameter",
            type.IsArray,
            aliases,
            sets,
            enumValues,
            validateSet,
            property.DeclaringType!.FullName!);
    }

    /// <summary>T for Nullable&lt;T&gt;. (<see cref="Nullable.GetUnderlyingType"/> compares with the runtime's Nullable, not MetadataLoadContext's.)</summary>
    public static Type UnwrapNullable(Type type) =>
        type.IsGenericType && type.GetGenericTypeDefinition().FullName == "System.Nullable`1" ? type.GetGenericArguments()[0] : type;

    /// <summary>The name of an enum value read as data (MetadataLoadContext types cannot be used with <see cref="Enum"/>).</summary>
    public static string EnumName(Type enumType, object value)
    {
        var number = Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture);
        foreach (var field in enumType.GetFields(BindingFlags.Public | BindingFlags.Static))
        {
            if (Convert.ToInt64(field.GetRawConstantValue(), System.Globalization.CultureInfo.InvariantCulture) == number)
            {
                return field.Name;
            }
        }

        return number.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}
