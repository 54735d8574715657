#!/usr/bin/env bash
# Stops the producer; SIGTERM makes it send what it holds before exiting.
# shellcheck source=appspec/scripts/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

if [[ ! -f "${UNIT_FILE}" ]]; then
  log "${SERVICE} is not installed yet; nothing to stop"
  exit 0
fi
log "stopping ${SERVICE}"
systemctl stop "${SERVICE}"
log "${SERVICE} stopped"
