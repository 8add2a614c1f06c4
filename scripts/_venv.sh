# Shared by scripts/demo and scripts/test: find Python >= 3.12, create/refresh .venv.
# Sourced, not executed. Sets ROOT, VENV, PY.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VENV="${VENV:-$ROOT/.venv}"

find_python() {
  local c
  # Plain names first; then pyenv's installed versions (their shims refuse
  # versions that are not globally selected, so ask pyenv's folders directly).
  for c in python3.13 python3.12 python3; do
    if command -v "$c" >/dev/null 2>&1 &&
       "$c" -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; then
      command -v "$c"; return 0
    fi
  done
  for c in "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.1[2-9]*/bin/python3; do
    if [ -x "$c" ] && "$c" -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; then
      echo "$c"; return 0
    fi
  done
  return 1
}

ensure_venv() {
  # $1: pip extras ("" or "test")
  local extras="${1:-}" base stamp want hash
  if [ ! -x "$VENV/bin/python" ]; then
    if ! base=$(find_python); then
      echo "ERROR: Python 3.12 or newer is required and none was found" >&2
      echo "       (looked for python3.13, python3.12, python3 and ~/.pyenv/versions/3.12+)." >&2
      exit 1
    fi
    echo "==> creating virtualenv .venv with $base ($("$base" --version))"
    "$base" -m venv "$VENV"
  fi
  PY="$VENV/bin/python"
  # Reinstall only when pyproject.toml changes or new extras are asked for
  # (an install with the test extras also serves the demo).
  stamp="$VENV/.installed"
  hash=$(sha256sum "$ROOT/pyproject.toml" | cut -d' ' -f1)
  want="$hash extras=$extras"
  if ! grep -qxF "$want" "$stamp" 2>/dev/null && ! grep -qxF "$hash extras=test" "$stamp" 2>/dev/null; then
    echo "==> installing dependencies"
    "$PY" -m pip install --quiet --disable-pip-version-check --upgrade pip
    if [ -n "$extras" ]; then
      "$PY" -m pip install --quiet --disable-pip-version-check -e "$ROOT[$extras]"
    else
      "$PY" -m pip install --quiet --disable-pip-version-check -e "$ROOT"
    fi
    echo "$want" > "$stamp"
  fi
}

ensure_ocr_engine() {
  # The NIK hint on a KTP (issue 20) reads with Debian's Tesseract and its Indonesian data;
  # the generated test KTPs are drawn in DejaVu. Installed when missing and run as root;
  # otherwise said clearly: the app then shows no hint (/healthz says so) and the OCR
  # tests skip with that reason.
  local missing=()
  command -v tesseract >/dev/null 2>&1 || missing+=(tesseract-ocr)
  if ! { command -v tesseract >/dev/null 2>&1 && tesseract --list-langs 2>/dev/null | grep -x ind >/dev/null; }; then
    missing+=(tesseract-ocr-ind)
  fi
  [ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing+=(fonts-dejavu-core)
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "==> installing ${missing[*]} (the NIK hint on the KTP)"
    if (apt-get -o DPkg::Lock::Timeout=600 update -qq &&
        DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq \
          "${missing[@]}" >/dev/null); then
      return 0
    fi
    echo "WARNING: could not install ${missing[*]}" >&2
  fi
  echo "NOTE: ${missing[*]} missing (install as root: apt-get install ${missing[*]});" \
       "the KTP's NIK hint is off and its OCR tests skip" >&2
}
