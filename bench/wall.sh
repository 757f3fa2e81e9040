# Sourced by the bench scripts: `wall N LABEL COMMAND...` runs COMMAND once
# to warm the page cache, then N times, and prints the best, median and mean
# wall time in milliseconds. Output of the command is dropped.
wall() {
  local n=$1 label=$2
  shift 2
  "$@" > /dev/null # warm the page cache
  local times=() start end
  for _ in $(seq "$n"); do
    start=$(date +%s%N)
    "$@" > /dev/null
    end=$(date +%s%N)
    times+=("$(( (end - start) / 1000 ))")
  done
  printf '%s\n' "${times[@]}" | sort -n | awk -v f="$label" '
    { t[NR] = $1; s += $1 }
    END { printf "%-48s best %.1f ms  median %.1f ms  mean %.1f ms  (%d runs, wall)\n", f, t[1] / 1000, t[int((NR + 1) / 2)] / 1000, s / NR / 1000, NR }'
}
