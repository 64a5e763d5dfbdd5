"""Browser tests (Playwright + Debian Chromium + axe-core)."""
