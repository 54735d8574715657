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
# Node.js 22 LTS, a pinned release verified against its published SHA-256 (SHASUMS256.txt of
# https://nodejs.org/dist/v22.12.0/); BeforeInstall installs it under /opt/nodejs.
readonly NODE_VERSION=22.12.0
readonly NODE_SHA256_X64=22982235e1b71fa8850f82edd09cdae7e3f32df1764a9ec298c72d25ef2c164f
readonly NODE_SHA256_ARM64=8cfd5a8b9afae5a2e0bd86b0148ca31d2589c0ea669c2d0b11c132e35d90ed68
readonly NODE_PARENT="${ROOT}/opt/nodejs"
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

