#!/usr/bin/env bash
# Times ImagePipeline's bundler against /work/shared/bench/reference-bundle.sh (tar -S | gzip -9 | openssl) on the same
# realistic sparse ext4 images, alternating the two, and prints a Markdown table.
# Usage: benchmarks/bundling/run.sh            (ROUNDS=3 SIZES="1G 10G" SOURCE=/usr/share/doc by default)
#   EXTRA_LEVELS="6 9" also times our bundler at other gzip levels (the product uses level 7), to show what each level costs.
# Measures wall time and peak RSS with /usr/bin/time -v, and output size (sum of the part files).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
bench=${BENCH_SCRIPTS:-/work/shared/bench}
rounds=${ROUNDS:-3}
sizes=${SIZES:-"1G 10G"}
source_dir=${SOURCE:-/usr/share/doc}
extra_levels=${EXTRA_LEVELS:-}
export IMAGEPIPELINE_ARTIFACTS_SLOT=${IMAGEPIPELINE_ARTIFACTS_SLOT:--bundling}

if [[ ! -x /usr/bin/time ]]; then
  apt-get update && apt-get install -y time
fi

dotnet build -c Release "$here/ImagePipeline.Benchmarks.Bundling.csproj" -v q -nologo >&2
ours="$repo/artifacts$IMAGEPIPELINE_ARTIFACTS_SLOT/bin/ImagePipeline.Benchmarks.Bundling/release/ImagePipeline.Benchmarks.Bundling"

work=$(mktemp -d "${TMPDIR:-/tmp}/bundling-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
for who in user ec2; do
  openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=$who" \
    -keyout "$work/pk-$who.pem" -out "$work/cert-$who.pem" 2>/dev/null
  chmod 600 "$work/pk-$who.pem"
done

# run NAME OUTFILE CMD...: runs CMD under /usr/bin/time -v; appends "name seconds rss_kib bytes cpu_seconds" to OUTFILE.
run() {
  local name=$1 results=$2 out=$work/out
  shift 2
  rm -rf "$out" && mkdir -p "$out"
  /usr/bin/time -v -o "$work/time.txt" "$@" "$out" >/dev/null
  local wall rss bytes cpu
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i]; print s }' "$work/time.txt")
  rss=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$work/time.txt")
  cpu=$(awk -F': ' '/User time|System time/ { s += $2 } END { print s }' "$work/time.txt")
  bytes=$(cat "$out"/*.part.* | wc -c)
  echo "$name $wall $rss $bytes $cpu" >> "$results"
  rm -rf "$out"
}

echo "Machine: $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo); load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| image | data | tool | round | wall (s) | CPU user+sys (s) | peak RSS (MiB) | output (bytes) |"
echo "| --- | --- | --- | --- | ---: | ---: | ---: | ---: |"
summary=""
for size in $sizes; do
  image=$work/disk.img
  "$bench/make-disk-image.sh" "$image" "$size" "$source_dir" >&2
  data=$(du -h "$image" | cut -f1)
  results=$work/results-$size.txt
  : > "$results"
  for round in $(seq 1 "$rounds"); do
    # Rotate who goes first so no tool always gets the warmer page cache.
    tools=(ours reference)
    for level in $extra_levels; do tools+=("ours-level-$level"); done
    shift_by=$(( (round - 1) % ${#tools[@]} ))
    order=("${tools[@]:shift_by}" "${tools[@]:0:shift_by}")
    for tool in "${order[@]}"; do
      case $tool in
        ours) run ours "$results" bash -c '"$0" "$1" "$5" "$2" "$3" "$4"' "$ours" "$image" "$work/cert-user.pem" "$work/pk-user.pem" "$work/cert-ec2.pem" ;;
        ours-level-*) run "$tool" "$results" bash -c '"$0" "$1" "$6" "$2" "$3" "$4" "$5"' "$ours" "$image" "$work/cert-user.pem" "$work/pk-user.pem" "$work/cert-ec2.pem" "${tool#ours-level-}" ;;
        reference) run reference "$results" "$bench/reference-bundle.sh" "$image" ;;
      esac
      tail -1 "$results" | awk -v size="$size" -v data="$data" -v round="$round" \
        '{ printf "| %s | %s | %s | %s | %.2f | %.2f | %.0f | %d |\n", size, data, $1, round, $2, $5, $3 / 1024, $4 }'
    done
  done
  summary+=$(awk -v size="$size" '
    { wall[$1] += $2; cpu[$1] += $5; n[$1]++; if ($3 > rss[$1]) rss[$1] = $3; bytes[$1] = $4 }
    END {
      ref = wall["reference"] / n["reference"]
      for (tool in n) {
        printf "| %s | %s | %.2f | %.2f | %.2fx | %.0f | %+.2f%% |\n", size, tool, wall[tool] / n[tool], cpu[tool] / n[tool],
          ref / (wall[tool] / n[tool]), rss[tool] / 1024, (bytes[tool] - bytes["reference"]) * 100 / bytes["reference"]
      }
    }' "$results" | sort)$'\n'
  rm -f "$image"
done
echo
echo "Means over the rounds; peak RSS is the highest seen (for the reference pipeline: its largest single process)."
echo
echo "| image | tool | mean wall (s) | mean CPU user+sys (s) | speed-up vs reference (wall) | peak RSS (MiB) | output vs reference |"
echo "| --- | --- | ---: | ---: | ---: | ---: | ---: |"
printf "%s" "$summary"
echo
echo "Load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
