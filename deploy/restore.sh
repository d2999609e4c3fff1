#!/usr/bin/env bash
# Restore a dump made by backup.sh into a NEW database (never over a live one), then check it.
#   deploy/restore.sh DUMPFILE TARGET_DATABASE_URL
# The target database must not exist yet; it is created from template0. Stops at the first error.
set -euo pipefail
dump="${1:?usage: restore.sh DUMPFILE TARGET_DATABASE_URL}"
url="${2:?usage: restore.sh DUMPFILE TARGET_DATABASE_URL}"
name="${url##*/}"; name="${name%%\?*}"
server="${url%/*}/postgres"
psql --no-psqlrc --quiet --set ON_ERROR_STOP=1 --dbname="$server" \
     --command="CREATE DATABASE \"$name\" TEMPLATE template0 ENCODING 'UTF8'"
pg_restore --exit-on-error --no-owner --no-privileges --jobs="${RESTORE_JOBS:-2}" --dbname="$url" "$dump"
psql --no-psqlrc --quiet --set ON_ERROR_STOP=1 --dbname="$url" --command="ANALYZE" >/dev/null
echo "restored into $name"
