#!/bin/sh
# pre-commit hook: validate the content with the project's own ldnsite.
set -eu
if [ -x .venv/bin/ldnsite ]; then
  exec .venv/bin/ldnsite check --strict
elif command -v ldnsite >/dev/null 2>&1; then
  exec ldnsite check --strict
fi
echo "ldnsite-hook: ldnsite is not installed; run 'make site' once, then commit again" >&2
exit 1
