#!/usr/bin/env bash
# Static checks of the Ansible code, fast enough for every CI run: yamllint, ansible-lint (production profile)
# and ansible-playbook --syntax-check of every playbook against the example inventory.
# Needs Debian's ansible-core, ansible-lint and yamllint.
set -euo pipefail
cd "$(dirname "$0")/.."
export ANSIBLE_CONFIG=$PWD/ansible.cfg
export ANSIBLE_VAULT_PASSWORD_FILE=$PWD/inventory/example/vault-password.example
export ANSIBLE_NOCOLOR=1
status=0
run() { echo "== $*"; "$@" || status=1; }

run yamllint -s .
run ansible-lint --nocolor --offline --profile production playbooks/ roles/
for playbook in playbooks/*.yml; do
  run ansible-playbook --syntax-check -i inventory/example/hosts.yml "$playbook"
done
if [[ $status -eq 0 ]]; then echo "ansible lint: 1 passed, 0 failed"; else echo "ansible lint: 0 passed, 1 failed"; fi
exit $status
