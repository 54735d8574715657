#!/usr/bin/env bash
# Writes the service's environment from the instance itself (region from its placement, stream
# name from its AnomalyStreamName tag, set by the stack) and installs the systemd unit. Runs on
# every deployment, so a changed stream name reaches the producer on the next one.
# shellcheck source=appspec/scripts/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

[[ -f "${APP_DIR}/app/index.js" ]] || die "the producer bundle ${APP_DIR}/app/index.js is missing from the revision"

token="$(imds_token)" || die "cannot get an IMDSv2 token from ${IMDS}"
region="$(imds_get "${token}" placement/region)" || die "cannot read the instance's region from instance metadata"
stream="$(imds_get "${token}" tags/instance/AnomalyStreamName)" \
  || die "cannot read the instance tag AnomalyStreamName (are instance metadata tags enabled on the instance?)"
device="$(imds_get "${token}" tags/instance/AnomalyDeviceId 2>/dev/null || echo DHT-001)"
# The stack's DeviceCount: more than one streams a fleet named DHT-001, DHT-002, … instead.
devices="$(imds_get "${token}" tags/instance/AnomalyDeviceCount 2>/dev/null || echo 1)"
[[ "${stream}" =~ ^[A-Za-z0-9_.-]{1,128}$ ]] || die "tag AnomalyStreamName \"${stream}\" is not a Kinesis stream name"
if ! [[ "${devices}" =~ ^[1-9][0-9]{0,5}$ ]] || ((devices > 100000)); then
  die "tag AnomalyDeviceCount \"${devices}\" is not a number of devices from 1 to 100000"
fi
if ((devices == 1)); then
  fleet="DEVICE_ID=${device}"
  log "producer will send ${device} readings to stream ${stream} in ${region}"
else
  fleet="DEVICE_COUNT=${devices}"
  log "producer will send the readings of ${devices} devices to stream ${stream} in ${region}"
fi

umask 027
cat >"${ENV_FILE}.tmp" <<ENV
AWS_REGION=${region}
STREAM_NAME=${stream}
${fleet}
READINGS_PER_SECOND=1
STATUS_FILE=/var/lib/${SERVICE}/status.json
ENV
mv "${ENV_FILE}.tmp" "${ENV_FILE}"
chown "root:${SERVICE_USER}" "${ENV_FILE}"

install -m 0644 "${APP_DIR}/service/${SERVICE}.service" "${UNIT_FILE}"
systemctl daemon-reload
systemctl enable "${SERVICE}"
log "unit installed and enabled"
