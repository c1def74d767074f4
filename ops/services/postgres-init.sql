-- govstat database bootstrap.  Idempotent; run as a superuser with psql:
--
--   psql -v ON_ERROR_STOP=1 -v dbname=govstat -d postgres -f ops/services/postgres-init.sql
--
-- Used by ops/services/postgres.sh (start, createdb, recreatedb) and suitable
-- for a postgres container's /docker-entrypoint-initdb.d/ (there no variables
-- can be passed, so dbname defaults to "govstat").
--
-- Roles:
--   govstat_owner  owns the database and the public schema; runs migrations
--   govstat_app    what the application connects as: no superuser, no
--                  BYPASSRLS, no CREATEDB, may only use (not create in) public
--
-- Extensions: PostGIS is not a trusted extension, so only a superuser may create
-- it; it is created here, in its own schema "postgis" (so that public holds only
-- govstat's tables, each with row-level security), and the database's search_path
-- names that schema. The gis migration's CREATE EXTENSION IF NOT EXISTS then only
-- checks that it is there.

\set ON_ERROR_STOP on
\if :{?dbname}
\else
\set dbname govstat
\endif

SELECT 'CREATE ROLE govstat_owner'
 WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'govstat_owner') \gexec
ALTER ROLE govstat_owner WITH LOGIN PASSWORD 'govstat_owner' CREATEDB
  NOSUPERUSER NOCREATEROLE NOREPLICATION NOBYPASSRLS;

SELECT 'CREATE ROLE govstat_app'
 WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'govstat_app') \gexec
ALTER ROLE govstat_app WITH LOGIN PASSWORD 'govstat_app'
  NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOREPLICATION;

-- CREATE DATABASE cannot run inside a function or DO block, hence \gexec.
SELECT format('CREATE DATABASE %I OWNER govstat_owner', :'dbname')
 WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'dbname') \gexec
SELECT format('ALTER DATABASE %I OWNER TO govstat_owner', :'dbname') \gexec

\connect :"dbname"
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO govstat_app;
ALTER SCHEMA public OWNER TO govstat_owner;
CREATE SCHEMA IF NOT EXISTS postgis;
GRANT USAGE ON SCHEMA postgis TO govstat_owner, govstat_app;
CREATE EXTENSION IF NOT EXISTS postgis SCHEMA postgis;
SELECT format('ALTER DATABASE %I SET search_path = "$user", public, postgis', :'dbname') \gexec

-- Replication health for the operators' check (platform/db/replication_health.py, docs/reliability.md):
-- pg_stat_replication shows a role without pg_read_all_stats only NULLs, and that role would also read
-- every session's query text. This function, the superuser's own, answers only the standbys' state and
-- replay positions and lags, and only the app and owner roles may call it (least privilege).
CREATE SCHEMA IF NOT EXISTS govstat_monitor AUTHORIZATION postgres;
REVOKE ALL ON SCHEMA govstat_monitor FROM PUBLIC;
GRANT USAGE ON SCHEMA govstat_monitor TO govstat_owner, govstat_app;
CREATE OR REPLACE FUNCTION govstat_monitor.standbys()
  RETURNS TABLE (application_name text, client_addr text, state text, sync_state text,
                 replay_behind_bytes numeric, replay_lag_ms double precision)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog AS $$
    SELECT r.application_name, host(r.client_addr), r.state, r.sync_state,
           pg_wal_lsn_diff(pg_current_wal_lsn(), r.replay_lsn),
           extract(epoch FROM r.replay_lag) * 1000
      FROM pg_stat_replication r
$$;
REVOKE ALL ON FUNCTION govstat_monitor.standbys() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION govstat_monitor.standbys() TO govstat_owner, govstat_app;
