#!/usr/bin/env bash
# Upload while bundling (issue 13): with S3 uploads limited to 50 MB/s by the local cloud's Bandwidth fault, a bake's
# BundleVolume + UploadBundle should take at most 1.15 times the longer of bundling alone and uploading alone.
# Run on demand (not in CI), as root for instance-host. Prints Markdown.
# Usage: benchmarks/upload-while-bundling/run.sh [image-file|instance-host]   (default image-file)
#   image-file     the image bundled by the host (--image-file)
#   instance-host  the image loop-mounted read-only as the --volume of a loopback sshd "instance" (root, a port of its
#                  own), bundled there by the volume bundler, parts sent with presigned PUTs (--upload-from instance)
#   SIZE=4G, SOURCE=/usr/share, RATE=52428800 bytes/s; HOST=path/to/_build.dll to use a host already built instead of
#   building Release into artifacts-overlap/
set -euo pipefail
mode=${1:-image-file}
case "$mode" in image-file|instance-host) ;; *) echo "usage: $0 [image-file|instance-host]" >&2; exit 2 ;; esac
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
size=${SIZE:-4G}
source_dir=${SOURCE:-/usr/share}
rate=${RATE:-52428800}

work=$(mktemp -d /tmp/imagepipeline-overlap-XXXXXX)
cleanup() {
  kill "${cloud_pid:-}" "${sshd_pid:-}" 2>/dev/null || true
  if mountpoint -q "$work/volume" 2>/dev/null; then umount "$work/volume"; fi
  rm -rf "$work"
}
trap cleanup EXIT
mkdir -p "$work/.nuke"
export IMAGEPIPELINE_ROOT="$work"
if [ -z "${HOST:-}" ]; then
  dotnet build "$repo/build/_build.csproj" -c Release -nologo -v q -clp:NoSummary -p:IMAGEPIPELINE_ARTIFACTS_SLOT=-overlap >/dev/null
  HOST="$repo/artifacts-overlap/bin/_build/release/_build.dll"
fi

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
port=$(free_port)
(cd "$work" && exec dotnet "$HOST" LocalCloud --port "$port") > "$work/cloud.log" 2>&1 &   # its state in $work/.nuke
cloud_pid=$!
for _ in $(seq 100); do grep -q "listening" "$work/cloud.log" && break; sleep 0.2; done
endpoint="http://127.0.0.1:$port/"
curl -fsS -X POST -H 'Content-Type: application/json' \
  -d "{\"service\":\"s3\",\"operation\":\"PutObject\",\"kind\":\"Bandwidth\",\"bytesPerSecond\":$rate}" "${endpoint}_localcloud/faults" >/dev/null
printf '{ "cloud": "local", "endpoint-url": "%s", "poll-delay": 0.5 }\n' "$endpoint" > "$work/.nuke/parameters.json"
# Throw-away keys (--plan no longer makes the offline demo's): the runs stop at UploadBundle, so no EC2 key is needed.
for who in user ec2; do
  openssl req -x509 -newkey rsa:2048 -nodes -keyout "$work/$who-key.pem" -out "$work/$who-cert.pem" -subj "/CN=overlap-$who" -days 2 2>/dev/null
done
bash /work/shared/bench/make-disk-image.sh "$work/disk.img" "$size" "$source_dir" >/dev/null

if [ "$mode" = image-file ]; then
  source_arguments=(--image-file "$work/disk.img")
else
  # The "instance": this machine over a loopback sshd that lets root in with a key made here.
  ssh-keygen -q -t ed25519 -N '' -f "$work/host_key"
  ssh-keygen -q -t ed25519 -N '' -f "$work/client_key"
  ssh_port=$(free_port)
  cat > "$work/sshd_config" <<EOF
Port $ssh_port
ListenAddress 127.0.0.1
HostKey $work/host_key
AuthorizedKeysFile $work/client_key.pub
PidFile $work/sshd.pid
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
StrictModes no
UsePAM no
Subsystem sftp internal-sftp
EOF
  mkdir -p /run/sshd
  /usr/sbin/sshd -D -e -f "$work/sshd_config" 2> "$work/sshd.log" &
  sshd_pid=$!
  for _ in $(seq 50); do (exec 3<>"/dev/tcp/127.0.0.1/$ssh_port") 2>/dev/null && break; sleep 0.1; done
  mkdir "$work/volume"
  mount -o loop,ro "$work/disk.img" "$work/volume"
  source_arguments=(--instance-host 127.0.0.1 --ssh-port "$ssh_port" --ssh-user root --ssh-key "$work/client_key"
    --ssh-host-key-fingerprint "$(ssh-keygen -l -E sha256 -f "$work/host_key.pub" | cut -d' ' -f2)"
    --volume "$work/volume" --volume-size $(( $(numfmt --from=iec "$size") / 1048576 )) --upload-from instance
    --x509-upload-path "$work/staging" --instance-bundle-destination "$work/bundle-dest")
fi

bake() { # target, prefix, extra arguments; prints the summary
  (cd "$work" && dotnet "$HOST" "$1" "${source_arguments[@]}" --bucket overlap-bundles --bundle-prefix "$2" \
    --x509-cert-path "$work/user-cert.pem" --x509-key-path "$work/user-key.pem" \
    --ec2-cert-path "$work/ec2-cert.pem" --ami-name overlap-image "${@:3}")
}
seconds() { # target name, log: the target's duration in the summary table, in seconds
  grep -E "^$1 +(succeeded|resumed)" "$2" | awk '{ split($3, t, ":"); printf "%.2f", t[1] * 60 + t[2] }'
}

fail() { cat "$1" >&2; exit 1; } # the log of a run that failed: the work folder goes with the exit
bake BundleVolume alone > "$work/alone.log" || fail "$work/alone.log"
bundling=$(seconds BundleVolume "$work/alone.log")
(cd "$work" && dotnet "$HOST" UploadBundle --resume > "$work/upload.log") || fail "$work/upload.log"
uploading=$(seconds UploadBundle "$work/upload.log")
bake UploadBundle together > "$work/together.log" || fail "$work/together.log"
together=$(python3 -c "print(round($(seconds BundleVolume "$work/together.log") + $(seconds UploadBundle "$work/together.log"), 2))")
longer=$(python3 -c "print(max($bundling, $uploading))")
ratio=$(python3 -c "print(round($together / $longer, 3))")

echo "## Upload while bundling, --$mode ($(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg))"
echo
echo "Image: \`make-disk-image.sh OUT $size $source_dir\` ($(du -h "$work/disk.img" | cut -f1) of data); S3 PUTs limited to $rate bytes/s."
echo
echo "| bundling alone (s) | uploading alone (s) | bundle + upload together (s) | together / longer | goal |"
echo "|---:|---:|---:|---:|---:|"
echo "| $bundling | $uploading | $together | $ratio | ≤ 1.15 |"
grep -E "^(BundleVolume|UploadBundle) " "$work/together.log" | sed 's/^/    /'
