#!/bin/sh
# pre-commit hook: validate the content with the project's own ldnsite.
# Not --strict: warnings (an unused source, committed before its claim) are shown but do not
# block a commit. CI runs `ldnsite check --strict`, so they still block a merge.
set -eu
if [ -x .venv/bin/ldnsite ]; then
  exec .venv/bin/ldnsite check
elif command -v ldnsite >/dev/null 2>&1; then
  exec ldnsite check
fi
echo "ldnsite-hook: ldnsite is not installed; run 'make site' once, then commit again" >&2
exit 1
