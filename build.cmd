:; set -eo pipefail
:; SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
:; "$SCRIPT_DIR/build.sh" "$@"; exit $?

@ECHO OFF
REM Bootstraps the build host on Windows and passes every argument through.
SET IMAGEPIPELINE_ROOT=%~dp0
dotnet build "%~dp0build\_build.csproj" -nologo -v q -clp:NoSummary || EXIT /B 1
dotnet "%~dp0artifacts%IMAGEPIPELINE_ARTIFACTS_SLOT%\bin\_build\debug\_build.dll" %*
