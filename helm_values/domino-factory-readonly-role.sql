-- A PostgreSQL role for [domino] sql_alchemy_conn that can only SELECT the plugin's domino_* tables.
--
-- The DAG factory reads workflow revisions through this URL at parse time (dag-processor) and in
-- tasks (workers); it never writes. Giving it a role that cannot touch the rest of Airflow's
-- metadata database keeps a DAG file or a task from reading or changing Airflow's own tables
-- through it.
--
-- Run it in the Airflow metadata database, as that database's owner (the role Airflow migrates as),
-- AFTER `airflow db migrate` has created the domino_ tables (the chart's migration job does it),
-- and AGAIN after each plugin upgrade: a GRANT covers the tables that exist when it runs. It is
-- safe to re-run.
--
--   psql "postgresql://<owner>@<host>:5432/<airflow-db>" -v ON_ERROR_STOP=1 \
--        -f helm_values/domino-factory-readonly-role.sql
--   psql ... -c '\password domino_factory'     -- set the password interactively (not in a file)
--
-- Assumes the tables live in schema "public" (Airflow's default; change the three places below if
-- you set [database] sql_alchemy_schema). The password goes only into the Kubernetes Secret
-- "domino-factory-db" (see docs/deploy.md).

DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'domino_factory') THEN
        CREATE ROLE domino_factory LOGIN;
    END IF;
END
$$;

-- Belt and braces: every transaction of this role starts read-only.
ALTER ROLE domino_factory SET default_transaction_read_only = on;

DO $$
BEGIN
    EXECUTE format('GRANT CONNECT ON DATABASE %I TO domino_factory', current_database());
END
$$;

GRANT USAGE ON SCHEMA public TO domino_factory;

-- SELECT on every table whose name starts with "domino_" (the underscore is escaped: in LIKE a
-- bare "_" matches any character), nothing else.
DO $$
DECLARE
    t record;
BEGIN
    FOR t IN
        SELECT schemaname, tablename FROM pg_tables
        WHERE schemaname = 'public' AND tablename LIKE 'domino\_%'
    LOOP
        EXECUTE format('GRANT SELECT ON TABLE %I.%I TO domino_factory', t.schemaname, t.tablename);
    END LOOP;
END
$$;

-- On PostgreSQL 14 and older every role may CREATE in schema public by default. To take that away
-- from all roles that do not own the schema (a database-wide decision, so it is not done here):
--   REVOKE CREATE ON SCHEMA public FROM PUBLIC;
