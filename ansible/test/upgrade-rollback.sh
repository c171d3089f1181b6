#!/usr/bin/env bash
# Issue 18.6: an upgrade whose release migrates the database and then fails the health gate is rolled back to the
# previous release WITH the pre-upgrade database. Runs the real playbooks/upgrade.yml (gateway role) on this host, in
# a private mount and network namespace: a throwaway PostgreSQL 15 cluster on 127.0.0.1:5432 (the role's defaults),
# tmpfs over /opt/mecgw, /etc/mecgw, /var/lib/mecgw and /etc/systemd/system, the packaged gateway as release 1.0.0,
# and as release 2.0.0 the same gateway with a destructive migration that its start-up survives only until it fails
# (details at make_bad_release). systemd cannot run in the namespace: a stub systemctl starts and stops the unit the
# role rendered (its EnvironmentFile, WorkingDirectory, ExecStartPre and ExecStart); Restart=on-failure is not played.
# Checks: the playbook fails the host, current is 1.0.0 again and ready, and the schema (pg_dump --schema-only), the
# Flyway history, the devices and the readings equal the pre-upgrade ones; the failed database is kept in a dump.
# Needs root, unshare, PostgreSQL 15 server binaries, postgresql-client, ansible-core, curl, openssl, java and a
# packaged gateway (./mvnw -B -q -pl mec-app -am package -DskipTests). No network. Takes 3-5 minutes.
#   ansible/test/upgrade-rollback.sh
set -euo pipefail
ANSIBLE_DIR=$(cd "$(dirname "$0")/.." && pwd)
REPO=$(cd "$ANSIBLE_DIR/.." && pwd)
APP=$REPO/mec-app/target/quarkus-app
PG_BIN=${MECGW_PG_BIN:-/usr/lib/postgresql/15/bin}

skip() {
  if [[ ${CI:-} == true ]]; then echo "FAIL upgrade-rollback: $1"; exit 1; fi
  echo "skip upgrade-rollback: $1"; exit 0
}
[[ $(id -u) -eq 0 ]] && command -v unshare >/dev/null || skip "needs root and unshare"
[[ -x $PG_BIN/postgres ]] || skip "needs PostgreSQL 15 server binaries in $PG_BIN"
for tool in psql pg_dump pg_restore ansible-playbook curl openssl java ip python3; do
  command -v "$tool" >/dev/null || skip "needs $tool"
done
[[ -f $APP/quarkus-run.jar ]] || skip "needs a packaged gateway in $APP"

work=$(mktemp -d /tmp/mecgw-upgrade-rollback.XXXXXX)
chmod 0755 "$work"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/bin" "$work/run" "$work/rel-bad"

# Release 2.0.0: the packaged gateway with a migration that changes the schema and deletes rows, after which its
# start-up fails. Quarkus fixes the list of migration files at build time, so the release cannot just gain a file:
# its copy of the newest migration holds the bad SQL and its application.properties makes Flyway read that file as a
# repeatable migration (a prefix of "V<newest version>"), which Flyway applies and records in its history; the applied
# versioned one it no longer finds is ignored ("*:missing"). Start-up then fails after Flyway, binding HTTP to an
# address the host does not have (192.0.2.1, TEST-NET-1).
make_bad_release() {
  cp -rL "$APP" "$work/rel-bad/quarkus-app"
  local jar
  jar=$(ls "$work/rel-bad/quarkus-app/app/"*.jar | head -1)
  python3 - "$jar" <<'PY'
import re, shutil, sys, zipfile
path = sys.argv[1]
shutil.move(path, path + ".orig")
src = zipfile.ZipFile(path + ".orig")
versions = {int(m.group(1)): n for n in src.namelist() if (m := re.match(r"db/migration/V(\d+)__.*\.sql$", n))}
newest = max(versions)
bad_sql = b"""-- ansible/test/upgrade-rollback.sh: a release whose migration changes the schema and destroys rows.
ALTER TABLE devices ADD COLUMN rollback_probe text NOT NULL DEFAULT 'bad';
CREATE TABLE rollback_probe (id int PRIMARY KEY);
DELETE FROM telemetry;
DELETE FROM devices WHERE id = 'rollback-3';
"""
props = ("\nquarkus.flyway.repeatable-sql-migration-prefix=V%d\n" % newest
         + "quarkus.flyway.ignore-migration-patterns=*:missing,*:future\n"
         + "quarkus.http.host=192.0.2.1\n").encode()
with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
    for item in src.infolist():
        data = src.read(item.filename)
        if item.filename == versions[newest]:
            data = bad_sql
        elif item.filename == "application.properties":
            data += props
        out.writestr(item, data)
PY
  rm -f "$jar.orig"
}
make_bad_release

