#Requires -Version 7.4
<#
.SYNOPSIS
    Builds the NodeOps module into out/NodeOps, and optionally tests it or runs a demo against the emulator.

.DESCRIPTION
    build.ps1 wraps the same steps `dotnet build` does (the src/NodeOps project assembles the module folder):

      out/NodeOps/NodeOps.psd1, NodeOps.dll, formats/, en-US/ (MAML help), dependencies/ (engine + packages)

    -Test  runs every xunit project (dotnet test NodeOps.sln) and then the Pester suite in tests/pester when
           Pester 5.3 or later is installed, in a child pwsh.
    -Demo  builds the provider emulator, starts it on a free loopback port, runs the demo pipeline
           (tools/Demo.ps1: imports out/NodeOps in a child pwsh and connects to every provider at the emulator
           with a dummy token) and stops the emulator again, also when the demo fails or is interrupted.

    Needs only PowerShell 7.4 or later and the .NET SDK named in global.json.

.EXAMPLE
    ./build.ps1 -Demo

.EXAMPLE
    ./build.ps1 -Configuration Release -Test
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
# Exit codes of dotnet and of the child pwsh are checked here, with messages that say what failed.
$PSNativeCommandUseErrorActionPreference = $false

$root = $PSScriptRoot
$moduleDir = Join-Path $root 'out' 'NodeOps'
$env:DOTNET_CLI_TELEMETRY_OPTOUT = '1'
$env:DOTNET_NOLOGO = '1'
# The child processes (the Pester run and the demo) run in the same pwsh as this script. Started as
# `dotnet pwsh.dll` (a dotnet-tool or NuGet copy), it is started the same way: its apphost would need the
# runtime in a default location or DOTNET_ROOT, which `dotnet` on PATH does not promise. Hosted elsewhere
# (an editor, an SDK host), the pwsh beside $PSHOME or on PATH.
$pwsh = [Environment]::ProcessPath
$pwshDll = @()
switch ([IO.Path]::GetFileNameWithoutExtension($pwsh)) {
    'pwsh' { }
    'dotnet' { $pwshDll = @(Join-Path $PSHOME 'pwsh.dll') }
    default {
        $pwsh = Join-Path $PSHOME ($IsWindows ? 'pwsh.exe' : 'pwsh')
        if (-not (Test-Path -LiteralPath $pwsh -PathType Leaf)) {
            $pwsh = (Get-Command pwsh -CommandType Application | Select-Object -First 1).Source
        }
    }
}

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
        Write-Warning 'Pester 5.3 or later is not installed; skipping tests/pester (Install-Module Pester -MinimumVersion 5.3 -Scope CurrentUser).'
    }
    else {
        # A child process, so the module, its process-wide connections and the emulator the suite starts never
        # linger in this session. The values travel as environment variables and the command is passed encoded,
        # so no quoting rule of any platform applies.
        $runner = @'
$ErrorActionPreference = 'Stop'
Import-Module $env:NODEOPS_PESTER_MODULE
$config = New-PesterConfiguration
$config.Run.Path = $env:NODEOPS_PESTER_PATH
$config.Run.Exit = $true
$config.Output.Verbosity = 'Detailed'
Invoke-Pester -Configuration $config
'@
        $saved = @{}
        $variables = @{
            NODEOPS_PESTER_MODULE      = $pester.Path
            NODEOPS_PESTER_PATH        = Join-Path $root 'tests' 'pester'
            NODEOPS_TEST_CONFIGURATION = $Configuration
        }
        foreach ($name in $variables.Keys) {
            $saved[$name] = [Environment]::GetEnvironmentVariable($name)
            [Environment]::SetEnvironmentVariable($name, $variables[$name])
        }
        try {
            & $pwsh @pwshDll -NoProfile -NonInteractive -EncodedCommand ([Convert]::ToBase64String([Text.Encoding]::Unicode.GetBytes($runner)))
            $pesterExit = $LASTEXITCODE
        }
        finally {
            foreach ($name in $saved.Keys) { [Environment]::SetEnvironmentVariable($name, $saved[$name]) }
        }
        if ($pesterExit -ne 0) {
            throw "The Pester suite failed (exit code $pesterExit)."
        }
    }
}

# ---- demo --------------------------------------------------------------------------------------
if ($Demo) {
    Invoke-Dotnet build (Join-Path $root 'src' 'NodeOps.Emulator' 'NodeOps.Emulator.csproj') --configuration $Configuration
    $emulatorDll = Get-ChildItem (Join-Path $root 'src' 'NodeOps.Emulator' 'bin' $Configuration) -Recurse -Filter 'NodeOps.Emulator.dll' |
        Sort-Object LastWriteTimeUtc -Descending |
        Select-Object -First 1
    if ($null -eq $emulatorDll) {
        throw 'NodeOps.Emulator.dll was not built.'
    }

    $stamp = [guid]::NewGuid().ToString('n')
    $portFile = Join-Path ([IO.Path]::GetTempPath()) "nodeops-demo-$stamp.url"
    $logFile = Join-Path ([IO.Path]::GetTempPath()) "nodeops-demo-$stamp.out.log"
    $errFile = Join-Path ([IO.Path]::GetTempPath()) "nodeops-demo-$stamp.err.log"
    # The built dll under `dotnet`: one process to stop (`dotnet run` would leave the server running as a child).
    # Start-Process joins the arguments into one command line and quotes nothing, so paths are quoted here.
    $arguments = @("`"$($emulatorDll.FullName)`"", '--urls', 'http://127.0.0.1:0', '--port-file', "`"$portFile`"", '--together-step-ms', '1500')
    $emulator = $null
    $demoFailed = $true
    try {
        $emulator = Start-Process -FilePath 'dotnet' -ArgumentList $arguments -PassThru -NoNewWindow `
            -RedirectStandardOutput $logFile -RedirectStandardError $errFile

        $deadline = [DateTime]::UtcNow.AddSeconds(60)
        while (-not (Test-Path $portFile) -or [string]::IsNullOrWhiteSpace((Get-Content $portFile -Raw))) {
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

        & $pwsh @pwshDll -NoProfile -NonInteractive -File (Join-Path $root 'tools' 'Demo.ps1') -ModulePath (Join-Path $moduleDir 'NodeOps.psd1') -BaseUrl $baseUrl
        if ($LASTEXITCODE -ne 0) {
            throw "The demo failed (exit code $LASTEXITCODE); the emulator's output is in $logFile and $errFile."
        }
        $demoFailed = $false
    }
    finally {
        # Also runs on Ctrl+C. Stop the emulator before writing anything: a stopping pipeline may refuse output.
        if ($null -ne $emulator -and -not $emulator.HasExited) {
            Stop-Process -Id $emulator.Id -Force -ErrorAction SilentlyContinue
            $null = $emulator.WaitForExit(10000)
        }
        Remove-Item -LiteralPath $portFile -ErrorAction SilentlyContinue
        if (-not $demoFailed) {
            Remove-Item -LiteralPath $logFile, $errFile -ErrorAction SilentlyContinue
        }
        else {
            # A CI report shows the end of the output: the emulator's last words belong there, not only in a file.
            foreach ($file in $logFile, $errFile) {
                if (Test-Path -LiteralPath $file) {
                    Write-Host "--- last lines of $file" -ForegroundColor DarkGray
                    Get-Content -LiteralPath $file -Tail 30 | Write-Host
                }
            }
        }
        Write-Host 'Emulator stopped.' -ForegroundColor DarkGray
    }
}
