#!/usr/bin/env bash
# Makes sure Node.js (>= 18, from Ubuntu's packages) and the service account exist.
# shellcheck source=appspec/scripts/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

if (( $(node_major_version) < MIN_NODE_MAJOR )); then
  log "installing Node.js from Ubuntu's packages"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs
fi
node_major="$(node_major_version)"
(( node_major >= MIN_NODE_MAJOR )) || die "Node.js ${MIN_NODE_MAJOR} or newer is required; found major version ${node_major}"
log "Node.js $(node --version) is available"

if ! id -u "${SERVICE_USER}" >/dev/null 2>&1; then
  log "creating system user ${SERVICE_USER}"
  useradd --system --no-create-home --shell /usr/sbin/nologin "${SERVICE_USER}"
fi
mkdir -p "${CONFIG_DIR}" "${STATE_DIR}" "$(dirname "${UNIT_FILE}")"