# The stub systemctl: enough of systemctl for ansible.builtin.systemd and the unit "mecgw" the role renders.
cat > "$work/bin/systemctl" <<'STUB'
#!/usr/bin/env bash
run=__RUN__
unit=${2:-}; unit=${unit//\'/}; unit=${unit%.service}
file=/etc/systemd/system/mecgw.service
running() { [[ -f $run/pid ]] && kill -0 "$(cat "$run/pid")" 2>/dev/null; }
key() { sed -n "s/^$1=//p" "$file" | head -1; }
start() {
  local env=() line pre
  while IFS= read -r line; do [[ $line =~ ^[A-Z_]+= ]] && env+=("$line"); done < "$(key EnvironmentFile)"
  pre=$(key ExecStartPre); ${pre#+}
  n=$(( $(cat "$run/starts" 2>/dev/null || echo 0) + 1 )); echo "$n" > "$run/starts"
  ( cd "$(key WorkingDirectory)" && exec setsid env -i PATH=/usr/bin:/bin "${env[@]}" bash -c "exec $(key ExecStart)" \
      >"$run/gateway-$n.log" 2>&1 </dev/null ) &
  echo $! > "$run/pid"
}
stop() {
  running || return 0
  local pid; pid=$(cat "$run/pid"); kill "$pid"
  for _ in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.2; done
  kill -9 "$pid"
}
case $1 in
  daemon-reload | daemon-reexec | enable | disable) exit 0 ;;
esac
[[ $unit == mecgw ]] || { echo "stub systemctl: only mecgw ($*)" >&2; exit 1; }
case $1 in
  show)
    if running; then state=active sub=running; else state=inactive sub=dead; fi
    printf 'Id=mecgw.service\nNames=mecgw.service\nLoadState=loaded\nActiveState=%s\nSubState=%s\nUnitFileState=enabled\n' \
      "$state" "$sub" ;;
  is-enabled) echo enabled ;;
  is-active) if running; then echo active; else echo inactive; exit 3; fi ;;
  list-unit-files) echo "mecgw.service enabled enabled" ;;
  start) running || start ;;
  stop) stop ;;
  restart) stop; start ;;
  *) echo "stub systemctl: $*" >&2; exit 1 ;;
esac
STUB
sed -i "s#__RUN__#$work/run#" "$work/bin/systemctl"
chmod +x "$work/bin/systemctl"

cat > "$work/hosts.yml" <<HOSTS
---
all:
  children:
    gateways:
      hosts:
        localhost:
          ansible_connection: local
          ansible_become: false
          gateway_user: root
          gateway_artifact_dir: $work/artifacts
          gateway_java_runtime: system
          gateway_java_bin: $(command -v java)
          gateway_jvm_options: -Xmx512m -XX:+ExitOnOutOfMemoryError
          gateway_db_password: rollback-test-db-password
          gateway_admin_token: rollback-test-admin-token
          gateway_health_delay: 2
          gateway_health_retries: 90
HOSTS

