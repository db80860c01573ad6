--
-- PostgreSQL database dump
--



SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: applied_events; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.applied_events (
    event_id character varying(36) NOT NULL,
    consumer character varying(120) NOT NULL,
    applied_at timestamp with time zone NOT NULL
);


--
-- Name: licence_notices; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.licence_notices (
    licence_id character varying(36) NOT NULL,
    ends_at timestamp with time zone NOT NULL,
    days_before integer NOT NULL,
    noticed_at timestamp with time zone NOT NULL
);


--
-- Name: licences; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.licences (
    id character varying(36) NOT NULL,
    institution_id character varying(36) NOT NULL,
    plan character varying(32) NOT NULL,
    status character varying(16) NOT NULL,
    seats_granted integer NOT NULL,
    seats_used integer NOT NULL,
    seats_waiting integer NOT NULL,
    admin_email character varying(254) NOT NULL,
    institution_name character varying(200) NOT NULL,
    languages json NOT NULL,
    timezone character varying(64) NOT NULL,
    starts_at timestamp with time zone NOT NULL,
    ends_at timestamp with time zone NOT NULL,
    revoked_at timestamp with time zone,
    revoked_reason character varying(500),
    created_at timestamp with time zone NOT NULL
);


--
-- Name: outbox; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.outbox (
    seq integer NOT NULL,
    message_id character varying(36) NOT NULL,
    kind character varying(16) NOT NULL,
    topic character varying(120) NOT NULL,
    body json NOT NULL,
    correlation_id character varying(64),
    created_at timestamp with time zone NOT NULL,
    published_at timestamp with time zone
);
ALTER TABLE ONLY public.outbox ALTER COLUMN body SET COMPRESSION lz4;


--
-- Name: outbox_seq_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.outbox_seq_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: outbox_seq_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.outbox_seq_seq OWNED BY public.outbox.seq;


--
-- Name: seats; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.seats (
    seq integer NOT NULL,
    licence_id character varying(36) NOT NULL,
    learner_id character varying(36) NOT NULL,
    status character varying(16) NOT NULL,
    enrolled_at timestamp with time zone NOT NULL,
    seated_at timestamp with time zone
);


--
-- Name: seats_seq_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.seats_seq_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: seats_seq_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.seats_seq_seq OWNED BY public.seats.seq;


--
-- Name: outbox seq; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.outbox ALTER COLUMN seq SET DEFAULT nextval('public.outbox_seq_seq'::regclass);


--
-- Name: seats seq; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.seats ALTER COLUMN seq SET DEFAULT nextval('public.seats_seq_seq'::regclass);


--
-- Data for Name: applied_events; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.applied_events (event_id, consumer, applied_at) VALUES ('01a24d24-0653-7000-aff9-6ac0840668df', 'licensing.on_onboarding_institution_approved', '2026-12-06 20:55:36.293751+00');
INSERT INTO public.applied_events (event_id, consumer, applied_at) VALUES ('01a24d24-0801-7000-a15e-2cf38cea800c', 'licensing.on_onboarding_learners_enrolled', '2026-12-06 20:55:36.718992+00');


--
-- Data for Name: licence_notices; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: licences; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.licences (id, institution_id, plan, status, seats_granted, seats_used, seats_waiting, admin_email, institution_name, languages, timezone, starts_at, ends_at, revoked_at, revoked_reason, created_at) VALUES ('01a24d24-0666-7000-b712-8e9acd1786ec', '01a24d24-0653-7000-9cc9-4a84472b830a', 'spark', 'active', 10, 3, 0, 'direction@lycee-ancien.fr', 'Établissement lycee-ancien.fr', '["fr"]', 'Europe/Paris', '2026-12-06 20:55:36.294968+00', '2027-03-06 20:55:36.294968+00', NULL, NULL, '2026-12-06 20:55:36.294968+00');


