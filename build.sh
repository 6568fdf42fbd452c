#!/usr/bin/env bash
# Bootstraps the build host (as Nuke's build.sh does) and passes every argument through:
#   ./build.sh RegisterImage --plan
set -eo pipefail
SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
HOST_DLL="$SCRIPT_DIR/artifacts${IMAGEPIPELINE_ARTIFACTS_SLOT}/bin/_build/debug/_build.dll"

if ! command -v dotnet >/dev/null 2>&1; then
  echo "error: the .NET SDK (dotnet) is not on PATH; install .NET 10 from https://dot.net" >&2
  exit 2
fi

# Build quietly; on failure the compiler's errors are shown.
if ! build_log=$(dotnet build "$SCRIPT_DIR/build/_build.csproj" -nologo -v q -clp:NoSummary 2>&1); then
  echo "$build_log" >&2
  exit 1
fi

# exec: Ctrl+C reaches the host itself, so its cleanups run.
exec dotnet "$HOST_DLL" "$@"
