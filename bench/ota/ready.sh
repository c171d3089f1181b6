# Sourced by bench/ota/run.sh and create.sh: await_ready http-port pid log waits (at most 300 s) until the gateway
# answers /q/health/ready, and exits with the log's tail when it died or never got ready.
await_ready() {
  for _ in $(seq 1 300); do
    curl -sf "http://127.0.0.1:$1/q/health/ready" >/dev/null && return 0
    kill -0 "$2" 2>/dev/null || break
    sleep 1
  done
  tail -50 "$3"
  exit 1
}