cat > "$work/inside.sh" <<'INSIDE'
set -euo pipefail
work=$1 ansible_dir=$2 app=$3 pg_bin=$4
fails=0
check() { if eval "$2"; then echo "ok   $1"; else echo "FAIL $1"; fails=$((fails + 1)); fi; }
as_nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
ip link set lo up
for d in /opt/mecgw /etc/mecgw /var/lib/mecgw /etc/systemd/system; do mkdir -p "$d"; mount -t tmpfs tmpfs "$d"; done

# PostgreSQL 15 as the appliance runs it: 127.0.0.1:5432, logical WAL, the gateway's role and database.
mkdir -p "$work/pg" "$work/sock" && chown 65534:65534 "$work/pg" "$work/sock"
as_nobody "$pg_bin/initdb" -D "$work/pg" -U postgres --auth-local=trust --auth-host=scram-sha-256 >/dev/null
as_nobody "$pg_bin/pg_ctl" -D "$work/pg" -l "$work/pg/server.log" -w -o \
  "-c listen_addresses=127.0.0.1 -c port=5432 -c unix_socket_directories=$work/sock -c wal_level=logical" start >/dev/null
trap 'systemctl stop mecgw || true; as_nobody "$pg_bin/pg_ctl" -D "$work/pg" -m fast stop >/dev/null || true' EXIT
admin() { psql -h "$work/sock" -U postgres -XqAt -v ON_ERROR_STOP=1 "$@"; }
admin -c "CREATE ROLE mecgw LOGIN REPLICATION PASSWORD 'rollback-test-db-password'" -c "CREATE DATABASE mecgw OWNER mecgw"

# What provisioning and the image leave: TLS material, the backup folder, release 1.0.0 installed and current.
mkdir -p /etc/mecgw/tls /var/lib/mecgw/backups /opt/mecgw/releases/1.0.0/quarkus-app /opt/mecgw/releases/2.0.0/quarkus-app
chmod 0700 /var/lib/mecgw/backups
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -noenc -days 1 -subj /CN=rollback-test \
  -keyout /etc/mecgw/tls/server.key -out /etc/mecgw/tls/server.crt 2>/dev/null
# The releases are bind-mounted in place of unpacking (install.yml skips a release whose quarkus-run.jar exists).
mount --bind -o ro "$app" /opt/mecgw/releases/1.0.0/quarkus-app
mount --bind -o ro "$work/rel-bad/quarkus-app" /opt/mecgw/releases/2.0.0/quarkus-app
ln -s /opt/mecgw/releases/1.0.0 /opt/mecgw/current

export PATH=$work/bin:$PATH ANSIBLE_CONFIG=$ansible_dir/ansible.cfg ANSIBLE_NOCOLOR=1 ANSIBLE_LOCALHOST_WARNING=false
upgrade() { ansible-playbook -i "$work/hosts.yml" "$ansible_dir/playbooks/upgrade.yml" -e gateway_version="$1" "${@:2}"; }
api() { curl -s -o /dev/null -w '%{http_code}' -H 'Authorization: Bearer rollback-test-admin-token' "$@"; }

echo "== release 1.0.0 configured and started by the role"
upgrade 1.0.0 > "$work/ansible-1.log" 2>&1 || { tail -30 "$work/ansible-1.log"; cat "$work/run/gateway-"*.log | tail -30; exit 1; }
check "release 1.0.0 reports ready" "[[ \$(curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:8080/q/health/ready) == 200 ]]"
for i in 1 2 3; do
  api -H 'Content-Type: application/json' -d "{\"id\":\"rollback-$i\",\"type\":\"sensor\",\"labels\":{\"line\":\"$i\"}}" \
    http://127.0.0.1:8080/api/v1/devices > "$work/register-$i.code"
done
check "three devices registered over REST" "[[ \$(cat '$work'/register-*.code) == 201201201 ]]"
admin -d mecgw -c "INSERT INTO telemetry (device_id, metric, ts, value)
  SELECT 'rollback-' || (1 + g % 3), 'temp', now() - g * interval '1 second', g FROM generate_series(1, 500) g"

