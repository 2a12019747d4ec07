SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET transaction_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

--
-- Name: division; Type: TYPE; Schema: public; Owner: -
--

CREATE TYPE public.division AS ENUM (
    'East',
    'Central',
    'West'
);


--
-- Name: league; Type: TYPE; Schema: public; Owner: -
--

CREATE TYPE public.league AS ENUM (
    'AL',
    'NL'
);


SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: schema_migrations; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.schema_migrations (
    version character varying NOT NULL
);


--
-- Name: team_aliases; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.team_aliases (
    alias text NOT NULL,
    team_id integer NOT NULL,
    CONSTRAINT team_aliases_alias_check CHECK ((alias ~ '^[A-Z]{2,4}$'::text))
);


--
-- Name: teams; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.teams (
    team_id integer NOT NULL,
    abbreviation text NOT NULL,
    name text NOT NULL,
    league public.league NOT NULL,
    division public.division NOT NULL,
    CONSTRAINT teams_abbreviation_check CHECK ((abbreviation ~ '^[A-Z]{2,3}$'::text)),
    CONSTRAINT teams_name_check CHECK (((length(name) >= 2) AND (length(name) <= 64))),
    CONSTRAINT teams_team_id_check CHECK ((team_id > 0))
);


--
-- Name: schema_migrations schema_migrations_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.schema_migrations
    ADD CONSTRAINT schema_migrations_pkey PRIMARY KEY (version);


--
-- Name: team_aliases team_aliases_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.team_aliases
    ADD CONSTRAINT team_aliases_pkey PRIMARY KEY (alias);


--
-- Name: teams teams_abbreviation_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.teams
    ADD CONSTRAINT teams_abbreviation_key UNIQUE (abbreviation);


--
-- Name: teams teams_name_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.teams
    ADD CONSTRAINT teams_name_key UNIQUE (name);


--
-- Name: teams teams_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.teams
    ADD CONSTRAINT teams_pkey PRIMARY KEY (team_id);


--
-- Name: team_aliases_team_id_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX team_aliases_team_id_idx ON public.team_aliases USING btree (team_id);


--
-- Name: team_aliases team_aliases_team_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.team_aliases
    ADD CONSTRAINT team_aliases_team_id_fkey FOREIGN KEY (team_id) REFERENCES public.teams(team_id) ON DELETE CASCADE;


--
-- PostgreSQL database dump complete
--



--
-- Dbmate schema migrations
--

INSERT INTO public.schema_migrations (version) VALUES
    ('20260101000000');
