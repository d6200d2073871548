@{
    # The binary module. The engine and its packages are under dependencies/ and load into a private
    # AssemblyLoadContext from NodeOps.dll's module initializer; they must not be listed in RequiredAssemblies
    # or NestedModules, which would load them into the default context.
    RootModule           = 'NodeOps.dll'
    ModuleVersion        = '0.1.0'
    GUID                 = 'eda147ac-1a24-43d8-a883-66102f21c986'
    Author               = 'NodeOps maintainers'
    CompanyName          = 'NodeOps maintainers'
    Copyright            = '(c) NodeOps maintainers. All rights reserved.'
    Description          = 'Day-to-day GPU node operations on Voltage Park, Exalsius, Together AI and SF Compute behind one object model: list nodes and clusters, remediate unhealthy nodes, approve or deny pending remediations, redeploy, import and remove nodes. Built for interactive shells and Azure Automation runbooks alike.'
    PowerShellVersion    = '7.4'
    CompatiblePSEditions = @('Core')

    FormatsToProcess     = @('formats/NodeOps.Format.ps1xml')

    # Explicit lists (no wildcards): command discovery works without loading the module, and a module test
    # checks them against the cmdlet classes and their [Alias] attributes.
    CmdletsToExport      = @(
        'Approve-Remediation'
        'Connect-GpuCloud'
        'Deny-Remediation'
        'Disconnect-GpuCloud'
        'Get-GpuCloudConnection'
        'Get-GpuCluster'
        'Get-GpuNode'
        'Get-Remediation'
        'Import-GpuNode'
        'Invoke-NodeRemediation'
        'Remove-GpuNode'
        'Reset-GpuNode'
        'Send-GpuNodeHeartbeat'
        'Set-GpuNode'
        'Stop-Remediation'
        'Wait-Remediation'
    )
    AliasesToExport      = @(
        'Redeploy-GpuNode'
    )
    FunctionsToExport    = @()
    VariablesToExport    = @()

    PrivateData          = @{
        PSData = @{
            Tags         = @('GPU', 'Cloud', 'Operations', 'Remediation', 'VoltagePark', 'Exalsius', 'TogetherAI', 'SFCompute', 'Automation', 'PSEdition_Core', 'Linux', 'Windows', 'MacOS')
            ProjectUri   = 'https://github.com/nodeops/nodeops'
            LicenseUri   = 'https://github.com/nodeops/nodeops/blob/main/LICENSE'
            ReleaseNotes = @'
0.1.0
- Connect-GpuCloud, Disconnect-GpuCloud, Get-GpuCloudConnection: session connections per provider and endpoint/region.
- Get-GpuNode, Get-GpuCluster across providers, streamed page by page.
- Invoke-NodeRemediation (batched per Voltage Park fleet, idempotent with -IdempotencyKey), Get/Approve/Deny/Stop/Wait-Remediation.
- Reset-GpuNode (alias Redeploy-GpuNode), Import-GpuNode, Remove-GpuNode (-Release for SF Compute), Set-GpuNode, Send-GpuNodeHeartbeat.
- The engine and its dependencies load into a private AssemblyLoadContext, so NodeOps coexists with modules that ship other versions of Polly or System.Text.Json.
'@
        }
    }
}
