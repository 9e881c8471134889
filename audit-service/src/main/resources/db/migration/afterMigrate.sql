-- Runs after every migration (Flyway callback). When the application connects as its own role
-- (pupilflow.audit.database.app-role, default pupilflow_audit_app) and that role exists, give it
-- exactly what it needs: read and append; delete only on the chained tables, where the trigger
-- still demands a signed erasure checkpoint first; advance chain heads. Never UPDATE or TRUNCATE
-- on the audit tables. The schema owner (who runs Flyway) keeps its rights: the triggers, and the
-- chain heads published outside the database, are what catch an owner or superuser.
DO $$
DECLARE
    app_role text := '${appRole}';
BEGIN
    IF app_role = '' OR NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = app_role) THEN
        RAISE NOTICE 'audit trail: application role "%" does not exist; privileges not granted (triggers still enforce append-only)', app_role;
        RETURN;
    END IF;
    IF app_role = current_user THEN
        RAISE NOTICE 'audit trail: migrating as the application role "%"; run migrations as the schema owner to separate privileges', app_role;
        RETURN;
    END IF;
    EXECUTE format('GRANT USAGE ON SCHEMA %I TO %I', current_schema(), app_role);
    EXECUTE format('REVOKE ALL ON chain_head, disclosure, delivery, chain_erasure, access_log, policy_change FROM %I', app_role);
    EXECUTE format('GRANT SELECT, INSERT, UPDATE ON chain_head TO %I', app_role);
    EXECUTE format('GRANT SELECT, INSERT, DELETE ON disclosure, delivery TO %I', app_role);
    EXECUTE format('GRANT SELECT, INSERT ON chain_erasure, access_log, policy_change TO %I', app_role);
    EXECUTE format('GRANT SELECT ON flyway_schema_history TO %I', app_role);
END;
$$;
