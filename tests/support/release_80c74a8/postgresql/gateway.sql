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
-- Name: accounts; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.accounts (
    id character varying(36) NOT NULL,
    email character varying(254) NOT NULL,
    password_hash character varying(255) NOT NULL,
    role character varying(24) NOT NULL,
    institution_id character varying(36),
    created_at timestamp with time zone NOT NULL
);


--
-- Name: applied_events; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.applied_events (
    event_id character varying(36) NOT NULL,
    consumer character varying(120) NOT NULL,
    applied_at timestamp with time zone NOT NULL
);


--
-- Name: event_log; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.event_log (
    event_id character varying(36) NOT NULL,
    event_type character varying(120) NOT NULL,
    institution_id character varying(36),
    occurred_at timestamp with time zone NOT NULL,
    body json NOT NULL
);


--
-- Name: login_failures; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.login_failures (
    email character varying(254) NOT NULL,
    failures integer NOT NULL,
    locked_until timestamp with time zone
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
-- Name: partners; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.partners (
    id character varying(36) NOT NULL,
    name character varying(200) NOT NULL,
    contact_email character varying(254) NOT NULL,
    key_prefix character varying(16) NOT NULL,
    key_hash character varying(64) NOT NULL,
    event_types json NOT NULL,
    institution_ids json,
    created_at timestamp with time zone NOT NULL,
    revoked_at timestamp with time zone
);


--
-- Name: webhook_deliveries; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.webhook_deliveries (
    id character varying(36) NOT NULL,
    webhook_id character varying(36) NOT NULL,
    event_id character varying(36) NOT NULL,
    event_type character varying(120) NOT NULL,
    replay integer NOT NULL,
    status character varying(16) NOT NULL,
    attempts integer NOT NULL,
    last_status_code integer,
    last_error character varying(500),
    created_at timestamp with time zone NOT NULL,
    next_attempt_at timestamp with time zone,
    delivered_at timestamp with time zone
);


--
-- Name: webhooks; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.webhooks (
    id character varying(36) NOT NULL,
    partner_id character varying(36) NOT NULL,
    url character varying(2000) NOT NULL,
    event_types json NOT NULL,
    secret character varying(100) NOT NULL,
    previous_secret character varying(100),
    previous_secret_until timestamp with time zone,
    status character varying(16) NOT NULL,
    failing_since timestamp with time zone,
    disabled_at timestamp with time zone,
    created_at timestamp with time zone NOT NULL
);


--
-- Name: outbox seq; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.outbox ALTER COLUMN seq SET DEFAULT nextval('public.outbox_seq_seq'::regclass);


--
-- Data for Name: accounts; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.accounts (id, email, password_hash, role, institution_id, created_at) VALUES ('1438f9c8-b913-5a57-975c-6938bd6623d1', 'ops@continuity.test', '$argon2id$v=19$m=65536,t=3,p=4$KkZHp/JfyyY2G8smZoCibQ$7FQhEyP8Rdt2CKMjegWqq/mQx0isw/PcpWzm8AoCvrA', 'operator', NULL, '2026-12-06 20:55:35.033918+00');
INSERT INTO public.accounts (id, email, password_hash, role, institution_id, created_at) VALUES ('01a24d24-0687-7000-85ca-7548bdd3cc68', 'direction@lycee-ancien.fr', '$argon2id$v=19$m=65536,t=3,p=4$5hoGHMaDTfNpNj1hJQuurw$n+K9HxkjhrPspfovXysSTLm1VK/mmGOwAZHKrHL0buE', 'institution_admin', '01a24d24-0653-7000-9cc9-4a84472b830a', '2026-12-06 20:55:36.688173+00');
INSERT INTO public.accounts (id, email, password_hash, role, institution_id, created_at) VALUES ('01a24d24-0800-7000-ac15-048cd3eda7bc', 'eleve0@lycee-ancien.fr', '$argon2id$v=19$m=65536,t=3,p=4$Nz47GDOX/uUXXXDP91Cg9g$2GSWriC3Ld8AAx8L99e6W6p4yWhV8iopZ+Vi5Hmuj/0', 'learner', '01a24d24-0653-7000-9cc9-4a84472b830a', '2026-12-06 20:55:37.159122+00');
INSERT INTO public.accounts (id, email, password_hash, role, institution_id, created_at) VALUES ('01a24d24-0800-7001-8030-ababd9d3fe46', 'eleve1@lycee-ancien.fr', '$argon2id$v=19$m=65536,t=3,p=4$hlqDBvYuRmTaXI+Om7VSJg$cH2vfvpyihZP7w/b+oQOxVQIZ9Tkzb7x7tbCz6nWJWc', 'learner', '01a24d24-0653-7000-9cc9-4a84472b830a', '2026-12-06 20:55:37.311229+00');
INSERT INTO public.accounts (id, email, password_hash, role, institution_id, created_at) VALUES ('01a24d24-0800-7002-907e-dd908f79ecdf', 'eleve2@lycee-ancien.fr', '$argon2id$v=19$m=65536,t=3,p=4$gOviKYotC32d4fu6KfQZaA$7excdHXmRXeFKbe0Rs7eOJeJp/qbGq9JBdgYfNl5X9I', 'learner', '01a24d24-0653-7000-9cc9-4a84472b830a', '2026-12-06 20:55:37.456891+00');


--
-- Data for Name: applied_events; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: event_log; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: login_failures; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.login_failures (email, failures, locked_until) VALUES ('direction@lycee-ancien.fr', 1, NULL);


--
-- Data for Name: outbox; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: partners; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: webhook_deliveries; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: webhooks; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Name: outbox_seq_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.outbox_seq_seq', 1, false);


--
-- Name: accounts accounts_email_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.accounts
    ADD CONSTRAINT accounts_email_key UNIQUE (email);


--
-- Name: accounts accounts_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.accounts
    ADD CONSTRAINT accounts_pkey PRIMARY KEY (id);


--
-- Name: applied_events applied_events_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.applied_events
    ADD CONSTRAINT applied_events_pkey PRIMARY KEY (event_id, consumer);


--
-- Name: event_log event_log_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.event_log
    ADD CONSTRAINT event_log_pkey PRIMARY KEY (event_id);


--
-- Name: login_failures login_failures_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.login_failures
    ADD CONSTRAINT login_failures_pkey PRIMARY KEY (email);


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
-- Name: partners partners_key_prefix_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.partners
    ADD CONSTRAINT partners_key_prefix_key UNIQUE (key_prefix);


--
-- Name: partners partners_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.partners
    ADD CONSTRAINT partners_pkey PRIMARY KEY (id);


--
-- Name: webhook_deliveries webhook_deliveries_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.webhook_deliveries
    ADD CONSTRAINT webhook_deliveries_pkey PRIMARY KEY (id);


--
-- Name: webhook_deliveries webhook_deliveries_webhook_id_event_id_replay_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.webhook_deliveries
    ADD CONSTRAINT webhook_deliveries_webhook_id_event_id_replay_key UNIQUE (webhook_id, event_id, replay);


--
-- Name: webhooks webhooks_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.webhooks
    ADD CONSTRAINT webhooks_pkey PRIMARY KEY (id);


--
-- Name: ix_deliveries_due; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_deliveries_due ON public.webhook_deliveries USING btree (status, next_attempt_at);


--
-- Name: ix_event_log_occurred_at; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_event_log_occurred_at ON public.event_log USING btree (occurred_at);


--
-- Name: ix_outbox_unpublished; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_outbox_unpublished ON public.outbox USING btree (kind, seq) WHERE (published_at IS NULL);


--
-- Name: ix_webhook_deliveries_webhook_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_webhook_deliveries_webhook_id ON public.webhook_deliveries USING btree (webhook_id);


--
-- Name: ix_webhooks_partner_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_webhooks_partner_id ON public.webhooks USING btree (partner_id);


--
-- Name: webhook_deliveries webhook_deliveries_webhook_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.webhook_deliveries
    ADD CONSTRAINT webhook_deliveries_webhook_id_fkey FOREIGN KEY (webhook_id) REFERENCES public.webhooks(id);


--
-- Name: webhooks webhooks_partner_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.webhooks
    ADD CONSTRAINT webhooks_partner_id_fkey FOREIGN KEY (partner_id) REFERENCES public.partners(id);


--
-- PostgreSQL database dump complete
--


