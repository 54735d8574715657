#!/usr/bin/env bash
# Passes only when the service is active AND Kinesis has acknowledged a batch recently, which
# proves the whole path: the bundle runs, the configuration is right, the role may write.
# shellcheck source=appspec/scripts/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

readonly WAIT_SECONDS="${VALIDATE_WAIT_SECONDS:-90}"
readonly FRESH_SECONDS=60

deadline=$(( $(date +%s) + WAIT_SECONDS ))
while (( $(date +%s) < deadline )); do
  if ! systemctl is-active --quiet "${SERVICE}"; then
    systemctl status "${SERVICE}" --no-pager --lines=20 || true
    die "${SERVICE} is not running"
  fi
  if [[ -f "${STATUS_FILE}" ]]; then
    age=$(( $(date +%s) - $(stat -c %Y "${STATUS_FILE}") ))
    if (( age <= FRESH_SECONDS )); then
      log "${SERVICE} is active and Kinesis acknowledged a batch ${age}s ago: $(cat "${STATUS_FILE}")"
      exit 0
    fi
  fi
  sleep 2
done
die "${SERVICE} is running but no batch was acknowledged by Kinesis within ${WAIT_SECONDS}s (see: journalctl -u ${SERVICE})"
