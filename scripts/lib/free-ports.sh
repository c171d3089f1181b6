# Sourced by the scripts that pick loopback ports and start a gateway, cloud or VM on them seconds later (the demo,
# the Ansible checks, the benches, the image checks): free_ports KIND... prints one port per KIND (tcp or udp),
# all different, each free now; free_port [KIND] prints one (tcp by default).
#
# The ports come from below the kernel's ephemeral range, as the Java tests' FreePorts picks them: the kernel hands
# ports of that range to every outgoing connection, and in the seconds between the pick and the bind one of the
# machine's connections took such a port (a loaded soak run, 12-07 04:53: the demo's gateway could not bind its MQTT
# port, "Address already in use"). Below the range only another explicit pick can take a port. Where the range
# leaves no room below it, the kernel's own pick of the right kind is used.
free_ports() {
  python3 - "$@" <<'PY'
import random
import socket
import sys

LOWEST = 10000
try:
    with open("/proc/sys/net/ipv4/ip_local_port_range") as f:
        low = int(f.read().split()[0])
except (OSError, ValueError, IndexError):
    low = 32768  # not Linux: other systems' ranges start higher still


def bind(kind, port):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM if kind == "tcp" else socket.SOCK_DGRAM)
    try:
        s.bind(("127.0.0.1", port))
        return s.getsockname()[1]
    finally:
        s.close()


given = []
for kind in sys.argv[1:] or ["tcp"]:
    if kind not in ("tcp", "udp"):
        sys.exit("free_ports: kind must be tcp or udp, not " + kind)
    for _ in range(200):
        port = random.randrange(LOWEST, low) if low - LOWEST >= 1000 else 0
        if port in given:
            continue
        try:
            port = bind(kind, port)
        except OSError:
            continue
        if port not in given:
            given.append(port)
            break
    else:
        sys.exit("free_ports: no free %s port below %d in 200 tries" % (kind, low))
print(" ".join(str(p) for p in given))
PY
}

free_port() { free_ports "${1:-tcp}"; }
