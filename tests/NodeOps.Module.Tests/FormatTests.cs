using System.Reflection;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace NodeOps.Module.Tests;

[Collection(ModuleCollection.Name)]
public sealed partial class FormatTests(ModuleFixture module)
{
    private IEnumerable<XElement> Views => module.FormatXml.Descendants("View");

    private static string TypeOf(XElement view) => view.Element("ViewSelectedBy")!.Element("TypeName")!.Value;

    private static PropertyInfo? Property(Type type, string name) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance).FirstOrDefault(p => p.Name == name);

    [Fact]
    public void Every_emitted_type_has_a_table_view_and_a_list_view()
    {
        var emitted = module.Cmdlets.SelectMany(c => c.OutputTypes).Select(o => o.TypeName).Distinct();
        foreach (var type in emitted)
        {
            var views = Views.Where(v => TypeOf(v) == type).ToList();
            Assert.True(views.Any(v => v.Element("TableControl") is not null), $"{type} has no table view");
            Assert.True(views.Any(v => v.Element("ListControl") is not null), $"{type} has no list view");

            // The table comes first, so it is the default view.
            Assert.NotNull(views[0].Element("TableControl"));
        }
    }

    [Fact]
    public void Every_property_a_view_names_exists_on_its_type()
    {
        foreach (var view in Views)
        {
            var type = module.EngineType(TypeOf(view));
            foreach (var entry in view.Descendants().Where(e => e.Name.LocalName is "ListEntry" or "TableRowEntry"))
            {
                var entryType = entry.Element("EntrySelectedBy")?.Element("TypeName")?.Value is { } selected ? module.EngineType(selected) : type;
                Assert.True(type.IsAssignableFrom(entryType), $"{entryType} is not a {type}");
                foreach (var property in entry.Descendants("PropertyName"))
                {
                    Assert.True(Property(entryType, property.Value) is not null, $"{view.Element("Name")!.Value}: {entryType.Name} has no property {property.Value}");
                }

                foreach (var script in entry.Descendants("ScriptBlock"))
                {
                    foreach (Match m in PropertyChain().Matches(script.Value))
                    {
                        var first = Property(entryType, m.Groups[1].Value);
                        Assert.True(first is not null, $"{view.Element("Name")!.Value}: script uses $_.{m.Groups[1].Value}, which {entryType.Name} lacks");
                        if (m.Groups[2].Success)
                        {
                            var inner = NodeOps.HelpGen.CmdletCatalog.UnwrapNullable(first.PropertyType);
                            var second = Property(inner, m.Groups[2].Value);
                            Assert.True(second is not null || inner.GetMethods().Any(x => x.Name == m.Groups[2].Value), $"{view.Element("Name")!.Value}: $_.{m.Groups[1].Value}.{m.Groups[2].Value} does not exist");
                        }
                    }
                }
            }
        }
    }

    [Fact]
    public void Tables_fit_in_120_columns()
    {
        foreach (var view in Views.Where(v => v.Element("TableControl") is not null))
        {
            var widths = view.Descendants("TableColumnHeader").Select(h => int.Parse(h.Element("Width")!.Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();
            var total = widths.Sum() + widths.Count - 1;
            Assert.True(total <= 119, $"{view.Element("Name")!.Value} is {total} columns wide");
        }
    }

    [Fact]
    public void Node_and_remediation_tables_show_what_on_call_needs()
    {
        string Labels(string type) => string.Join(",", Views.Single(v => TypeOf(v) == type && v.Element("TableControl") is not null).Descendants("Label").Select(l => l.Value));

        Assert.Equal("Provider,Status,Id,Name,GpuType,GPUs,ClusterId,Age", Labels("NodeOps.Engine.GpuNode"));
        Assert.Equal("State,Provider,NodeId,Action,Reason,Created,Completed", Labels("NodeOps.Engine.Remediation"));
    }

    [Fact]
    public void No_view_shows_a_token()
    {
        var text = module.FormatXml.ToString();

        Assert.DoesNotMatch(@"(?i)\.Token\b|<PropertyName>\s*(Token|Credential)\s*</PropertyName>", text);
        var connection = Views.Where(v => TypeOf(v) == "NodeOps.Engine.ProviderConnection").SelectMany(v => v.Descendants("ScriptBlock")).Select(s => s.Value.Trim());
        Assert.All(connection, s => Assert.Equal("$_.Credential.Source", s));
        Assert.Null(Property(module.EngineType("NodeOps.Engine.ApiCredential"), "Token"));
    }

    /// <summary>$_.Property or $_.Property.Member in a view's script block.</summary>
    [GeneratedRegex(@"\$_\.([A-Za-z]+)(?:\.([A-Za-z]+))?")]
    private static partial Regex PropertyChain();
}
