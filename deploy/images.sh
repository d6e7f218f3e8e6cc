#!/usr/bin/env bash
# Build the service's image (boxoffice-api, from the project's Dockerfile), the balancer's
# (boxoffice-nginx, deploy/nginx.Dockerfile) and the ledger database's (boxoffice-postgres,
# deploy/postgres.Dockerfile) with podman. Run from anywhere, after `dvc repro`
# (the image copies models/). Idempotent: podman's layer cache makes a second run take seconds.
# `bash deploy/images.sh base` builds only what needs no models (see the end), before `dvc repro`.
#
# The Dockerfiles start FROM python:3.11-slim and debian:bookworm-slim. Where no image registry
# answers, both are made here from Debian's packages instead and kept in podman's store, so each
# machine makes them once: debian:bookworm-slim is a debootstrap minbase root file system, and
# python:3.11-slim is deploy/python-slim.Dockerfile built on it. Builds never pull (--pull=never).
set -euo pipefail
cd "$(dirname "$0")/.."
export CONTAINERS_CONF="${CONTAINERS_CONF:-$PWD/deploy/containers.conf}"

DEBIAN=docker.io/library/debian:bookworm-slim
PYTHON=docker.io/library/python:3.11-slim
API_IMAGE="${API_IMAGE:-localhost/boxoffice-api:latest}"
NGINX_IMAGE="${NGINX_IMAGE:-localhost/boxoffice-nginx:latest}"
BUILD=(podman build --pull=never --format docker --network=host)  # docker format keeps HEALTHCHECK; RUN uses the host network
# The install inside the build (pip, then uv) trusts the host's CA certificates (which may include a proxy's).
HOST_CERTS=(--volume /etc/ssl/certs:/etc/ssl/certs:ro)

have() { podman image exists "$1"; }

debian_from_packages() {
  local rootfs
  rootfs="$(mktemp -d)"
  trap 'rm -rf "$rootfs"' RETURN
  echo "making $DEBIAN from Debian's packages (debootstrap minbase)"
  debootstrap --variant=minbase bookworm "$rootfs" http://deb.debian.org/debian >/dev/null
  rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
  tar -C "$rootfs" -c . | podman import --change 'CMD ["bash"]' - "$DEBIAN" >/dev/null
}

if ! have "$DEBIAN" && ! podman pull -q "$DEBIAN" >/dev/null 2>&1; then
  debian_from_packages
fi
if ! have "$PYTHON" && ! podman pull -q "$PYTHON" >/dev/null 2>&1; then
  echo "making $PYTHON from Debian's packages (deploy/python-slim.Dockerfile)"
  "${BUILD[@]}" -q -t "$PYTHON" -f deploy/python-slim.Dockerfile deploy >/dev/null
fi

# Build, then drop the image the name pointed to before, if nothing else names or runs it.
build() {
  local image="$1" before
  shift
  before="$(podman image inspect --format '{{.Id}}' "$image" 2>/dev/null || true)"
  "${BUILD[@]}" -t "$image" "$@"
  if [ -n "$before" ] && [ "$before" != "$(podman image inspect --format '{{.Id}}' "$image")" ]; then
    podman rmi "$before" >/dev/null 2>&1 || true
  fi
}
# The ledger's database (the compose file's `db`): Debian's postgresql package, as nginx's image.
POSTGRES_IMAGE="${POSTGRES_IMAGE:-localhost/boxoffice-postgres:latest}"
# `images.sh base` stops here, having built what needs no models (mostly downloads, which .ci/run
# overlaps with the tests): the base images, the service's `dependencies` stage, the balancer, the database.
if [ "${1:-}" = base ]; then
  "${BUILD[@]}" -q --target dependencies "${HOST_CERTS[@]}" . >/dev/null
  build "$NGINX_IMAGE" -q -f deploy/nginx.Dockerfile deploy >/dev/null
  build "$POSTGRES_IMAGE" -q -f deploy/postgres.Dockerfile deploy >/dev/null
  exit 0
fi
COMMIT=(--build-arg "BOXOFFICE_COMMIT=$(git rev-parse HEAD 2>/dev/null || echo unknown)")  # the ledger records it
build "$API_IMAGE" "${HOST_CERTS[@]}" "${COMMIT[@]}" .
build "$NGINX_IMAGE" -f deploy/nginx.Dockerfile deploy
build "$POSTGRES_IMAGE" -f deploy/postgres.Dockerfile deploy
