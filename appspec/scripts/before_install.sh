#!/usr/bin/env bash
# Makes sure the pinned Node.js release and the service account exist.
# shellcheck source=appspec/scripts/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

bash "$(dirname "${BASH_SOURCE[0]}")/install_node.sh"

if ! id -u "${SERVICE_USER}" >/dev/null 2>&1; then
  log "creating system user ${SERVICE_USER}"
  useradd --system --no-create-home --shell /usr/sbin/nologin "${SERVICE_USER}"
fi
mkdir -p "${CONFIG_DIR}" "${STATE_DIR}" "$(dirname "${UNIT_FILE}")"
