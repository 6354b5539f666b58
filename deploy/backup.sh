#!/usr/bin/env bash
# Back up the database and both file stores into one dated folder, keep the newest
# BACKUP_KEEP, or restore one of them. Reads the site's environment (/etc/wardmodels/env).
#
#   backup.sh backup              # BACKUP_DIR/<UTC time>/: database.dump (or .sqlite3),
#                                 # media.tar.gz, private_media.tar.gz, SHA256SUMS
#   backup.sh restore FOLDER      # stop the site first; the folders are replaced
#
# Run from the site's data folder (WorkingDirectory), where relative paths are resolved.
set -euo pipefail

: "${DATABASE_URL:?DATABASE_URL is not set}"
BACKUP_DIR=${BACKUP_DIR:-/var/backups/wardmodels}
BACKUP_KEEP=${BACKUP_KEEP:-14}
MEDIA=${MEDIA_ROOT:-media}
PRIVATE=${PRIVATE_MEDIA_ROOT:-private_media}
PYTHON=${PYTHON:-python3}

sqlite_path() { # sqlite:///relative or sqlite:////absolute, as the settings read it
    local path=${DATABASE_URL#sqlite://}
    path=${path#/}
    echo "$path"
}

backup() {
    local stamp folder
    stamp=$(date -u +%Y%m%dT%H%M%S.%NZ)  # sorts by time; two in one second differ
    folder="$BACKUP_DIR/$stamp"
    mkdir -p "$folder.partial"
    case "$DATABASE_URL" in
        postgres://* | postgresql://*)
            pg_dump --format=custom --no-owner --file="$folder.partial/database.dump" "$DATABASE_URL" ;;
        sqlite://*)
            # SQLite's online backup: consistent while the site writes.
            "$PYTHON" - "$(sqlite_path)" "$folder.partial/database.sqlite3" <<'PY'
import sqlite3, sys
source, target = sqlite3.connect(sys.argv[1]), sqlite3.connect(sys.argv[2])
with target:
    source.backup(target)
PY
            ;;
        *) echo "backup.sh: unknown DATABASE_URL scheme" >&2; exit 2 ;;
    esac
    mkdir -p "$MEDIA" "$PRIVATE"
    tar -czf "$folder.partial/media.tar.gz" -C "$MEDIA" .
    tar -czf "$folder.partial/private_media.tar.gz" -C "$PRIVATE" .
    (cd "$folder.partial" && sha256sum -- * > SHA256SUMS)
    mv "$folder.partial" "$folder"
    # Rotation: the newest BACKUP_KEEP complete backups stay (names sort by time).
    find "$BACKUP_DIR" -mindepth 1 -maxdepth 1 -type d -name '2*Z' | sort | head -n "-$BACKUP_KEEP" |
        while read -r old; do rm -rf -- "$old"; done
    echo "$folder"
}

restore() {
    local folder=${1:?restore needs the backup folder}
    (cd "$folder" && sha256sum --check --quiet SHA256SUMS)
    case "$DATABASE_URL" in
        postgres://* | postgresql://*)
            pg_restore --clean --if-exists --no-owner --exit-on-error \
                --dbname="$DATABASE_URL" "$folder/database.dump" ;;
        sqlite://*)
            "$PYTHON" - "$folder/database.sqlite3" "$(sqlite_path)" <<'PY'
import sqlite3, sys
source, target = sqlite3.connect(sys.argv[1]), sqlite3.connect(sys.argv[2])
with target:
    source.backup(target)
PY
            ;;
    esac
    for pair in "media.tar.gz:$MEDIA" "private_media.tar.gz:$PRIVATE"; do
        local archive=${pair%%:*} root=${pair#*:}
        rm -rf -- "$root.restoring" && mkdir -p "$root.restoring"
        tar -xzf "$folder/$archive" -C "$root.restoring"
        rm -rf -- "$root" && mv "$root.restoring" "$root"
    done
    echo "restored $folder"
}

case "${1:-}" in
    backup) backup ;;
    restore) shift; restore "$@" ;;
    *) echo "usage: $0 backup | restore FOLDER" >&2; exit 2 ;;
esac
