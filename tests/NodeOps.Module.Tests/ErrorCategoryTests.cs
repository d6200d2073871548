using System.Reflection;

namespace NodeOps.Module.Tests;

[Collection(ModuleCollection.Name)]
public sealed class ErrorCategoryTests(ModuleFixture module)
{
    private static Dictionary<string, long> Values(Type enumType) =>
        enumType.GetFields(BindingFlags.Public | BindingFlags.Static)
            .ToDictionary(f => f.Name, f => Convert.ToInt64(f.GetRawConstantValue(), System.Globalization.CultureInfo.InvariantCulture));

    [Fact]
    public void The_engines_NodeOpsErrorCategory_mirrors_PowerShells_ErrorCategory_by_name_and_value()
    {
        var engine = Values(module.EngineType("NodeOps.Engine.NodeOpsErrorCategory"));
        var powershell = Values(module.Sma.GetType("System.Management.Automation.ErrorCategory", throwOnError: true)!);

        Assert.NotEmpty(engine);
        foreach (var (name, value) in engine)
        {
            Assert.True(powershell.TryGetValue(name, out var expected), $"ErrorCategory has no {name}");
            Assert.True(expected == value, $"{name} is {value} in the engine but {expected} in PowerShell");
        }
    }

    [Fact]
    public void The_categories_the_brief_names_are_there()
    {
        var engine = Values(module.EngineType("NodeOps.Engine.NodeOpsErrorCategory"));

        foreach (var name in new[] { "ObjectNotFound", "AuthenticationError", "PermissionDenied", "ResourceExists", "InvalidOperation", "LimitsExceeded", "ConnectionError" })
        {
            Assert.Contains(name, engine.Keys);
        }
    }
}
