using System.Reflection;

namespace NodeOps.Module.Tests;

/// <summary>The module folder layout, and the rule that keeps PowerShell's type scan from needing the engine.</summary>
[Collection(ModuleCollection.Name)]
public sealed class LayoutTests(ModuleFixture module)
{
    [Fact]
    public void The_module_folder_has_the_manifest_the_cmdlets_views_help_and_dependencies()
    {
        foreach (var file in new[] { "NodeOps.psd1", "NodeOps.dll", "formats/NodeOps.Format.ps1xml", "en-US/NodeOps.dll-Help.xml", "dependencies/NodeOps.Engine.dll", "dependencies/Polly.Core.dll" })
        {
            Assert.True(File.Exists(Path.Combine(module.ModuleDir, file)), $"out/NodeOps/{file} is missing");
        }
    }

    [Fact]
    public void NodeOps_dll_never_sits_next_to_the_engine_or_its_packages_and_PowerShell_is_not_shipped()
    {
        var topLevel = Directory.GetFiles(module.ModuleDir, "*.dll").Select(Path.GetFileName);

        Assert.Equal(["NodeOps.dll"], topLevel);
        Assert.Empty(Directory.GetFiles(module.ModuleDir, "System.Management.Automation.dll", SearchOption.AllDirectories));
        Assert.Empty(Directory.GetFiles(module.DependenciesDir, "NodeOps.dll"));
    }

    [Fact]
    public void Every_assembly_the_engine_needs_outside_the_framework_is_in_dependencies()
    {
        var shipped = Directory.GetFiles(module.DependenciesDir, "*.dll").Select(Path.GetFileNameWithoutExtension).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var framework = Directory.GetFiles(System.Runtime.InteropServices.RuntimeEnvironment.GetRuntimeDirectory(), "*.dll").Select(Path.GetFileNameWithoutExtension).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var pending = new Queue<string>(["NodeOps.Engine"]);
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        while (pending.TryDequeue(out var name))
        {
            if (!seen.Add(name) || framework.Contains(name))
            {
                continue;
            }

            Assert.True(shipped.Contains(name), $"{name} is needed by the engine but not in dependencies/");
            foreach (var reference in module.Catalog.Context.LoadFromAssemblyPath(Path.Combine(module.DependenciesDir, name + ".dll")).GetReferencedAssemblies())
            {
                pending.Enqueue(reference.Name!);
            }
        }
    }

    [Fact]
    public void The_engines_public_api_exposes_no_Polly_or_System_Text_Json_types()
    {
        foreach (var type in module.Engine.GetExportedTypes())
        {
            var members = type.GetMembers(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly);
            foreach (var member in members)
            {
                var types = member switch
                {
                    PropertyInfo p => [p.PropertyType],
                    FieldInfo f => [f.FieldType],
                    MethodInfo m => m.GetParameters().Select(x => x.ParameterType).Append(m.ReturnType),
                    ConstructorInfo c => c.GetParameters().Select(x => x.ParameterType),
                    _ => Array.Empty<Type>(),
                };
                foreach (var t in types.SelectMany(Flatten))
                {
                    var assembly = t.Assembly.GetName().Name;
                    Assert.False(assembly is "Polly.Core" or "System.Text.Json", $"{type.FullName}.{member.Name} exposes {t.FullName} from {assembly}");
                }
            }
        }
    }

    /// <summary>
    /// PowerShell lists NodeOps.dll's public types before it runs the module initializer that makes the engine
    /// loadable. Loading a class loads its base types and interfaces and the value types of its fields, so none
    /// of those may come from the engine (reference-typed properties are fine: they load when used).
    /// </summary>
    [Fact]
    public void Public_types_of_NodeOps_dll_load_without_the_engine()
    {
        foreach (var type in module.Catalog.Module.GetExportedTypes())
        {
            for (var b = type.BaseType; b is not null; b = b.BaseType)
            {
                Assert.False(FromEngine(b), $"{type.Name} derives from {b.FullName}");
            }

            Assert.DoesNotContain(type.GetInterfaces(), FromEngine);
            foreach (var field in type.GetFields(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
            {
                var offending = Flatten(field.FieldType).Where(t => t.IsValueType && FromEngine(t)).ToList();
                Assert.True(offending.Count == 0, $"{type.Name}.{field.Name} has engine value type {string.Join(", ", offending.Select(t => t.Name))}");
            }
        }
    }

    [Fact]
    public void The_module_initializer_is_public_with_a_default_constructor_and_both_PowerShell_interfaces()
    {
        var initializer = module.Catalog.Module.GetType("NodeOps.Loading.ModuleInitializer", throwOnError: true)!;

        Assert.True(initializer.IsPublic);
        Assert.NotNull(initializer.GetConstructor(Type.EmptyTypes));
        var interfaces = initializer.GetInterfaces().Select(i => i.FullName).ToList();
        Assert.Contains("System.Management.Automation.IModuleAssemblyInitializer", interfaces);
        Assert.Contains("System.Management.Automation.IModuleAssemblyCleanup", interfaces);
    }

    private static bool FromEngine(Type t) => t.Assembly.GetName().Name is "NodeOps.Engine" or "Polly.Core";

    private static IEnumerable<Type> Flatten(Type t)
    {
        yield return t;
        if (t.HasElementType)
        {
            foreach (var inner in Flatten(t.GetElementType()!))
            {
                yield return inner;
            }
        }

        if (t.IsGenericType)
        {
            foreach (var inner in t.GetGenericArguments().SelectMany(Flatten))
            {
                yield return inner;
            }
        }
    }
}
