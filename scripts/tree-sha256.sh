#!/usr/bin/env bash
# Prints one SHA-256 for a directory's files (their relative paths and contents, in byte order),
# so a job can prove the artifact it downloaded is the one the build job made, file for file.
set -euo pipefail
dir="${1:?usage: tree-sha256.sh DIRECTORY}"
[[ -d "${dir}" ]] || { echo "tree-sha256.sh: ${dir} is not a directory" >&2; exit 1; }
cd "${dir}"
find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum | sha256sum | cut -d' ' -f1