--
-- Data for Name: outbox; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.outbox (seq, message_id, kind, topic, body, correlation_id, created_at, published_at) VALUES (1, '01a24d24-066f-7000-af33-afc4e00645b5', 'event', 'licence.issued.v1', '{"event_id":"01a24d24-066f-7000-af33-afc4e00645b5","event_type":"licence.issued.v1","minor_version":0,"occurred_at":"2026-12-06T20:55:36.303720+00:00","producer":"licensing","correlation_id":"4b87a6c322c24cfcb63d8d3e5ce18e1b","data":{"licence_id":"01a24d24-0666-7000-b712-8e9acd1786ec","institution_id":"01a24d24-0653-7000-9cc9-4a84472b830a","plan":"spark","seats":10,"starts_at":"2026-12-06T20:55:36.294968+00:00","ends_at":"2027-03-06T20:55:36.294968+00:00"}}', '4b87a6c322c24cfcb63d8d3e5ce18e1b', '2026-12-06 20:55:36.303726+00', '2026-12-06 20:55:36.316036+00');
INSERT INTO public.outbox (seq, message_id, kind, topic, body, correlation_id, created_at, published_at) VALUES (2, '01a24d24-0819-7000-a9dd-7be8b3a6f2b9', 'event', 'seats.assigned.v1', '{"event_id":"01a24d24-0819-7000-a9dd-7be8b3a6f2b9","event_type":"seats.assigned.v1","minor_version":0,"occurred_at":"2026-12-06T20:55:36.729590+00:00","producer":"licensing","correlation_id":"b73a8eec66f34555b972ba3fd025baa8","data":{"licence_id":"01a24d24-0666-7000-b712-8e9acd1786ec","institution_id":"01a24d24-0653-7000-9cc9-4a84472b830a","learner_ids":["01a24d24-0800-7000-ac15-048cd3eda7bc","01a24d24-0800-7001-8030-ababd9d3fe46","01a24d24-0800-7002-907e-dd908f79ecdf"],"seats_used":3,"seats_granted":10}}', 'b73a8eec66f34555b972ba3fd025baa8', '2026-12-06 20:55:36.7296+00', '2026-12-06 20:55:36.741052+00');


--
-- Data for Name: seats; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.seats (seq, licence_id, learner_id, status, enrolled_at, seated_at) VALUES (1, '01a24d24-0666-7000-b712-8e9acd1786ec', '01a24d24-0800-7000-ac15-048cd3eda7bc', 'seated', '2026-12-06 20:55:36.721354+00', '2026-12-06 20:55:36.721354+00');
INSERT INTO public.seats (seq, licence_id, learner_id, status, enrolled_at, seated_at) VALUES (2, '01a24d24-0666-7000-b712-8e9acd1786ec', '01a24d24-0800-7001-8030-ababd9d3fe46', 'seated', '2026-12-06 20:55:36.721354+00', '2026-12-06 20:55:36.721354+00');
INSERT INTO public.seats (seq, licence_id, learner_id, status, enrolled_at, seated_at) VALUES (3, '01a24d24-0666-7000-b712-8e9acd1786ec', '01a24d24-0800-7002-907e-dd908f79ecdf', 'seated', '2026-12-06 20:55:36.721354+00', '2026-12-06 20:55:36.721354+00');


--
-- Name: outbox_seq_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.outbox_seq_seq', 2, true);


--
-- Name: seats_seq_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.seats_seq_seq', 3, true);


--
-- Name: applied_events applied_events_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.applied_events
    ADD CONSTRAINT applied_events_pkey PRIMARY KEY (event_id, consumer);


--
-- Name: licence_notices licence_notices_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.licence_notices
    ADD CONSTRAINT licence_notices_pkey PRIMARY KEY (licence_id, ends_at, days_before);


--
-- Name: licences licences_institution_id_plan_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.licences
    ADD CONSTRAINT licences_institution_id_plan_key UNIQUE (institution_id, plan);


--
-- Name: licences licences_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.licences
    ADD CONSTRAINT licences_pkey PRIMARY KEY (id);


--
-- Name: outbox outbox_message_id_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.outbox
    ADD CONSTRAINT outbox_message_id_key UNIQUE (message_id);


--
-- Name: outbox outbox_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.outbox
    ADD CONSTRAINT outbox_pkey PRIMARY KEY (seq);


--
-- Name: seats seats_licence_id_learner_id_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.seats
    ADD CONSTRAINT seats_licence_id_learner_id_key UNIQUE (licence_id, learner_id);


--
-- Name: seats seats_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.seats
    ADD CONSTRAINT seats_pkey PRIMARY KEY (seq);


--
-- Name: ix_licences_institution_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_licences_institution_id ON public.licences USING btree (institution_id);


--
-- Name: ix_licences_status_ends_at; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_licences_status_ends_at ON public.licences USING btree (status, ends_at);


--
-- Name: ix_outbox_unpublished; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_outbox_unpublished ON public.outbox USING btree (kind, seq) WHERE (published_at IS NULL);


--
-- Name: ix_seats_licence_status_seq; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_seats_licence_status_seq ON public.seats USING btree (licence_id, status, seq);


--
-- PostgreSQL database dump complete
--


