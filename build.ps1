#Requires -Version 7.2
<#
.SYNOPSIS
    Builds the NodeOps module into out/NodeOps, and optionally tests it or runs a demo against the emulator.

.DESCRIPTION
    build.ps1 wraps the same steps `dotnet build` does (the src/NodeOps project assembles the module folder):

      out/NodeOps/NodeOps.psd1, NodeOps.dll, formats/, en-US/ (MAML help), dependencies/ (engine + packages)

    -Test  runs every xunit project (dotnet test NodeOps.sln) and then the Pester suite in tests/pester when
           Pester 5 is installed.
    -Demo  starts the provider emulator on a free loopback port, imports out/NodeOps in a child pwsh,
           connects to every provider at the emulator with a dummy token, runs the demo pipeline
           (tools/Demo.ps1) and stops the emulator.

.EXAMPLE
    ./build.ps1 -Configuration Release -Test

.EXAMPLE
    ./build.ps1 -Demo
#>
[CmdletBinding()]
param(
    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Debug',

    [switch] $Test,

    [switch] $Demo
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

$root = $PSScriptRoot
$moduleDir = Join-Path $root 'out' 'NodeOps'
$env:DOTNET_CLI_TELEMETRY_OPTOUT = '1'
$env:DOTNET_NOLOGO = '1'

# A simple function (no param block), so options such as --configuration reach dotnet untouched via $args.
function Invoke-Dotnet {
    Write-Host "dotnet $($args -join ' ')" -ForegroundColor DarkGray
    & dotnet @args
    if ($LASTEXITCODE -ne 0) {
        throw "dotnet $($args[0]) failed with exit code $LASTEXITCODE."
    }
}

# ---- build -------------------------------------------------------------------------------------
Invoke-Dotnet build (Join-Path $root 'src' 'NodeOps' 'NodeOps.csproj') --configuration $Configuration
if (-not (Test-Path (Join-Path $moduleDir 'NodeOps.psd1'))) {
    throw "The build did not assemble $moduleDir."
}
Write-Host "Module assembled in $moduleDir" -ForegroundColor Green

# ---- test --------------------------------------------------------------------------------------
if ($Test) {
    Invoke-Dotnet test (Join-Path $root 'NodeOps.sln') --configuration $Configuration

    $pester = Get-Module -ListAvailable -Name Pester | Where-Object { $_.Version -ge [version]'5.3' } |
        Sort-Object Version -Descending | Select-Object -First 1
    if ($null -eq $pester) {
        Write-Warning 'Pester 5 is not installed; skipping tests/pester (Install-Module Pester -MinimumVersion 5.3 -Scope CurrentUser).'
    }
    else {
        # A child process, so the module and emulator the suite starts never linger in this session.
        $script = @'
param($Path, $Configuration, $PesterPath)
Import-Module $PesterPath
$config = New-PesterConfiguration
$config.Run.Path = $Path
$config.Run.Exit = $true
$config.Output.Verbosity = 'Detailed'
$env:NODEOPS_TEST_CONFIGURATION = $Configuration
Invoke-Pester -Configuration $config
'@
        $pwsh = (Get-Process -Id $PID).Path
        & $pwsh -NoProfile -NonInteractive -Command ([scriptblock]::Create($script)) -args (Join-Path $root 'tests' 'pester'), $Configuration, $pester.Path
        if ($LASTEXITCODE -ne 0) {
            throw "Pester reported $LASTEXITCODE failure(s)."
        }
    }
}

# ---- demo --------------------------------------------------------------------------------------
if ($Demo) {
    Invoke-Dotnet build (Join-Path $root 'src' 'NodeOps.Emulator' 'NodeOps.Emulator.csproj') --configuration $Configuration
    $emulatorDll = Get-ChildItem (Join-Path $root 'src' 'NodeOps.Emulator' 'bin' $Configuration) -Recurse -Filter 'NodeOps.Emulator.dll' |
        Select-Object -First 1
    if ($null -eq $emulatorDll) {
        throw 'NodeOps.Emulator.dll was not built.'
    }

    $portFile = Join-Path ([IO.Path]::GetTempPath()) "nodeops-demo-$PID.url"
    Remove-Item $portFile -ErrorAction SilentlyContinue
    $logFile = Join-Path ([IO.Path]::GetTempPath()) "nodeops-demo-$PID.out.log"
    $errFile = Join-Path ([IO.Path]::GetTempPath()) "nodeops-demo-$PID.err.log"
    # Start-Process joins the arguments into one command line, so paths are quoted here.
    $arguments = @("`"$($emulatorDll.FullName)`"", '--urls', 'http://127.0.0.1:0', '--port-file', "`"$portFile`"", '--together-step-ms', '1500')
    $emulator = Start-Process -FilePath 'dotnet' -ArgumentList $arguments -PassThru -NoNewWindow `
        -RedirectStandardOutput $logFile -RedirectStandardError $errFile

    try {
        $deadline = [DateTime]::UtcNow.AddSeconds(60)
        while (-not (Test-Path $portFile) -or -not (Get-Content $portFile -Raw)) {
            if ($emulator.HasExited) {
                throw "The emulator exited with code $($emulator.ExitCode); see $logFile and $errFile."
            }
            if ([DateTime]::UtcNow -gt $deadline) {
                throw "The emulator did not start within 60 s; see $logFile and $errFile."
            }
            Start-Sleep -Milliseconds 200
        }
        $baseUrl = (Get-Content $portFile -Raw).Trim().TrimEnd('/')
        Write-Host "Emulator listening at $baseUrl" -ForegroundColor Green

        $pwsh = (Get-Process -Id $PID).Path
        & $pwsh -NoProfile -File (Join-Path $root 'tools' 'Demo.ps1') -ModulePath (Join-Path $moduleDir 'NodeOps.psd1') -BaseUrl $baseUrl
        if ($LASTEXITCODE -ne 0) {
            throw "The demo failed (exit code $LASTEXITCODE)."
        }
    }
    finally {
        if (-not $emulator.HasExited) {
            Stop-Process -Id $emulator.Id -ErrorAction SilentlyContinue
        }
        Remove-Item $portFile -ErrorAction SilentlyContinue
        Write-Host 'Emulator stopped.' -ForegroundColor DarkGray
    }
}
