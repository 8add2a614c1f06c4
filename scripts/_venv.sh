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
