#!/usr/bin/env bash
# Shared by every hook: strict mode, paths, logging and instance-metadata helpers.
# shellcheck disable=SC2034 # the hooks use these names after sourcing this file
set -euo pipefail

# Empty on an instance. The revision's tests run the hooks in a scratch directory instead of /.
readonly ROOT="${ANOMALY_PRODUCER_ROOT:-}"
readonly SERVICE=anomaly-producer
readonly SERVICE_USER=anomaly-producer
readonly APP_DIR="${ROOT}/opt/anomaly-producer"
readonly CONFIG_DIR="${ROOT}/etc/anomaly-producer"
readonly ENV_FILE="${CONFIG_DIR}/producer.env"
readonly STATE_DIR="${ROOT}/var/lib/anomaly-producer"
readonly STATUS_FILE="${STATE_DIR}/status.json"
readonly UNIT_FILE="${ROOT}/etc/systemd/system/${SERVICE}.service"
readonly MIN_NODE_MAJOR=18
# The standard variable the AWS SDKs honour; the link-local address on EC2.
readonly IMDS="${AWS_EC2_METADATA_SERVICE_ENDPOINT:-http://169.254.169.254}"

log() {
  printf '%s [%s] %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "${LIFECYCLE_EVENT:-hook}" "$*"
}

die() {
  log "ERROR: $*" >&2
  exit 1
}

# IMDSv2: every metadata read carries a session token (IMDSv1 is disabled on the instance).
imds_token() {
  curl --silent --show-error --fail --max-time 5 --retry 3 \
    --request PUT "${IMDS}/latest/api/token" \
    --header 'X-aws-ec2-metadata-token-ttl-seconds: 300'
}

imds_get() {
  local token="$1" path="$2"
  curl --silent --show-error --fail --max-time 5 --retry 3 \
    --header "X-aws-ec2-metadata-token: ${token}" "${IMDS}/latest/meta-data/${path}"
}

node_major_version() {
  if ! command -v node >/dev/null 2>&1; then
    echo 0
    return
  fi
  node --version | sed -E 's/^v([0-9]+).*/\1/'
}
