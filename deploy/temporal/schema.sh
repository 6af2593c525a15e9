#!/bin/sh
# Creates or upgrades the Temporal server's two PostgreSQL databases; every step is idempotent, so it runs before
# each start. The cluster profile runs it with the temporal-sql-tool built beside its server; docker-compose.yml
# runs it in the admin-tools image of the same server version.
#
#   SQL_HOST, SQL_PORT, SQL_USER, SQL_PASSWORD   the PostgreSQL server (temporal-sql-tool reads these itself)
#   SCHEMA_DIR                                   the server's schema/postgresql/v12 folder
set -eu
: "${SCHEMA_DIR:?SCHEMA_DIR must name the schema/postgresql/v12 folder of the Temporal server}"
export SQL_PLUGIN=postgres12

for db in temporal temporal_visibility; do
  versioned=$SCHEMA_DIR/temporal/versioned
  if [ "$db" = temporal_visibility ]; then versioned=$SCHEMA_DIR/visibility/versioned; fi
  temporal-sql-tool --quiet --db "$db" create
  # Version 0.0 only creates the version table; update-schema then applies every versioned step not yet applied.
  temporal-sql-tool --quiet --db "$db" setup-schema -v 0.0
  temporal-sql-tool --quiet --db "$db" update-schema -d "$versioned"
done
echo "schema: databases temporal and temporal_visibility are current"
