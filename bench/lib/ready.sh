# shellcheck shell=bash
# Sourced by the bench scripts that start a gateway of their own (bench/native, bench/ota): the one wait for it to
# answer GET /q/health/ready with 200.
#
# await_ready http-port pid log [poll seconds, default 1] [limit seconds, default 300]
#   Returns once http://127.0.0.1:<http-port>/q/health/ready answers 200. Exits the script (status 1), with the log's
#   last 50 lines on stderr, when the process <pid> died first or the limit passed. Prints nothing on stdout, so that
#   it can run inside $(...) next to what the caller prints there.
# seconds_since t0
#   Prints the seconds, with milliseconds, since t0 (nanoseconds, as date +%s%N gives), e.g. from launch to ready.
await_ready() {
  local port=$1 pid=$2 log=$3 poll=${4:-1} limit=${5:-300}
  local deadline=$((SECONDS + limit))
  while ((SECONDS < deadline)); do
    # --max-time: a gateway that accepts the connection but never answers must not stall the wait past its limit.
    [[ $(curl -s -o /dev/null --max-time 5 -w '%{http_code}' "http://127.0.0.1:$port/q/health/ready") == 200 ]] &&
      return 0
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "gateway (pid $pid) exited before it was ready; the end of $log:" >&2
      tail -50 "$log" >&2
      exit 1
    fi
    sleep "$poll"
  done
  echo "gateway (pid $pid) not ready after ${limit}s; the end of $log:" >&2
  tail -50 "$log" >&2
  exit 1
}

seconds_since() {
  awk -v a="$1" -v b="$(date +%s%N)" 'BEGIN { printf "%.3f", (b - a) / 1e9 }'
}
