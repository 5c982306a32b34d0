#!/usr/bin/env bash
# `npm run db:generate -- <name>`: drizzle-kit migrations for both databases, then the bundled module.
# Serialised with flock: two people generating at once would write clashing journal entries.
set -euo pipefail
name="${1:-change}"
exec 9>/tmp/qingdan-db-generate.lock
flock 9
npx drizzle-kit generate --config drizzle.tenant.config.ts --name "$name"
npx drizzle-kit generate --config drizzle.control.config.ts --name "$name"
npx tsx scripts/bundle-migrations.ts
