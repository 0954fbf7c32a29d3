#!/usr/bin/env bash
# `npm test`: every check CI runs, in order, failing fast. Prints one closing line "hearth: N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p test-results

step() { printf '\n\033[1m== %s ==\033[0m\n' "$1"; }

step "fixture models (generated, deterministic)"
npm run --silent fixtures
step "typecheck"
npm run --silent typecheck
step "lint (layering rules included)"
npm run --silent lint
step "build: renderer, main, preload, bridge, CLI"
npm run --silent build
step "unit and model tests (vitest)"
status=0
npx vitest run --reporter=default --reporter=json --outputFile.json=test-results/vitest.json || status=$?
step "end-to-end journeys (Playwright, Debian Chromium, real services through the bridge)"
if [ "$status" -eq 0 ]; then
  npx playwright test -c e2e/playwright.config.ts || status=$?
fi
node scripts/summarizeTests.mjs test-results/vitest.json test-results/e2e.json
exit "$status"
