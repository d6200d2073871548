using System.Reflection;
using NodeOps.HelpGen;

namespace NodeOps.Module.Tests;

[Collection(ModuleCollection.Name)]
public sealed class CmdletSurfaceTests(ModuleFixture module)
{
    /// <summary>PowerShell 7.4's approved verbs (Get-Verb), by group.</summary>
    public static readonly IReadOnlyDictionary<string, string[]> ApprovedVerbs = new Dictionary<string, string[]>
    {
        ["Common"] = ["Add", "Clear", "Close", "Copy", "Enter", "Exit", "Find", "Format", "Get", "Hide", "Join", "Lock", "Move", "New", "Open", "Optimize", "Pop", "Push", "Redo", "Remove", "Rename", "Reset", "Resize", "Search", "Select", "Set", "Show", "Skip", "Split", "Step", "Switch", "Undo", "Unlock", "Watch"],
        ["Communications"] = ["Connect", "Disconnect", "Read", "Receive", "Send", "Write"],
        ["Data"] = ["Backup", "Checkpoint", "Compare", "Compress", "Convert", "ConvertFrom", "ConvertTo", "Dismount", "Edit", "Expand", "Export", "Group", "Import", "Initialize", "Limit", "Merge", "Mount", "Out", "Publish", "Restore", "Save", "Sync", "Unpublish", "Update"],
        ["Diagnostic"] = ["Debug", "Measure", "Ping", "Repair", "Resolve", "Test", "Trace"],
        ["Lifecycle"] = ["Approve", "Assert", "Build", "Complete", "Confirm", "Deny", "Deploy", "Disable", "Enable", "Install", "Invoke", "Register", "Request", "Restart", "Resume", "Start", "Stop", "Submit", "Suspend", "Uninstall", "Unregister", "Wait"],
        ["Security"] = ["Block", "Grant", "Protect", "Revoke", "Unblock", "Unprotect"],
        ["Other"] = ["Use"],
    };

    /// <summary>Approved verbs newer than the PowerShell 5.1 reference assembly.</summary>
    private static readonly HashSet<string> AddedAfterWindowsPowerShell = ["Build", "Deploy"];

    /// <summary>The commands the brief asks for, with what each emits.</summary>
    public static readonly IReadOnlyDictionary<string, string[]> Expected = new Dictionary<string, string[]>
    {
        ["Connect-GpuCloud"] = ["NodeOps.Engine.ProviderConnection"],
        ["Disconnect-GpuCloud"] = ["NodeOps.Engine.ProviderConnection"],
        ["Get-GpuCloudConnection"] = ["NodeOps.Engine.ProviderConnection"],
        ["Get-GpuNode"] = ["NodeOps.Engine.GpuNode"],
        ["Get-GpuCluster"] = ["NodeOps.Engine.GpuCluster"],
        ["Invoke-NodeRemediation"] = ["NodeOps.Engine.Remediation"],
        ["Get-Remediation"] = ["NodeOps.Engine.Remediation"],
        ["Approve-Remediation"] = ["NodeOps.Engine.Remediation"],
        ["Deny-Remediation"] = ["NodeOps.Engine.Remediation"],
        ["Stop-Remediation"] = ["NodeOps.Engine.Remediation"],
        ["Wait-Remediation"] = ["NodeOps.Engine.Remediation"],
        ["Reset-GpuNode"] = ["NodeOps.Engine.Remediation"],
        ["Import-GpuNode"] = ["NodeOps.Engine.NodeImportResult"],
        ["Remove-GpuNode"] = ["NodeOps.Engine.NodeRemovalResult"],
        ["Set-GpuNode"] = ["NodeOps.Engine.NodeUpdateResult"],
        ["Send-GpuNodeHeartbeat"] = ["NodeOps.Engine.NodeUpdateResult"],
    };

    /// <summary>Commands that change something; the first group changes state at the provider.</summary>
    private static readonly string[] RemoteMutators =
        ["Invoke-NodeRemediation", "Approve-Remediation", "Deny-Remediation", "Stop-Remediation", "Reset-GpuNode", "Import-GpuNode", "Remove-GpuNode", "Set-GpuNode", "Send-GpuNodeHeartbeat"];

    private static readonly string[] SessionMutators = ["Connect-GpuCloud", "Disconnect-GpuCloud"];

    private static readonly string[] HighImpact = ["Invoke-NodeRemediation", "Reset-GpuNode", "Remove-GpuNode", "Approve-Remediation"];

