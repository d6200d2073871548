using System.Text;
using System.Xml;

namespace NodeOps.HelpGen;

/// <summary>Writes PowerShell's MAML help (the <c>&lt;assembly&gt;.dll-Help.xml</c> Get-Help reads for binary modules).</summary>
public static class MamlWriter
{
    public const string MshNs = "http://msh";
    public const string MamlNs = "http://schemas.microsoft.com/maml/2004/10";
    public const string CommandNs = "http://schemas.microsoft.com/maml/dev/command/2004/10";
    public const string DevNs = "http://schemas.microsoft.com/maml/dev/2004/10";
    public const string MsHelpNs = "http://msdn.microsoft.com/mshelp";

    public static string Write(IReadOnlyList<CmdletModel> cmdlets, IReadOnlyDictionary<string, HelpDocument> documents)
    {
        var settings = new XmlWriterSettings { Indent = true, Encoding = new UTF8Encoding(false), OmitXmlDeclaration = false };
        var text = new StringBuilder();
        using (var stringWriter = new StringWriterUtf8(text))
        using (var x = XmlWriter.Create(stringWriter, settings))
        {
            x.WriteStartDocument();
            x.WriteStartElement("helpItems", MshNs);
            x.WriteAttributeString("schema", "maml");
            foreach (var cmdlet in cmdlets)
            {
                WriteCommand(x, cmdlet, documents[cmdlet.Name]);
            }

            x.WriteEndElement();
            x.WriteEndDocument();
        }

        return text.ToString();
    }

