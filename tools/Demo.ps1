#Requires -Version 7.2
<#
.SYNOPSIS
    The NodeOps demo pipeline, run by build.ps1 -Demo against a running emulator.

.DESCRIPTION
    Imports the module, connects to every provider available in this build at the emulator (dummy token), then:
    lists every provider's nodes; shows what remediating the unhealthy ones would do (-WhatIf); remediates one
    Together node for real and waits for it; approves the Together remediations waiting for approval.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $BaseUrl
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

function Step([string] $Text) { Write-Host "`n=== $Text" -ForegroundColor Cyan }

Import-Module $ModulePath -Force
$token = ConvertTo-SecureString 'demo-token' -AsPlainText -Force

Step 'Connect-GpuCloud to each provider at the emulator'
foreach ($provider in 'VoltagePark', 'Exalsius', 'Together', 'SFCompute') {
    $endpoint = "$BaseUrl/$($provider.ToLowerInvariant())"
    $connection = Connect-GpuCloud -Provider $provider -Endpoint $endpoint -ApiKey $token -PassThru -ErrorAction SilentlyContinue -ErrorVariable failed
    if ($connection) {
        $connection
    }
    else {
        Write-Warning "$provider is not available in this build: $($failed[0].Exception.Message)"
    }
}

Step 'Get-GpuNode: the nodes of every provider'
$nodes = @(Get-GpuNode -ErrorAction Continue)
$nodes | Group-Object Provider | Select-Object Name, Count | Format-Table -AutoSize
$nodes | Sort-Object Provider, Status | Select-Object -First 15 | Format-Table

Step 'Unhealthy nodes -> Invoke-NodeRemediation -WhatIf (nothing is sent)'
$unhealthy = @($nodes | Where-Object Status -in 'Degraded', 'Failed')
$unhealthy | Format-Table Provider, Id, Status, ProviderStatus, ClusterId
$unhealthy | Invoke-NodeRemediation -Reason 'demo: unhealthy node' -Cause 'DEMO' -WhatIf -ErrorAction Continue

Step 'A real Together remediation, waited for'
$ready = $nodes | Where-Object { $_.Provider -eq 'Together' -and $_.Status -eq 'Ready' } | Select-Object -First 1
if ($ready) {
    $ready |
        Invoke-NodeRemediation -Reason 'demo: replace the VM' -Mode VmOnly -Force -Verbose |
        Wait-Remediation -PollInterval 1 -Timeout 120 |
        Format-List Provider, Id, NodeId, State, ProviderState, Action, CreatedAt, CompletedAt
}
else {
    Write-Warning 'No Ready Together node to remediate.'
}

Step 'Get-Remediation -State PendingApproval | Approve-Remediation'
$clusters = @(Get-GpuCluster -Provider Together -ErrorAction SilentlyContinue)
foreach ($cluster in $clusters) {
    $pending = @(Get-Remediation -Provider Together -ClusterId $cluster.Id -State PendingApproval)
    "Cluster $($cluster.Name): $($pending.Count) remediation(s) waiting for approval"
    $pending | Approve-Remediation -Comment 'approved by the NodeOps demo' -Force | Format-Table
}

Step 'Done'
