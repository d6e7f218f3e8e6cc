#!/bin/sh
# Start PostgreSQL on the volume at $PGDATA's folder. On the first start (no cluster there yet),
# make one with the role and database the service connects as, POSTGRES_USER and POSTGRES_DB
# (default boxoffice), with the password POSTGRES_PASSWORD, which is required. The cluster is
# made beside its place and moved there whole, so a start interrupted half-way leaves nothing.
# Connections over the network need the password (scram-sha-256); inside the container, none.
set -eu
user="${POSTGRES_USER:-boxoffice}"
database="${POSTGRES_DB:-boxoffice}"

if [ ! -s "$PGDATA/PG_VERSION" ]; then
  if [ -z "${POSTGRES_PASSWORD:-}" ]; then
    echo "postgres-start: POSTGRES_PASSWORD is empty; set it (the compose file passes BOXOFFICE_DB_PASSWORD)" >&2
    exit 1
  fi
  making="$PGDATA.new"
  rm -rf "$making"
  password_file="$(mktemp)"
  trap 'rm -f "$password_file"' EXIT
  printf '%s\n' "$POSTGRES_PASSWORD" >"$password_file"
  initdb --pgdata="$making" --username="$user" --pwfile="$password_file" --encoding=UTF8 --locale=C.UTF-8 \
    --auth-local=trust --auth-host=scram-sha-256 >/dev/null
  rm -f "$password_file"  # now, as exec below skips the EXIT trap
  echo "host all all all scram-sha-256" >>"$making/pg_hba.conf"
  echo "CREATE DATABASE \"$database\"" | postgres --single -D "$making" postgres >/dev/null
  mv "$making" "$PGDATA"
  echo "postgres-start: made the cluster, role $user and database $database"
fi
exec postgres -c listen_addresses='*'