    private static void WriteCommand(XmlWriter x, CmdletModel cmdlet, HelpDocument doc)
    {
        x.WriteStartElement("command", "command", CommandNs);
        x.WriteAttributeString("xmlns", "maml", null, MamlNs);
        x.WriteAttributeString("xmlns", "command", null, CommandNs);
        x.WriteAttributeString("xmlns", "dev", null, DevNs);
        x.WriteAttributeString("xmlns", "MSHelp", null, MsHelpNs);

        x.WriteStartElement("command", "details", CommandNs);
        x.WriteElementString("command", "name", CommandNs, cmdlet.Name);
        x.WriteElementString("command", "verb", CommandNs, cmdlet.Verb);
        x.WriteElementString("command", "noun", CommandNs, cmdlet.Noun);
        Description(x, [doc.Synopsis]);
        x.WriteEndElement();

        Description(x, doc.Description);

        x.WriteStartElement("command", "syntax", CommandNs);
        foreach (var set in cmdlet.ParameterSetNames)
        {
            x.WriteStartElement("command", "syntaxItem", CommandNs);
            x.WriteElementString("maml", "name", MamlNs, cmdlet.Name);
            var ordered = cmdlet.ParametersIn(set)
                .OrderBy(p => p.Set.Position ?? int.MaxValue)
                .ThenByDescending(p => p.Set.Mandatory)
                .ThenBy(p => p.Parameter.IsSwitch);
            foreach (var (parameter, settings) in ordered)
            {
                Parameter(x, parameter, settings.Mandatory, settings.Position, PipelineInput(parameter, settings), forSyntax: true, doc);
            }

            ShouldProcessParameters(x, cmdlet, forSyntax: true);
            x.WriteEndElement();
        }

        x.WriteEndElement();

        x.WriteStartElement("command", "parameters", CommandNs);
        foreach (var parameter in cmdlet.Parameters)
        {
            var sets = parameter.Sets;
            var mandatory = sets.All(s => s.Mandatory);
            var positions = sets.Select(s => s.Position).Distinct().ToList();
            var pipeline = string.Join(", ", sets.Select(s => PipelineInput(parameter, s)).Distinct().Where(s => s != "False"));
            Parameter(x, parameter, mandatory, positions.Count == 1 ? positions[0] : null, pipeline.Length == 0 ? "False" : pipeline, forSyntax: false, doc);
        }

        ShouldProcessParameters(x, cmdlet, forSyntax: false);
        x.WriteEndElement();

        x.WriteStartElement("command", "inputTypes", CommandNs);
        var inputs = cmdlet.Parameters.Where(p => p.FromPipeline).Select(p => p.TypeFullName).Distinct().ToList();
        var byName = cmdlet.Parameters.Where(p => p.FromPipelineByPropertyName).Select(p => p.Name).ToList();
        foreach (var input in inputs)
        {
            TypeEntry(x, "inputType", input, [$"{input} objects bind to the parameter that takes them from the pipeline."]);
        }

        if (byName.Count > 0)
        {
            TypeEntry(x, "inputType", "System.Management.Automation.PSObject", doc.Inputs.Count > 0
                ? doc.Inputs
                : [$"Any object with the properties {string.Join(", ", byName)} (for example a NodeOps object from another command) binds by property name."]);
        }
        else if (inputs.Count == 0)
        {
            TypeEntry(x, "inputType", "None", ["This command takes no pipeline input."]);
        }

        x.WriteEndElement();

        x.WriteStartElement("command", "returnValues", CommandNs);
        var outputs = cmdlet.OutputTypes.Select(o => o.TypeName).Distinct().ToList();
        foreach (var output in outputs)
        {
            var sets = cmdlet.OutputTypes.Where(o => o.TypeName == output).SelectMany(o => o.ParameterSets).ToList();
            var when = sets.Count > 0 ? $" (parameter set {string.Join(", ", sets)})" : string.Empty;
            TypeEntry(x, "returnValue", output, doc.Outputs.Count > 0 ? doc.Outputs : [$"{output}{when}."]);
        }

        x.WriteEndElement();

        if (doc.Notes.Count > 0)
        {
            x.WriteStartElement("maml", "alertSet", MamlNs);
            x.WriteStartElement("maml", "alert", MamlNs);
            foreach (var para in doc.Notes)
            {
                x.WriteElementString("maml", "para", MamlNs, para);
            }

            x.WriteEndElement();
            x.WriteEndElement();
        }

        x.WriteStartElement("command", "examples", CommandNs);
        var n = 0;
        foreach (var example in doc.Examples)
        {
            n++;
            x.WriteStartElement("command", "example", CommandNs);
            x.WriteElementString("maml", "title", MamlNs, $"-------------------------- {example.Title} --------------------------");
            x.WriteElementString("dev", "code", DevNs, example.Code);
            x.WriteStartElement("dev", "remarks", DevNs);
            foreach (var para in example.Remarks.Split("\n\n"))
            {
                x.WriteElementString("maml", "para", MamlNs, para);
            }

            x.WriteEndElement();
            x.WriteEndElement();
        }

        x.WriteEndElement();

        x.WriteStartElement("command", "relatedLinks", CommandNs);
        foreach (var (text, uri) in doc.Links)
        {
            x.WriteStartElement("maml", "navigationLink", MamlNs);
            x.WriteElementString("maml", "linkText", MamlNs, text);
            x.WriteElementString("maml", "uri", MamlNs, uri);
            x.WriteEndElement();
        }

        x.WriteEndElement();
        x.WriteEndElement();
    }

