#!/usr/bin/env bash
# Back up the portal's database: a compressed custom-format dump (pg_dump -Fc), then verify it lists.
#   deploy/backup.sh DATABASE_URL OUTFILE
# Connect to PostgreSQL itself, not PgBouncer (pg_dump holds one long transaction).
set -euo pipefail
url="${1:?usage: backup.sh DATABASE_URL OUTFILE}"
out="${2:?usage: backup.sh DATABASE_URL OUTFILE}"
tmp="${out}.partial"
pg_dump --format=custom --compress=6 --no-owner --no-privileges --dbname="$url" --file="$tmp"
pg_restore --list "$tmp" >/dev/null   # a dump that does not list is not a backup
mv "$tmp" "$out"
echo "backup written: $out ($(stat -c %s "$out") bytes)"
