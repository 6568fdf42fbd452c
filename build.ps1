# Bootstraps the build host from PowerShell and passes every argument through.
$ErrorActionPreference = 'Stop'
$env:IMAGEPIPELINE_ROOT = $PSScriptRoot
dotnet build "$PSScriptRoot/build/_build.csproj" -nologo -v q -clp:NoSummary
if ($LASTEXITCODE -ne 0) { exit 1 }
dotnet "$PSScriptRoot/artifacts$($env:IMAGEPIPELINE_ARTIFACTS_SLOT)/bin/_build/debug/_build.dll" @args
exit $LASTEXITCODE
