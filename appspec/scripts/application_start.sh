#!/usr/bin/env bash
# Starts the producer afresh; the old status file goes so ValidateService sees only new batches.
# shellcheck source=appspec/scripts/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

rm -f "${STATUS_FILE}"
log "starting ${SERVICE}"
systemctl restart "${SERVICE}"
