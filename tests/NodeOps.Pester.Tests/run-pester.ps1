<#
    Runs the Pester suite and writes a JSON summary for tests/NodeOps.Pester.Tests to read. Pester's own
    report goes to standard output (plain text: it lands in a CI log, not a console).
#>
param(
    [Parameter(Mandatory)] [string] $PesterManifest,
    [Parameter(Mandatory)] [string] $SuitePath,
    [Parameter(Mandatory)] [string] $SummaryPath
)
$ErrorActionPreference = 'Stop'
Import-Module -Name $PesterManifest -Force
$config = New-PesterConfiguration
$config.Run.Path = $SuitePath
$config.Run.PassThru = $true
$config.Output.Verbosity = 'Detailed'
$config.Output.RenderMode = 'Plaintext'
$config.Output.CIFormat = 'None'
$run = Invoke-Pester -Configuration $config

function Format-PesterError($Records) {
    @(foreach ($e in $Records) {
            $message = if ($e.DisplayErrorMessage) { $e.DisplayErrorMessage } else { $e.Exception.Message }
            $where = if ($e.DisplayStackTrace) { $e.DisplayStackTrace } else { $e.ScriptStackTrace }
            "$message`n$where".Trim()
        }) -join "`n"
}
# Tests under a failed BeforeAll/AfterAll fail without an error of their own: count them instead of listing
# each (the block's error says why).
$ownErrors = @($run.Failed | Where-Object { $_.ErrorRecord.Count -gt 0 })
$blockVictims = $run.Failed.Count - $ownErrors.Count
$failures = @(
    foreach ($c in $run.FailedContainers) { "[container] $($c.Item)`n$(Format-PesterError $c.ErrorRecord)" }
    foreach ($b in $run.FailedBlocks) { "[block] $($b.ExpandedPath)`n$(Format-PesterError $b.ErrorRecord)" }
    foreach ($t in $ownErrors) { "[test] $($t.ExpandedPath)`n$(Format-PesterError $t.ErrorRecord)" }
    if ($blockVictims -gt 0) { "[tests] $blockVictims failed because a block around them failed" }
)
[ordered]@{
    result           = [string] $run.Result
    passed           = [int] $run.PassedCount
    failed           = [int] $run.FailedCount
    skipped          = [int] $run.SkippedCount
    notRun           = [int] $run.NotRunCount
    total            = [int] $run.TotalCount
    failedBlocks     = [int] $run.FailedBlocksCount
    failedContainers = [int] $run.FailedContainersCount
    duration         = [string] $run.Duration
    failures         = [string[]] $failures
} | ConvertTo-Json -Depth 3 | Set-Content -LiteralPath $SummaryPath -Encoding utf8