    /// <summary>Commands that emit nothing by default and so need -PassThru.</summary>
    private static readonly string[] PassThru = ["Connect-GpuCloud", "Disconnect-GpuCloud", "Remove-GpuNode", "Set-GpuNode", "Send-GpuNodeHeartbeat"];

    private static readonly string[] CommonParameters =
    [
        "Verbose", "Debug", "ErrorAction", "WarningAction", "InformationAction", "ProgressAction", "ErrorVariable", "WarningVariable",
        "InformationVariable", "OutVariable", "OutBuffer", "PipelineVariable", "WhatIf", "Confirm", "UseTransaction",
        "vb", "db", "ea", "wa", "infa", "proga", "ev", "wv", "iv", "ov", "ob", "pv", "wi", "cf",
    ];

    [Fact]
    public void The_module_has_exactly_the_commands_asked_for()
    {
        Assert.Equal(Expected.Keys.Order(StringComparer.Ordinal), module.Cmdlets.Select(c => c.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Every_verb_is_approved_and_the_list_matches_PowerShells_verb_classes()
    {
        var all = ApprovedVerbs.Values.SelectMany(v => v).ToHashSet(StringComparer.Ordinal);
        Assert.All(module.Cmdlets, c => Assert.Contains(c.Verb, all));

        // The list above is checked against the Verbs* constants of the PowerShellStandard (5.1) reference:
        // the same everywhere except the verbs PowerShell added later.
        var missing = new List<string>();
        foreach (var (group, verbs) in ApprovedVerbs.Where(g => g.Key != "Other"))
        {
            var type = module.Sma.GetType($"System.Management.Automation.Verbs{group}", throwOnError: true)!;
            var constants = type.GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => (string)f.GetRawConstantValue()!).ToHashSet(StringComparer.Ordinal);
            missing.AddRange(verbs.Where(v => !constants.Contains(v)));
            Assert.Empty(constants.Except(verbs));
        }

        Assert.Subset(AddedAfterWindowsPowerShell, missing.ToHashSet());
    }

    [Fact]
    public void Every_command_declares_OutputType_naming_what_it_emits()
    {
        foreach (var cmdlet in module.Cmdlets)
        {
            Assert.True(cmdlet.OutputTypes.Count > 0, $"{cmdlet.Name} has no [OutputType]");
            Assert.Equal(Expected[cmdlet.Name].Order(), cmdlet.OutputTypes.Select(o => o.TypeName).Distinct().Order());
            Assert.All(cmdlet.OutputTypes, o => Assert.NotNull(module.EngineType(o.TypeName)));
        }
    }

    [Fact]
    public void Mutators_support_ShouldProcess_with_the_right_impact_and_Force_and_readers_do_not()
    {
        foreach (var cmdlet in module.Cmdlets)
        {
            var mutates = RemoteMutators.Contains(cmdlet.Name) || SessionMutators.Contains(cmdlet.Name);
            Assert.True(mutates == cmdlet.SupportsShouldProcess, $"{cmdlet.Name}: SupportsShouldProcess should be {mutates}");
            if (HighImpact.Contains(cmdlet.Name))
            {
                Assert.True(cmdlet.ConfirmImpact == "High", $"{cmdlet.Name} ConfirmImpact is {cmdlet.ConfirmImpact}");
            }
            else if (mutates)
            {
                Assert.NotEqual("High", cmdlet.ConfirmImpact);
            }

            if (RemoteMutators.Contains(cmdlet.Name))
            {
                var force = cmdlet.Parameter("Force");
                Assert.True(force is { IsSwitch: true }, $"{cmdlet.Name} has no -Force switch");
            }
        }
    }

    [Fact]
    public void Commands_that_emit_nothing_by_default_have_PassThru()
    {
        foreach (var name in PassThru)
        {
            Assert.True(module.Catalog.Get(name).Parameter("PassThru") is { IsSwitch: true }, $"{name} has no -PassThru");
        }
    }

    [Fact]
    public void Redeploy_GpuNode_is_an_alias_of_Reset_GpuNode_and_the_only_alias()
    {
        var aliased = module.Cmdlets.Where(c => c.Aliases.Count > 0).ToList();
        var reset = Assert.Single(aliased);
        Assert.Equal("Reset-GpuNode", reset.Name);
        Assert.Equal(["Redeploy-GpuNode"], reset.Aliases);
    }

    [Fact]
    public void No_parameter_or_alias_collides_with_a_common_parameter_or_another_parameter()
    {
        foreach (var cmdlet in module.Cmdlets)
        {
            var names = cmdlet.Parameters.SelectMany(p => p.BindingNames).ToList();
            Assert.Equal(names.Count, names.Distinct(StringComparer.OrdinalIgnoreCase).Count());
            Assert.DoesNotContain(names, n => CommonParameters.Contains(n, StringComparer.OrdinalIgnoreCase));
        }
    }

    [Fact]
    public void Parameter_sets_are_consistent()
    {
        foreach (var cmdlet in module.Cmdlets)
        {
            var sets = cmdlet.ParameterSetNames;
            if (sets.Count > 1 || cmdlet.DefaultParameterSetName is not null)
            {
                Assert.True(cmdlet.DefaultParameterSetName is not null && sets.Contains(cmdlet.DefaultParameterSetName), $"{cmdlet.Name}: default set '{cmdlet.DefaultParameterSetName}' is not one of {string.Join(", ", sets)}");
            }

            foreach (var set in sets)
            {
                var members = cmdlet.ParametersIn(set).ToList();

                // Positions are unique within a set.
                var positions = members.Where(m => m.Set.Position is not null).Select(m => m.Set.Position).ToList();
                Assert.True(positions.Count == positions.Distinct().Count(), $"{cmdlet.Name} [{set}]: duplicate positions");

                // At most one parameter takes whole objects from the pipeline.
                Assert.True(members.Count(m => m.Set.ValueFromPipeline) <= 1, $"{cmdlet.Name} [{set}]: more than one ValueFromPipeline parameter");

                // A set other than the default must be identifiable by a parameter only it has, made mandatory.
                if (set != cmdlet.DefaultParameterSetName && sets.Count > 1)
                {
                    var own = members.Where(m => m.Set.Name == set && m.Parameter.Sets.All(s => s.Name == set)).ToList();
                    Assert.True(own.Any(m => m.Set.Mandatory), $"{cmdlet.Name} [{set}]: no mandatory parameter unique to the set");
                }
            }
        }
    }

    [Fact]
    public void Every_provider_command_takes_the_shared_connection_parameters()
    {
        foreach (var cmdlet in module.Cmdlets.Where(c => c.Noun != "GpuCloud" && c.Noun != "GpuCloudConnection"))
        {
            foreach (var name in new[] { "Connection", "ApiKey", "Endpoint", "Region" })
            {
                Assert.True(cmdlet.Parameter(name) is not null, $"{cmdlet.Name} has no -{name}");
            }

            Assert.Equal("NodeOps.Engine.ProviderConnection", cmdlet.Parameter("Connection")!.TypeFullName);
            Assert.Equal("System.Security.SecureString", cmdlet.Parameter("ApiKey")!.TypeFullName);
            Assert.True(cmdlet.Parameter("Endpoint")!.FromPipelineByPropertyName, $"{cmdlet.Name}: -Endpoint must bind by property name");
            Assert.Contains("NodeOps.Engine.CloudProvider", cmdlet.Parameter("Provider")!.TypeFullName, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Connect_takes_an_api_key_or_a_credential_and_never_a_plain_string_token()
    {
        var connect = module.Catalog.Get("Connect-GpuCloud");

        Assert.Equal("System.Security.SecureString", connect.Parameter("ApiKey")!.TypeFullName);
        Assert.Equal("System.Management.Automation.PSCredential", connect.Parameter("Credential")!.TypeFullName);
        Assert.DoesNotContain(module.Cmdlets.SelectMany(c => c.Parameters), p => p.Name.Contains("Token", StringComparison.OrdinalIgnoreCase) && p.TypeFullName == "System.String");
    }

    [Fact]
    public void Invoke_NodeRemediation_has_every_provider_setting()
    {
        var invoke = module.Catalog.Get("Invoke-NodeRemediation");

        foreach (var name in new[] { "Reason", "Mode", "Cause", "ImageId", "CloudInitUserData", "CloudInitPath", "OverrideEmpty", "IdempotencyKey" })
        {
            Assert.True(invoke.Parameter(name) is not null, $"-{name} missing");
        }

        Assert.NotEqual(
            invoke.Parameter("CloudInitUserData")!.Sets.Single().Name,
            invoke.Parameter("CloudInitPath")!.Sets.Single().Name);
    }

    [Fact]
    public void Wait_Remediation_has_a_timeout_and_Remove_GpuNode_a_release_set()
    {
        Assert.Equal("System.Int32", module.Catalog.Get("Wait-Remediation").Parameter("Timeout")!.TypeFullName);
        var remove = module.Catalog.Get("Remove-GpuNode");
        Assert.Equal(["Delete", "Release"], remove.ParameterSetNames.Order());
        Assert.True(remove.Parameter("Release")!.IsMandatoryIn("Release"));
    }
}