    private static void Parameter(XmlWriter x, ParameterModel parameter, bool mandatory, int? position, string pipeline, bool forSyntax, HelpDocument doc)
    {
        x.WriteStartElement("command", "parameter", CommandNs);
        x.WriteAttributeString("required", mandatory ? "true" : "false");
        x.WriteAttributeString("variableLength", parameter.IsArray ? "true" : "false");
        x.WriteAttributeString("globbing", "false");
        x.WriteAttributeString("pipelineInput", pipeline);
        x.WriteAttributeString("position", position is { } p ? (p + 1).ToString(System.Globalization.CultureInfo.InvariantCulture) : "named");
        x.WriteAttributeString("aliases", parameter.Aliases.Count > 0 ? string.Join(", ", parameter.Aliases) : "none");
        x.WriteElementString("maml", "name", MamlNs, parameter.Name);
        var description = doc.Parameters.TryGetValue(parameter.Name, out var text) ? text.ToList() : [];
        var values = parameter.EnumValues.Count > 0 ? parameter.EnumValues : parameter.ValidateSet;
        if (values.Count > 0 && !forSyntax)
        {
            description.Add("Possible values: " + string.Join(", ", values));
        }

        Description(x, description);
        if (values.Count > 0)
        {
            x.WriteStartElement("command", "parameterValueGroup", CommandNs);
            foreach (var value in values)
            {
                x.WriteStartElement("command", "parameterValue", CommandNs);
                x.WriteAttributeString("required", "false");
                x.WriteAttributeString("variableLength", "false");
                x.WriteString(value);
                x.WriteEndElement();
            }

            x.WriteEndElement();
        }

        if (!parameter.IsSwitch || !forSyntax)
        {
            x.WriteStartElement("command", "parameterValue", CommandNs);
            x.WriteAttributeString("required", parameter.IsSwitch ? "false" : "true");
            x.WriteAttributeString("variableLength", parameter.IsArray ? "true" : "false");
            x.WriteString(parameter.TypeDisplayName);
            x.WriteEndElement();
        }

        if (!forSyntax)
        {
            x.WriteStartElement("dev", "type", DevNs);
            x.WriteElementString("maml", "name", MamlNs, parameter.TypeFullName);
            x.WriteElementString("maml", "uri", MamlNs, string.Empty);
            x.WriteEndElement();
            x.WriteElementString("dev", "defaultValue", DevNs, parameter.IsSwitch ? "False" : "None");
        }

        x.WriteEndElement();
    }

    private static void ShouldProcessParameters(XmlWriter x, CmdletModel cmdlet, bool forSyntax)
    {
        if (!cmdlet.SupportsShouldProcess)
        {
            return;
        }

        foreach (var (name, text) in HelpValidator.ShouldProcessParameters)
        {
            x.WriteStartElement("command", "parameter", CommandNs);
            x.WriteAttributeString("required", "false");
            x.WriteAttributeString("variableLength", "false");
            x.WriteAttributeString("globbing", "false");
            x.WriteAttributeString("pipelineInput", "False");
            x.WriteAttributeString("position", "named");
            x.WriteAttributeString("aliases", name == "WhatIf" ? "wi" : "cf");
            x.WriteElementString("maml", "name", MamlNs, name);
            Description(x, [text]);
            if (!forSyntax)
            {
                x.WriteStartElement("command", "parameterValue", CommandNs);
                x.WriteAttributeString("required", "false");
                x.WriteAttributeString("variableLength", "false");
                x.WriteString("SwitchParameter");
                x.WriteEndElement();
                x.WriteStartElement("dev", "type", DevNs);
                x.WriteElementString("maml", "name", MamlNs, "System.Management.Automation.SwitchParameter");
                x.WriteElementString("maml", "uri", MamlNs, string.Empty);
                x.WriteEndElement();
                x.WriteElementString("dev", "defaultValue", DevNs, "False");
            }

            x.WriteEndElement();
        }
    }

    private static string PipelineInput(ParameterModel parameter, ParameterSetModel set) => (set.ValueFromPipeline, set.ValueFromPipelineByPropertyName) switch
    {
        (true, true) => "True (ByValue, ByPropertyName)",
        (true, false) => "True (ByValue)",
        (false, true) => "True (ByPropertyName)",
        _ => "False",
    };

    private static void TypeEntry(XmlWriter x, string element, string typeName, IReadOnlyList<string> description)
    {
        x.WriteStartElement("command", element, CommandNs);
        x.WriteStartElement("dev", "type", DevNs);
        x.WriteElementString("maml", "name", MamlNs, typeName);
        x.WriteEndElement();
        Description(x, description);
        x.WriteEndElement();
    }

    private static void Description(XmlWriter x, IReadOnlyList<string> paragraphs)
    {
        x.WriteStartElement("maml", "description", MamlNs);
        foreach (var para in paragraphs)
        {
            x.WriteElementString("maml", "para", MamlNs, para);
        }

        x.WriteEndElement();
    }

    private sealed class StringWriterUtf8(StringBuilder builder) : StringWriter(builder, System.Globalization.CultureInfo.InvariantCulture)
    {
        public override Encoding Encoding => new UTF8Encoding(false);
    }
}
