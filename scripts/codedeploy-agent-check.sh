#!/usr/bin/env bash
# The pull request's check of the revision with the real CodeDeploy agent (pr.yml, job
# codedeploy-agent; local-pipeline/codedeploy/agent-check.ts drives it). Two commands, both as root:
#
#   codedeploy-agent-check.sh install REGION
#       installs the official agent (AWS's installer from the region's bucket, which installs
#       the agent package and its Ruby), then stops its daemon: this machine is no registered
#       instance, and codedeploy-local needs no daemon.
#   codedeploy-agent-check.sh deploy REVISION_DIR DEPLOYMENT_GROUP
#       deploys the directory with the agent's codedeploy-local, as CodeDeploy would on an
#       instance; exits non-zero when the agent rejects or fails the revision, after printing
#       the scripts' log. PRODUCER_AWS_ENDPOINT_URL, when set, points the installed service at an
#       emulator through a systemd drop-in (the unit itself is the revision's, unchanged).
set -euo pipefail

readonly CODEDEPLOY_LOCAL="${CODEDEPLOY_LOCAL:-/opt/codedeploy-agent/bin/codedeploy-local}"
readonly DEPLOYMENT_ROOT="${CODEDEPLOY_DEPLOYMENT_ROOT:-/opt/codedeploy-agent/deployment-root}"
readonly DROP_IN_DIR="${SYSTEMD_DIR:-/etc/systemd/system}/anomaly-producer.service.d"

log() { printf 'codedeploy-agent-check: %s\n' "$*"; }
die() {
  printf 'codedeploy-agent-check: ERROR: %s\n' "$*" >&2
  exit 1
}
usage() { die "usage: $0 install REGION | deploy REVISION_DIR DEPLOYMENT_GROUP"; }

install_agent() {
  local region="${1:-}"
  [[ "${region}" =~ ^[a-z]{2}(-[a-z]+)+-[0-9]$ ]] || die "\"${region}\" is not an AWS region (e.g. us-east-1)"
  local url="https://aws-codedeploy-${region}.s3.${region}.amazonaws.com/latest/install"
  local work
  work="$(mktemp -d)"
  log "installing the installer's dependencies"
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 -o Acquire::Retries=5 -qq update
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 -o Acquire::Retries=5 -qq install -y ruby-full
  log "downloading ${url}"
  curl --fail --silent --show-error --location --retry 5 --retry-all-errors --max-time 120 \
    --output "${work}/install" "${url}" \
    || die "could not download the CodeDeploy agent installer from ${url}"
  chmod +x "${work}/install"
  "${work}/install" auto || die "the CodeDeploy agent installer failed"
  systemctl stop codedeploy-agent || true
  [[ -x "${CODEDEPLOY_LOCAL}" ]] || die "the installer left no ${CODEDEPLOY_LOCAL}"
  log "installed $(cat /opt/codedeploy-agent/.version 2>/dev/null || echo 'the CodeDeploy agent')"
}

check_revision() {
  local revision="$1"
  [[ -d "${revision}" ]] || die "revision directory ${revision} does not exist"
  [[ -f "${revision}/appspec.yml" ]] || die "${revision}/appspec.yml does not exist"
  [[ -f "${revision}/app/index.js" ]] || die "${revision}/app/index.js is missing: run npm run build first"
  [[ -x "${CODEDEPLOY_LOCAL}" ]] || die "${CODEDEPLOY_LOCAL} is not installed: run $0 install REGION first"
}

point_service_at_emulator() {
  [[ -n "${PRODUCER_AWS_ENDPOINT_URL:-}" ]] || return 0
  mkdir -p "${DROP_IN_DIR}"
  cat >"${DROP_IN_DIR}/emulator.conf" <<CONF
[Service]
Environment=AWS_ENDPOINT_URL=${PRODUCER_AWS_ENDPOINT_URL}
Environment=AWS_ACCESS_KEY_ID=testing
Environment=AWS_SECRET_ACCESS_KEY=testing
CONF
  log "the producer service will use the emulator at ${PRODUCER_AWS_ENDPOINT_URL}"
}

deploy() {
  local revision="${1:-}" group="${2:-}"
  [[ -n "${revision}" && -n "${group}" ]] || usage
  [[ "${group}" =~ ^[A-Za-z0-9_.-]{1,100}$ ]] || die "\"${group}\" is not a deployment group name"
  revision="$(cd "${revision}" 2>/dev/null && pwd)" || die "revision directory ${1} does not exist"
  check_revision "${revision}"
  point_service_at_emulator
  log "deploying ${revision} to deployment group ${group} with codedeploy-local"
  if "${CODEDEPLOY_LOCAL}" --bundle-location "${revision}" --type directory \
    --deployment-group "${group}" --deployment-group-name "${group}" \
    --application-name anomaly-detection --file-exists-behavior OVERWRITE; then
    log "the agent deployed the revision"
    return 0
  fi
  local logs
  # The newest deployment's scripts log: what the hooks printed.
  logs="$(find "${DEPLOYMENT_ROOT}/${group}" -path '*/logs/scripts.log' -printf '%T@ %p\n' 2>/dev/null \
    | sort -n | tail -n 1 | cut -d ' ' -f 2-)"
  if [[ -n "${logs}" ]]; then
    log "the hooks' log (${logs}):"
    tail -n 100 "${logs}"
  fi
  die "the CodeDeploy agent rejected or failed the revision"
}

case "${1:-}" in
  install) install_agent "${2:-}" ;;
  deploy) deploy "${2:-}" "${3:-}" ;;
  *) usage ;;
esac
