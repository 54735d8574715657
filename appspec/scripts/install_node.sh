#!/usr/bin/env bash
# Installs the pinned Node.js release (NODE_VERSION in common.sh) under /opt/nodejs and points
# /opt/nodejs/current at it; the unit runs /opt/nodejs/current/bin/node. Ubuntu's own nodejs
# package is too old (18 on 24.04). The tarball is checked against the pinned SHA-256 before
# anything is unpacked; a transient download failure is retried. NODE_DIST_URL may name a
# mirror of https://nodejs.org/dist with the same layout.
# shellcheck source=appspec/scripts/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

case "$(uname -m)" in
  x86_64) arch=x64 expected="${NODE_SHA256_X64}" ;;
  aarch64) arch=arm64 expected="${NODE_SHA256_ARM64}" ;;
  *) die "no pinned Node.js release for the $(uname -m) architecture" ;;
esac
release="node-v${NODE_VERSION}-linux-${arch}"
target="${NODE_PARENT}/${release}"
# Written only after the checksum matched and the tarball unpacked completely.
marker="${target}/.verified-sha256"

if [[ -x "${target}/bin/node" && "$(cat "${marker}" 2>/dev/null)" == "${expected}" ]]; then
  log "Node.js v${NODE_VERSION} is installed"
else
  url="${NODE_DIST_URL:-https://nodejs.org/dist}/v${NODE_VERSION}/${release}.tar.xz"
  work="$(mktemp -d)"
  trap 'rm -rf "${work}"' EXIT
  log "downloading ${url}"
  curl --fail --silent --show-error --location --retry 5 --retry-all-errors \
    --connect-timeout 10 --max-time 300 --output "${work}/node.tar.xz" "${url}" \
    || die "cannot download Node.js from ${url}"
  actual="$(sha256sum "${work}/node.tar.xz" | cut -d ' ' -f 1)"
  [[ "${actual}" == "${expected}" ]] \
    || die "checksum mismatch for ${url}: expected ${expected}, got ${actual}; nothing was installed"
  mkdir -p "${work}/unpacked" "${NODE_PARENT}"
  tar -xJf "${work}/node.tar.xz" -C "${work}/unpacked"
  [[ -x "${work}/unpacked/${release}/bin/node" ]] || die "${url} holds no ${release}/bin/node"
  rm -rf "${target}"
  mv "${work}/unpacked/${release}" "${target}"
  echo "${expected}" >"${marker}"
  log "installed Node.js v${NODE_VERSION} in ${target}"
fi
ln -sfn "${release}" "${NODE_PARENT}/current"