state() { # schema, Flyway history, devices and readings of the gateway's database
  # pg_dump 15.14+ brackets its output with \restrict/\unrestrict and a random key: not part of the schema.
  pg_dump -h "$work/sock" -U postgres --schema-only mecgw | grep -v '^\\\(un\)\?restrict ' > "$work/$1.schema.sql"
  admin -d mecgw -c "SELECT installed_rank, version, description, type, checksum, success FROM flyway_schema_history
    ORDER BY installed_rank" > "$work/$1.history"
  admin -d mecgw -c "SELECT id, labels FROM devices ORDER BY id" > "$work/$1.devices"
  admin -d mecgw -c "SELECT count(*), md5(string_agg(device_id || metric || ts || value, ',' ORDER BY device_id, ts))
    FROM telemetry" > "$work/$1.telemetry"
}
state before

echo "== upgrade to 2.0.0, whose migration runs and whose start-up fails (its health gate gives up after 25 tries, 2 s apart)"
rc=0
upgrade 2.0.0 -e gateway_health_retries=25 -e gateway_rollback_health_retries=90 > "$work/ansible-2.log" 2>&1 || rc=$?
state after
sed -n 's/.*"msg": "\(Release 2.0.0 failed[^"]*\)".*/\1/p' "$work/ansible-2.log" | head -1
check "the failed upgrade fails the host" "[[ $rc -ne 0 ]] && grep -q 'Release 2.0.0 failed the health gate' '$work/ansible-2.log'"
check "the failed release did run its migration (the case under test)" \
  "grep -h 'with repeatable migration' '$work'/run/gateway-*.log >/dev/null"
check "current points at 1.0.0 again" "[[ \$(readlink /opt/mecgw/current) == /opt/mecgw/releases/1.0.0 ]]"
check "release 1.0.0 runs and reports ready" "[[ \$(curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:8080/q/health/ready) == 200 ]]"
check "the role reports the restore" "grep -q 'database restored from /var/lib/mecgw/backups/mecgw-before-2.0.0-' '$work/ansible-2.log'"
check "the schema equals the pre-upgrade schema (pg_dump --schema-only)" "diff -u '$work/before.schema.sql' '$work/after.schema.sql'"
check "the Flyway history equals the pre-upgrade history" "diff -u '$work/before.history' '$work/after.history'"
check "the devices equal the pre-upgrade devices" "diff -u '$work/before.devices' '$work/after.devices'"
check "the readings equal the pre-upgrade readings (500)" \
  "diff -u '$work/before.telemetry' '$work/after.telemetry' && grep -q '^500|' '$work/after.telemetry'"
check "the failed release's database is kept for diagnosis" \
  "pg_restore --list /var/lib/mecgw/backups/mecgw-failed-2.0.0-*.dump | grep 'TABLE public rollback_probe' >/dev/null"
check "no restore script (plain-text site data) is left behind" "! ls /var/lib/mecgw/backups | grep -E '\.(sql|list)$'"
check "no database password in the Ansible output" "! grep -q rollback-test-db-password '$work/ansible-1.log' '$work/ansible-2.log'"
check "release 1.0.0 still serves the restored devices" \
  "[[ \$(api http://127.0.0.1:8080/api/v1/devices/rollback-3) == 200 ]]"
if [[ $fails -ne 0 ]]; then
  tail -60 "$work/ansible-2.log"; for f in "$work"/run/gateway-*.log; do echo "--- $f"; tail -15 "$f"; done
fi
exit "$fails"
INSIDE

echo "upgrade-rollback: work dir $work"
if unshare --mount --net --propagation private bash "$work/inside.sh" "$work" "$ANSIBLE_DIR" "$APP" "$PG_BIN"; then
  echo "upgrade-rollback: all checks passed"
else
  echo "upgrade-rollback: failed"; exit 1
fi
