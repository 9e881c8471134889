#!/usr/bin/env bash
# Run once by the official postgres image when it initialises an empty data directory (/docker-entrypoint-initdb.d):
# the audit trail's database and its two roles, with the passwords deploy/compose/secrets/generate.sh generated.
#   pupilflow_audit_owner  owns the database and its schema; audit-service runs Flyway as it (spring.flyway.user)
#   pupilflow_audit_app    what audit-service connects as; the migrations grant it read and append only
# Written to be run or sourced (the image sources scripts that are not executable): it changes no shell options.
owner_password=$(cat "${AUDIT_DB_SECRETS:-/run/pupilflow/postgres}/owner.password")
app_password=$(cat "${AUDIT_DB_SECRETS:-/run/pupilflow/postgres}/app.password")
psql -v ON_ERROR_STOP=1 --no-psqlrc --username "${POSTGRES_USER:-postgres}" --dbname postgres \
  -v owner_password="$owner_password" -v app_password="$app_password" <<'SQL'
CREATE ROLE pupilflow_audit_owner LOGIN PASSWORD :'owner_password';
CREATE ROLE pupilflow_audit_app LOGIN PASSWORD :'app_password';
CREATE DATABASE pupilflow_audit OWNER pupilflow_audit_owner;
REVOKE ALL ON DATABASE pupilflow_audit FROM PUBLIC;
GRANT CONNECT ON DATABASE pupilflow_audit TO pupilflow_audit_app;
SQL
unset owner_password app_password
