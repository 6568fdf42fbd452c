#!/usr/bin/env bash
# Load checks for docs/RELIABILITY.md, run on demand (not in CI):
#  1. a 20 GiB sparse ext4 image bundled and uploaded by the host, with the whole process's peak memory;
#  2. 10 offline bakes in a row against one local cloud: distinct images, and how the state and temp folders grow.
# The local cloud runs as its own process (./build.sh LocalCloud), so its memory is not counted against the host's.
# Usage: benchmarks/reliability/run.sh   (SIZE=20G, BAKES=10 by default)
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
size=${SIZE:-20G}
bakes=${BAKES:-10}
command -v /usr/bin/time >/dev/null || { echo "needs GNU time: apt-get install -y time" >&2; exit 2; }

work=$(mktemp -d /tmp/imagepipeline-load-XXXXXX)
trap 'kill "${cloud_pid:-}" 2>/dev/null || true; rm -rf "$work"' EXIT
mkdir -p "$work/.nuke"
cd "$work"  # the host runs in any folder: this one holds .nuke/
dotnet build "$repo/build/_build.csproj" -c Release -nologo -v q -clp:NoSummary -p:IMAGEPIPELINE_ARTIFACTS_SLOT=-load >/dev/null
host="$repo/artifacts-load/bin/_build/release/_build.dll"

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
dotnet "$host" LocalCloud --port "$port" > "$work/cloud.log" 2>&1 &
cloud_pid=$!
for _ in $(seq 100); do grep -q "listening" "$work/cloud.log" && break; sleep 0.2; done
endpoint="http://127.0.0.1:$port/"
printf '{ "endpoint-url": "%s", "poll-delay": 0.5 }\n' "$endpoint" > "$work/.nuke/parameters.json"
(cd "$work" && dotnet "$host" RegisterImage --plan >/dev/null)   # makes the demo keys
demo="$work/.nuke/temp/demo"

echo "## Load ($(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores)"
echo
bash /work/shared/bench/make-disk-image.sh "$work/big.img" "$size" >/dev/null
data=$(du -h "$work/big.img" | cut -f1)
(cd "$work" && /usr/bin/time -v dotnet "$host" UploadBundle --image-file "$work/big.img" --bucket load-bundles \
  --x509-cert-path "$demo/DEMO-ONLY-user-cert.pem" --x509-key-path "$demo/DEMO-ONLY-user-key.pem" \
  --ec2-cert-path "$demo/DEMO-ONLY-ec2-cert.pem" --ami-name load-image > "$work/big.log" 2> "$work/big.time")
peak=$(awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2/1024}' "$work/big.time")
wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$work/big.time")
parts=$(grep -Eo 'UploadBundle +succeeded +[^ ]+ +[0-9]+ parts' "$work/big.log" | grep -Eo '[0-9]+ parts' || echo "? parts")
echo "| check | result |"
echo "|---|---|"
echo "| $size sparse image ($data of data) bundled and uploaded | $parts, wall $wall, whole-process peak RSS $peak MiB |"

runs="$work/.nuke/temp/runs"
# The bundle of an UploadBundle-only run is kept for a later resume; the bakes below are measured on their own.
rm -rf "$runs"
ids=()
for i in $(seq "$bakes"); do
  (cd "$work" && dotnet "$host" RegisterImage --output-json "bake-$i.json" > "$work/bake-$i.log" 2>&1) || { echo "bake $i failed:"; tail -20 "$work/bake-$i.log"; exit 1; }
  ids+=("$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["outputs"]["image-id"])' "$work/bake-$i.json")")
  [ "$i" -eq 1 ] && after_first=$(du -sb "$runs" | cut -f1)
done
after_all=$(du -sb "$runs" | cut -f1)
distinct=$(printf '%s\n' "${ids[@]}" | sort -u | wc -l)
leftover_parts=$(find "$runs" -name '*.part.*' | wc -l)
tmp_files=$(find "$work/.nuke/temp" -name '*.tmp' | wc -l)
per_run=$(( (after_all - after_first) / (bakes - 1) ))
echo "| $bakes offline bakes in a row, one local cloud | $distinct distinct images; runs folder $after_first bytes after the first, $after_all after the last (about $per_run bytes per run: its JSON record and empty work folder); $leftover_parts bundle parts and $tmp_files temp files left |"
