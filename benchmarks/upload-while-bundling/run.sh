#!/usr/bin/env bash
# Upload while bundling (issue 13), --image-file: with S3 uploads limited to 50 MB/s by the local cloud's Bandwidth
# fault, a bake's BundleVolume + UploadBundle should take at most 1.15 times the longer of bundling alone and uploading
# alone. Run on demand (not in CI). Prints Markdown.
# Usage: benchmarks/upload-while-bundling/run.sh   (SIZE=4G, SOURCE=/usr/share, RATE=52428800 bytes/s;
#        HOST=path/to/_build.dll to use a host already built instead of building Release into artifacts-overlap/)
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
size=${SIZE:-4G}
source_dir=${SOURCE:-/usr/share}
rate=${RATE:-52428800}

work=$(mktemp -d /tmp/imagepipeline-overlap-XXXXXX)
trap 'kill "${cloud_pid:-}" 2>/dev/null || true; rm -rf "$work"' EXIT
mkdir -p "$work/.nuke"
export IMAGEPIPELINE_ROOT="$work"
if [ -z "${HOST:-}" ]; then
  dotnet build "$repo/build/_build.csproj" -c Release -nologo -v q -clp:NoSummary -p:IMAGEPIPELINE_ARTIFACTS_SLOT=-overlap >/dev/null
  HOST="$repo/artifacts-overlap/bin/_build/release/_build.dll"
fi

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
dotnet "$HOST" LocalCloud --port "$port" > "$work/cloud.log" 2>&1 &
cloud_pid=$!
for _ in $(seq 100); do grep -q "listening" "$work/cloud.log" && break; sleep 0.2; done
endpoint="http://127.0.0.1:$port/"
curl -fsS -X POST -H 'Content-Type: application/json' \
  -d "{\"service\":\"s3\",\"operation\":\"PutObject\",\"kind\":\"Bandwidth\",\"bytesPerSecond\":$rate}" "${endpoint}_localcloud/faults" >/dev/null
printf '{ "endpoint-url": "%s", "poll-delay": 0.5 }\n' "$endpoint" > "$work/.nuke/parameters.json"
(cd "$work" && dotnet "$HOST" RegisterImage --plan >/dev/null)   # makes the demo keys
demo="$work/.nuke/temp/demo"
bash /work/shared/bench/make-disk-image.sh "$work/disk.img" "$size" "$source_dir" >/dev/null

bake() { # target, prefix, extra arguments; prints the summary
  (cd "$work" && dotnet "$HOST" "$1" --image-file "$work/disk.img" --bucket overlap-bundles --bundle-prefix "$2" \
    --x509-cert-path "$demo/DEMO-ONLY-user-cert.pem" --x509-key-path "$demo/DEMO-ONLY-user-key.pem" \
    --ec2-cert-path "$demo/DEMO-ONLY-ec2-cert.pem" --ami-name overlap-image "${@:3}")
}
seconds() { # target name, log: the target's duration in the summary table, in seconds
  grep -E "^$1 +(succeeded|resumed)" "$2" | awk '{ split($3, t, ":"); printf "%.2f", t[1] * 60 + t[2] }'
}

bake BundleVolume alone > "$work/alone.log"
bundling=$(seconds BundleVolume "$work/alone.log")
(cd "$work" && dotnet "$HOST" UploadBundle --resume > "$work/upload.log")
uploading=$(seconds UploadBundle "$work/upload.log")
bake UploadBundle together > "$work/together.log"
together=$(python3 -c "print(round($(seconds BundleVolume "$work/together.log") + $(seconds UploadBundle "$work/together.log"), 2))")
longer=$(python3 -c "print(max($bundling, $uploading))")
ratio=$(python3 -c "print(round($together / $longer, 3))")

echo "## Upload while bundling, --image-file ($(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg))"
echo
echo "Image: \`make-disk-image.sh OUT $size $source_dir\` ($(du -h "$work/disk.img" | cut -f1) of data); S3 PUTs limited to $rate bytes/s."
echo
echo "| bundling alone (s) | uploading alone (s) | bundle + upload together (s) | together / longer | goal |"
echo "|---:|---:|---:|---:|---:|"
echo "| $bundling | $uploading | $together | $ratio | ≤ 1.15 |"
grep -E "^(BundleVolume|UploadBundle) " "$work/together.log" | sed 's/^/    /'
