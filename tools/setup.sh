#!/usr/bin/env bash
# Installs whatever is missing, and nothing twice: system packages, a running
# PostgreSQL, Odoo 19.0's source, a virtual environment, the addons folder.
set -euo pipefail
source "$(dirname "$0")/env.sh"

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

system_packages() {
    local wanted=(git python3-venv python3-dev build-essential libpq-dev libldap2-dev
        libsasl2-dev libjpeg-dev zlib1g-dev wkhtmltopdf chromium poppler-utils gettext
        fonts-dejavu-core postgresql-client)
    local missing=()
    for pkg in "${wanted[@]}"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed" || missing+=("$pkg")
    done
    if [ ${#missing[@]} -gt 0 ]; then
        say "Installing system packages: ${missing[*]}"
        as_root apt-get update -qq
        as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
    fi
}

postgresql() {
    pg_isready -q && return 0
    if ! ls /etc/postgresql/*/main >/dev/null 2>&1; then
        say "Installing PostgreSQL"
        as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql
    fi
    say "Starting PostgreSQL"
    as_root pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -V | tail -1)" main start || true
    for _ in $(seq 30); do pg_isready -q && break; sleep 1; done
    pg_isready -q || { echo "PostgreSQL does not answer" >&2; exit 1; }
    # Odoo connects as the current user and refuses the postgres role.
    if ! psql -d postgres -tAc "select 1" >/dev/null 2>&1; then
        as_root su postgres -c "createuser --superuser $(id -un)"
    fi
}

odoo_source() {
    if [ ! -f "$ODOO_SRC/odoo-bin" ]; then
        say "Cloning Odoo $ODOO_BRANCH into $ODOO_SRC (about 1 GB, once)"
        mkdir -p "$(dirname "$ODOO_SRC")"
        git clone --depth 1 --branch "$ODOO_BRANCH" https://github.com/odoo/odoo.git "$ODOO_SRC"
    fi
}

virtualenv() {
    [ -x "$PYTHON" ] || { say "Creating $VENV"; python3 -m venv "$VENV"; }
    local stamp
    stamp="$VENV/.installed-$(cat "$ODOO_SRC/requirements.txt" "$ROOT/tools/requirements-dev.txt" | sha1sum | cut -c1-12)"
    if [ ! -f "$stamp" ]; then
        say "Installing Odoo's Python requirements"
        "$PYTHON" -m pip install -q --upgrade pip wheel setuptools
        "$PYTHON" -m pip install -q -r "$ODOO_SRC/requirements.txt" -r "$ROOT/tools/requirements-dev.txt"
        touch "$stamp"
    fi
}

addons_folder() {
    mkdir -p "$BUILD/addons"
    ln -sfn "$ROOT" "$BUILD/addons/client_relationship"
    printf '[options]\naddons_path = %s\nhttp_interface = %s\n' "$ADDONS_PATH" "${ODOO_HTTP_INTERFACE:-127.0.0.1}" > "$ODOO_CONF"
}

system_packages
postgresql
odoo_source
virtualenv
addons_folder
