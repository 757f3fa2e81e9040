#!/usr/bin/env bash
# Prints a Markdown table of the last campaign's statistics from fuzz/logs.
cd "$(dirname "$0")"
echo "| target | CPU s | executions | exec/s | coverage (edges) | features | corpus | peak RSS |"
echo "|---|---|---|---|---|---|---|---|"
for log in logs/*.log; do
  t=$(basename "$log" .log)
  runs=$(grep -m1 'stat::number_of_executed_units' "$log" | awk '{print $2}')
  rate=$(grep -m1 'stat::average_exec_per_sec' "$log" | awk '{print $2}')
  rss=$(grep -m1 'stat::peak_rss_mb' "$log" | awk '{print $2}')
  last=$(grep -E '^#[0-9]+' "$log" | tail -1)
  cov=$(echo "$last" | sed -n 's/.*cov: \([0-9]*\).*/\1/p')
  ft=$(echo "$last" | sed -n 's/.* ft: \([0-9]*\).*/\1/p')
  corp=$(echo "$last" | sed -n 's/.*corp: \([0-9]*\)\/.*/\1/p')
  # user + system seconds, from run-all.sh's /usr/bin/time record
  cpu=$(sed -n 's/^cpu_seconds=//p' "logs/$t.time" 2>/dev/null | tail -1 | bc 2>/dev/null)
  echo "| \`$t\` | ${cpu:-?} | $runs | $rate | $cov | $ft | $corp | ${rss} MB |"
done
