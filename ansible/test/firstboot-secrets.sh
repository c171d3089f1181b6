#!/usr/bin/env bash
# Packaging check of issue 15.12: the first-boot site.yml (plaintext admin token and database password) does not stay
# on the appliance after a successful import, and stays for the retry after a failed one; the role's pg_dump task
# (its environment holds the database password) is no_log. Runs image/files/mecgw-firstboot for real in a private
# mount namespace (tmpfs over its state, config and release folders) with stubs for the block-device tools and
# ansible-playbook. Needs root and unshare (util-linux): ansible/test/firstboot-secrets.sh
set -euo pipefail
ANSIBLE_DIR=$(cd "$(dirname "$0")/.." && pwd)
REPO=$(cd "$ANSIBLE_DIR/.." && pwd)
fails=0
check() { if eval "$2"; then echo "ok   $1"; else echo "FAIL $1"; fails=$((fails + 1)); fi; }

if [[ $(id -u) -ne 0 ]] || ! command -v unshare >/dev/null; then
  if [[ ${CI:-} == true ]]; then echo "FAIL firstboot-secrets needs root and unshare"; exit 1; fi
  echo "skip firstboot-secrets: needs root and unshare"; exit 0
fi
work=$(mktemp -d /tmp/mecgw-firstboot.XXXXXX)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/bin" "$work/seen"
for tool in udevadm mount umount hostname; do printf '#!/bin/sh\nexit 0\n' > "$work/bin/$tool"; done
printf '#!/bin/sh\necho /dev/fake-config-drive\n' > "$work/bin/blkid"
# The playbook stub records the site file it was given (what the real one would import) and fails on request.
cat > "$work/bin/ansible-playbook" <<STUB
#!/bin/sh
for a in "\$@"; do case \$a in @*) cp "\${a#@}" "$work/seen/site.yml";; esac; done
[ ! -e "$work/fail" ]
STUB
chmod +x "$work/bin/"*

run_firstboot() { # prints the state folder's listing after the run, then the exit code
  unshare --mount --propagation private bash -c '
    set -u
    for d in /var/lib/mecgw-firstboot /run/mecgw-config /opt/mecgw; do mkdir -p "$d"; mount -t tmpfs tmpfs "$d"; done
    mkdir -p /opt/mecgw/current && echo 9.9.9 > /opt/mecgw/current/VERSION
    printf "gateway_admin_token: s3cr3t-token\n" > /run/mecgw-config/site.yml
    PATH='"$work/bin"':$PATH bash '"$REPO/image/files/mecgw-firstboot"' >/dev/null 2>&1; rc=$?
    ls /var/lib/mecgw-firstboot; echo "rc=$rc"'
}

out=$(run_firstboot)
check "a successful first boot imports site.yml" "grep -q s3cr3t-token '$work/seen/site.yml'"
check "a successful first boot leaves no site.yml behind" "! grep -qx site.yml <<< \"\$out\" && grep -qx rc=0 <<< \"\$out\""
touch "$work/fail"
out=$(run_firstboot)
check "a failed first boot keeps site.yml for the retry" "grep -qx site.yml <<< \"\$out\" && ! grep -qx rc=0 <<< \"\$out\""

# pg_dump's and psql's environment carries PGPASSWORD: such tasks must be no_log (a failure would print it).
check "the pg_dump tasks and every task with PGPASSWORD are no_log" "python3 - '$ANSIBLE_DIR/roles/gateway/tasks/release.yml' \
  '$ANSIBLE_DIR/roles/gateway/tasks/restore.yml' <<'PY'
import sys, yaml
def tasks(node):
    if isinstance(node, list):
        for t in node: yield from tasks(t)
    elif isinstance(node, dict):
        yield node
        for key in ('block', 'rescue', 'always'): yield from tasks(node.get(key))
# Each file must have a pg_dump task (release.yml: before the upgrade; restore.yml: the failed release's database).
for path in sys.argv[1:]:
    dumps = [t for t in tasks(yaml.safe_load(open(path))) if 'pg_dump' in str(t.get('ansible.builtin.command', ''))]
    secret = [t for t in tasks(yaml.safe_load(open(path))) if 'PGPASSWORD' in str(t.get('environment', ''))]
    if not dumps or not all(t.get('no_log') is True for t in dumps + secret):
        sys.exit(1)
PY"

[[ $fails -eq 0 ]] && echo "firstboot-secrets: all checks passed" || { echo "firstboot-secrets: $fails failed"; exit 1; }
