#Requires -Version 7.4
<#
.SYNOPSIS
    The NodeOps demo pipeline, run by build.ps1 -Demo against a running emulator.

.DESCRIPTION
    Imports the module and connects to every provider available in this build at the emulator (dummy token),
    then:
      1. lists the nodes of every provider (Get-GpuNode);
      2. shows what remediating the Degraded ones would do (Invoke-NodeRemediation -WhatIf: nothing is sent),
         and the clear error a provider without remediation (Exalsius) gives;
      3. remediates one Together node for real and waits for it (Invoke-NodeRemediation | Wait-Remediation);
      4. approves the Together remediations waiting for approval
         (Get-Remediation -State PendingApproval | Approve-Remediation).

    Every command is scoped to the emulator's connections (piped connections, -Connection, or objects that carry
    their endpoint), so connections or token variables you may have for real clouds are never used.

.PARAMETER ModulePath
    The module manifest to import, normally out/NodeOps/NodeOps.psd1.

.PARAMETER BaseUrl
    The emulator's base address, for example http://127.0.0.1:5080 (its --port-file holds it).

.EXAMPLE
    ./build.ps1 -Demo

.EXAMPLE
    dotnet run --project src/NodeOps.Emulator -- --urls http://127.0.0.1:5080
    # in another shell:
    ./tools/Demo.ps1 -ModulePath ./out/NodeOps/NodeOps.psd1 -BaseUrl http://127.0.0.1:5080
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $BaseUrl
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

# Everything is written to the host as it happens (Out-Host), so tables and messages appear in order.
function Write-Step([string] $Text) { Write-Host "`n=== $Text" -ForegroundColor Cyan }

# Output that goes to a file or a CI log has no window, so PowerShell lays tables out for 80 columns and
# squeezes the module's views (designed for 120) into wrapped one-letter headers. There, lay them out at 120.
# A steppable pipeline, so each object still shows as it arrives (Wait-Remediation's result, say).
function Out-Demo {
    [CmdletBinding()]
    param([Parameter(ValueFromPipeline)] $InputObject)
    begin {
        $out = if ([Console]::IsOutputRedirected) { { Out-String -Stream -Width 120 | Out-Host } } else { { Out-Host } }
        $pipeline = $out.GetSteppablePipeline($MyInvocation.CommandOrigin)
        $pipeline.Begin($PSCmdlet)
    }
    process { $pipeline.Process($InputObject) }
    end { $pipeline.End() }
}

Import-Module $ModulePath -Force
$BaseUrl = $BaseUrl.TrimEnd('/')
$token = ConvertTo-SecureString 'demo-token' -AsPlainText -Force
$connections = @()

try {
    Write-Step "Connect-GpuCloud: every provider at the emulator ($BaseUrl), with a dummy token"
    $connections = @(foreach ($provider in 'VoltagePark', 'Exalsius', 'Together', 'SFCompute') {
            $connection = Connect-GpuCloud -Provider $provider -Endpoint "$BaseUrl/$($provider.ToLowerInvariant())" -ApiKey $token -PassThru `
                -ErrorAction SilentlyContinue -ErrorVariable failed
            if ($null -ne $connection) {
                $connection
            }
            else {
                Write-Warning "$provider is not available in this build: $(@($failed | ForEach-Object { $_.Exception.Message }) -join ' ')"
            }
        })
    $connections | Format-Table | Out-Demo

    Write-Step 'Get-GpuNode: the nodes of every provider'
    # Each connection binds -Provider and -Endpoint by property name.
    $nodes = @($connections | Get-GpuNode -ErrorAction Continue)
    $nodes | Group-Object Provider, Status -NoElement | Sort-Object Name | Format-Table Count, Name -AutoSize | Out-Demo
    $nodes | Sort-Object Provider, Status | Select-Object -First 15 | Format-Table | Out-Demo

    Write-Step 'Degraded nodes | Invoke-NodeRemediation -WhatIf (nothing is sent)'
    $degraded = @($nodes | Where-Object Status -eq Degraded)
    $degraded | Format-Table Provider, Id, Status, ProviderStatus, ClusterId | Out-Demo
    # -Cause is what Voltage Park requires; the other providers ignore it.
    $degraded | Invoke-NodeRemediation -Reason 'demo: degraded node' -Cause 'DEMO' -WhatIf -ErrorAction SilentlyContinue -ErrorVariable refused
    foreach ($record in $refused) {
        $errorId = $record.FullyQualifiedErrorId.Split(',')[0]
        Write-Host "  refused: $($record.TargetObject) -> $errorId ($($record.CategoryInfo.Category)): $($record.Exception.Message)" -ForegroundColor Yellow
        if ($null -ne $record.ErrorDetails -and $record.ErrorDetails.RecommendedAction) {
            Write-Host "           $($record.ErrorDetails.RecommendedAction)" -ForegroundColor Yellow
        }
    }

    $together = $connections | Where-Object Provider -eq 'Together' | Select-Object -First 1
    if ($null -eq $together) {
        Write-Warning 'Together is not available in this build; skipping the remediation and approval steps.'
    }
    else {
        Write-Step 'A real Together remediation: Invoke-NodeRemediation | Wait-Remediation (-Verbose shows each request)'
        $ready = $nodes | Where-Object { $_.Provider -eq 'Together' -and $_.Status -eq 'Ready' -and $null -eq $_.LatestRemediation } |
            Select-Object -First 1
        if ($null -ne $ready) {
            $ready |
                Invoke-NodeRemediation -Reason 'demo: replace the VM' -Mode VmOnly -Force -Verbose |
                Wait-Remediation -PollInterval 1 -Timeout 120 |
                Format-List Provider, Id, NodeId, State, ProviderState, Action, Reason, CreatedAt, StartedAt, CompletedAt |
                Out-Demo
        }
        else {
            Write-Warning 'No Ready Together node without a remediation to remediate.'
        }

        Write-Step 'Get-Remediation -State PendingApproval | Approve-Remediation'
        foreach ($cluster in @(Get-GpuCluster -Connection $together)) {
            $pending = @(Get-Remediation -Connection $together -Provider Together -ClusterId $cluster.Id -State PendingApproval)
            Write-Host "Cluster $($cluster.Name): $($pending.Count) remediation(s) waiting for approval"
            if ($pending.Count -gt 0) {
                $pending | Approve-Remediation -Comment 'approved by the NodeOps demo' -Force | Format-Table | Out-Demo
            }
        }
    }

    Write-Step 'Done'
}
finally {
    # Connections are process-wide: leave none behind when this script runs in an interactive session. (Guarded:
    # Disconnect-GpuCloud with no input and no parameters would forget every connection, not only these.)
    if ($connections.Count -gt 0) {
        $connections | Disconnect-GpuCloud -ErrorAction SilentlyContinue
    }
}
