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
-- Name: applications; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.applications (
    id character varying(36) NOT NULL,
    status character varying(16) NOT NULL,
    status_token character varying(64) NOT NULL,
    idempotency_key character varying(200),
    name character varying(200) NOT NULL,
    type character varying(32) NOT NULL,
    country character varying(2) NOT NULL,
    city character varying(120) NOT NULL,
    website character varying(300) NOT NULL,
    website_domain character varying(255) NOT NULL,
    contact_name character varying(200) NOT NULL,
    contact_email character varying(254) NOT NULL,
    contact_role character varying(120) NOT NULL,
    expected_learners integer NOT NULL,
    languages json NOT NULL,
    timezone character varying(64) NOT NULL,
    reasons json NOT NULL,
    institution_id character varying(36),
    received_at timestamp with time zone NOT NULL,
    decided_at timestamp with time zone,
    decided_by character varying(254),
    decision_reason text
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
-- Name: institutions; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.institutions (
    id character varying(36) NOT NULL,
    application_id character varying(36) NOT NULL,
    name character varying(200) NOT NULL,
    type character varying(32) NOT NULL,
    country character varying(2) NOT NULL,
    city character varying(120) NOT NULL,
    languages json NOT NULL,
    timezone character varying(64) NOT NULL,
    status character varying(16) NOT NULL,
    admin_email character varying(254) NOT NULL,
    expected_learners integer NOT NULL,
    licence_id character varying(36),
    applied_at timestamp with time zone NOT NULL,
    approved_at timestamp with time zone NOT NULL,
    licence_issued_at timestamp with time zone,
    activated_at timestamp with time zone
);


--
-- Name: members; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.members (
    id character varying(36) NOT NULL,
    institution_id character varying(36) NOT NULL,
    role character varying(24) NOT NULL,
    email character varying(254) NOT NULL,
    first_name character varying(120) NOT NULL,
    last_name character varying(120) NOT NULL,
    cohort character varying(120),
    external_id character varying(120),
    import_job_id character varying(36),
    created_at timestamp with time zone NOT NULL,
    invitation_hash character varying(64),
    invitation_expires_at timestamp with time zone,
    invitation_accepted_at timestamp with time zone
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
-- Name: roster_jobs; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.roster_jobs (
    id character varying(36) NOT NULL,
    institution_id character varying(36) NOT NULL,
    status character varying(16) NOT NULL,
    content text NOT NULL,
    filename character varying(255),
    rows_read integer NOT NULL,
    imported integer NOT NULL,
    duplicates integer NOT NULL,
    rejected integer NOT NULL,
    errors json NOT NULL,
    next_row integer NOT NULL,
    next_offset integer NOT NULL,
    next_line integer NOT NULL,
    lease_until timestamp with time zone,
    created_at timestamp with time zone NOT NULL,
    finished_at timestamp with time zone
);


--
-- Name: roster_parts; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.roster_parts (
    job_id character varying(36) NOT NULL,
    part integer NOT NULL,
    part_job_id character varying(36) NOT NULL
);


--
-- Name: webinar_bookings; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.webinar_bookings (
    institution_id character varying(36) NOT NULL,
    webinar_id character varying(36) NOT NULL,
    booked_at timestamp with time zone NOT NULL
);


--
-- Name: webinars; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.webinars (
    id character varying(36) NOT NULL,
    language character varying(2) NOT NULL,
    starts_at timestamp with time zone NOT NULL,
    minutes integer NOT NULL,
    capacity integer NOT NULL,
    booked integer NOT NULL
);


--
-- Name: outbox seq; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.outbox ALTER COLUMN seq SET DEFAULT nextval('public.outbox_seq_seq'::regclass);


--
-- Data for Name: applications; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.applications (id, status, status_token, idempotency_key, name, type, country, city, website, website_domain, contact_name, contact_email, contact_role, expected_learners, languages, timezone, reasons, institution_id, received_at, decided_at, decided_by, decision_reason) VALUES ('01a24d24-0652-7000-85d9-ca5b01323235', 'active', 'WK_u1H9mlbGcsca45X6xIYfNBZ9l6nUk', NULL, 'Établissement lycee-ancien.fr', 'secondary_school', 'FR', 'Lille', 'https://www.lycee-ancien.fr', 'lycee-ancien.fr', 'Camille Leroy', 'direction@lycee-ancien.fr', 'Direction', 10, '["fr"]', 'Europe/Paris', '[]', '01a24d24-0653-7000-9cc9-4a84472b830a', '2026-12-06 20:55:36.274824+00', '2026-12-06 20:55:36.275541+00', NULL, NULL);
INSERT INTO public.applications (id, status, status_token, idempotency_key, name, type, country, city, website, website_domain, contact_name, contact_email, contact_role, expected_learners, languages, timezone, reasons, institution_id, received_at, decided_at, decided_by, decision_reason) VALUES ('01a24d24-0b24-7000-bd77-a1e860001388', 'needs_review', '8uRfhnlcCQ-g5mdORYDgg0pxeJfcvWUR', 'key-attente-1', 'Établissement ecole-attente.fr', 'secondary_school', 'FR', 'Lille', 'https://www.ecole-attente.fr', 'ecole-attente.fr', 'Camille Leroy', 'direction@ecole-attente.fr', 'Direction', 9000, '["fr"]', 'Europe/Paris', '["9000 expected learners exceeds the 5000 approved without review"]', NULL, '2026-12-06 20:55:37.508962+00', NULL, NULL, NULL);
INSERT INTO public.applications (id, status, status_token, idempotency_key, name, type, country, city, website, website_domain, contact_name, contact_email, contact_role, expected_learners, languages, timezone, reasons, institution_id, received_at, decided_at, decided_by, decision_reason) VALUES ('01a24d24-0b2e-7000-85be-dd6bf1868043', 'rejected', 'Ammt_FA4z9JzNXuWb-LZ-90HD2MIdDBI', NULL, 'Établissement college-refuse.fr', 'secondary_school', 'FR', 'Lille', 'https://www.college-refuse.fr', 'college-refuse.fr', 'Camille Leroy', 'direction@college-refuse.fr', 'Direction', 9000, '["fr"]', 'Europe/Paris', '["9000 expected learners exceeds the 5000 approved without review"]', NULL, '2026-12-06 20:55:37.518964+00', '2026-12-06 20:55:37.663623+00', 'ops@continuity.test', 'not a school');


--
-- Data for Name: applied_events; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.applied_events (event_id, consumer, applied_at) VALUES ('01a24d24-066f-7000-af33-afc4e00645b5', 'onboarding.on_licensing_licence_issued', '2026-12-06 20:55:36.325459+00');


--
-- Data for Name: institutions; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.institutions (id, application_id, name, type, country, city, languages, timezone, status, admin_email, expected_learners, licence_id, applied_at, approved_at, licence_issued_at, activated_at) VALUES ('01a24d24-0653-7000-9cc9-4a84472b830a', '01a24d24-0652-7000-85d9-ca5b01323235', 'Établissement lycee-ancien.fr', 'secondary_school', 'FR', 'Lille', '["fr"]', 'Europe/Paris', 'active', 'direction@lycee-ancien.fr', 10, '01a24d24-0666-7000-b712-8e9acd1786ec', '2026-12-06 20:55:36.274824+00', '2026-12-06 20:55:36.275541+00', '2026-12-06 20:55:36.294968+00', '2026-12-06 20:55:36.327354+00');


--
-- Data for Name: members; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.members (id, institution_id, role, email, first_name, last_name, cohort, external_id, import_job_id, created_at, invitation_hash, invitation_expires_at, invitation_accepted_at) VALUES ('01a24d24-0687-7000-85ca-7548bdd3cc68', '01a24d24-0653-7000-9cc9-4a84472b830a', 'institution_admin', 'direction@lycee-ancien.fr', '', '', NULL, NULL, NULL, '2026-12-06 20:55:36.327354+00', 'd9d9622bde74849f74141679f2ee04097cdf976a7415b043c9265a9d43b7bb79', '2026-12-13 20:55:36.327354+00', '2026-12-06 20:55:36.519107+00');
INSERT INTO public.members (id, institution_id, role, email, first_name, last_name, cohort, external_id, import_job_id, created_at, invitation_hash, invitation_expires_at, invitation_accepted_at) VALUES ('01a24d24-0800-7000-ac15-048cd3eda7bc', '01a24d24-0653-7000-9cc9-4a84472b830a', 'learner', 'eleve0@lycee-ancien.fr', 'Élève', '0', 'Classe 0', NULL, '01a24d24-07ff-7000-b827-7667cc47594f', '2026-12-06 20:55:36.704053+00', '226fff9075ffc7c682e7748236bb826aebb4e17ac9916348932221deb8f7c16b', '2026-12-13 20:55:36.704053+00', '2026-12-06 20:55:36.969539+00');
INSERT INTO public.members (id, institution_id, role, email, first_name, last_name, cohort, external_id, import_job_id, created_at, invitation_hash, invitation_expires_at, invitation_accepted_at) VALUES ('01a24d24-0800-7001-8030-ababd9d3fe46', '01a24d24-0653-7000-9cc9-4a84472b830a', 'learner', 'eleve1@lycee-ancien.fr', 'Élève', '1', 'Classe 1', NULL, '01a24d24-07ff-7000-b827-7667cc47594f', '2026-12-06 20:55:36.704053+00', '57e172e4852e0eb0a03ebbf5e80a6e4fab7928a33b0327f6b4e3ee67ff006ada', '2026-12-13 20:55:36.704053+00', '2026-12-06 20:55:37.171663+00');
INSERT INTO public.members (id, institution_id, role, email, first_name, last_name, cohort, external_id, import_job_id, created_at, invitation_hash, invitation_expires_at, invitation_accepted_at) VALUES ('01a24d24-0800-7002-907e-dd908f79ecdf', '01a24d24-0653-7000-9cc9-4a84472b830a', 'learner', 'eleve2@lycee-ancien.fr', 'Élève', '2', 'Classe 0', NULL, '01a24d24-07ff-7000-b827-7667cc47594f', '2026-12-06 20:55:36.704053+00', '78eafa5492d2e398ef0b1fce61fa62616d2155642ae88b239a1d8d3191d81382', '2026-12-13 20:55:36.704053+00', '2026-12-06 20:55:37.322787+00');


--
-- Data for Name: outbox; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.outbox (seq, message_id, kind, topic, body, correlation_id, created_at, published_at) VALUES (1, '01a24d24-0653-7000-8ec3-235d2353b9a4', 'event', 'application.received.v1', '{"event_id":"01a24d24-0653-7000-8ec3-235d2353b9a4","event_type":"application.received.v1","minor_version":0,"occurred_at":"2026-12-06T20:55:36.275431+00:00","producer":"onboarding","correlation_id":"4b87a6c322c24cfcb63d8d3e5ce18e1b","data":{"application_id":"01a24d24-0652-7000-85d9-ca5b01323235","name":"Établissement lycee-ancien.fr","type":"secondary_school","country":"FR","expected_learners":10,"received_at":"2026-12-06T20:55:36.274824+00:00"}}', '4b87a6c322c24cfcb63d8d3e5ce18e1b', '2026-12-06 20:55:36.275437+00', '2026-12-06 20:55:36.297155+00');
INSERT INTO public.outbox (seq, message_id, kind, topic, body, correlation_id, created_at, published_at) VALUES (2, '01a24d24-0653-7000-aff9-6ac0840668df', 'event', 'institution.approved.v1', '{"event_id":"01a24d24-0653-7000-aff9-6ac0840668df","event_type":"institution.approved.v1","minor_version":0,"occurred_at":"2026-12-06T20:55:36.275921+00:00","producer":"onboarding","correlation_id":"4b87a6c322c24cfcb63d8d3e5ce18e1b","data":{"institution_id":"01a24d24-0653-7000-9cc9-4a84472b830a","application_id":"01a24d24-0652-7000-85d9-ca5b01323235","name":"Établissement lycee-ancien.fr","country":"FR","type":"secondary_school","expected_learners":10,"languages":["fr"],"timezone":"Europe/Paris","admin_email":"direction@lycee-ancien.fr","plan":"spark","approved_at":"2026-12-06T20:55:36.275541+00:00"}}', '4b87a6c322c24cfcb63d8d3e5ce18e1b', '2026-12-06 20:55:36.275926+00', '2026-12-06 20:55:36.297155+00');
INSERT INTO public.outbox (seq, message_id, kind, topic, body, correlation_id, created_at, published_at) VALUES (3, '01a24d24-0689-7000-b0e6-296532c2f373', 'event', 'webinar.scheduled.v1', '{"event_id":"01a24d24-0689-7000-b0e6-296532c2f373","event_type":"webinar.scheduled.v1","minor_version":0,"occurred_at":"2026-12-06T20:55:36.329721+00:00","producer":"onboarding","correlation_id":"4b87a6c322c24cfcb63d8d3e5ce18e1b","data":{"institution_id":"01a24d24-0653-7000-9cc9-4a84472b830a","webinar_id":"01a24d24-0681-7000-9224-cccc84149f1f","language":"fr","starts_at":"2026-12-08T08:00:00+00:00"}}', '4b87a6c322c24cfcb63d8d3e5ce18e1b', '2026-12-06 20:55:36.329729+00', '2026-12-06 20:55:36.335429+00');
INSERT INTO public.outbox (seq, message_id, kind, topic, body, correlation_id, created_at, published_at) VALUES (5, '01a24d24-0689-7000-866f-b980e49ec3ba', 'event', 'institution.activated.v1', '{"event_id":"01a24d24-0689-7000-866f-b980e49ec3ba","event_type":"institution.activated.v1","minor_version":0,"occurred_at":"2026-12-06T20:55:36.330070+00:00","producer":"onboarding","correlation_id":"4b87a6c322c24cfcb63d8d3e5ce18e1b","data":{"institution_id":"01a24d24-0653-7000-9cc9-4a84472b830a","licence_id":"01a24d24-0666-7000-b712-8e9acd1786ec","admin_member_id":"01a24d24-0687-7000-85ca-7548bdd3cc68","applied_at":"2026-12-06T20:55:36.274824+00:00","activated_at":"2026-12-06T20:55:36.327354+00:00"}}', '4b87a6c322c24cfcb63d8d3e5ce18e1b', '2026-12-06 20:55:36.330074+00', '2026-12-06 20:55:36.335429+00');
INSERT INTO public.outbox (seq, message_id, kind, topic, body, correlation_id, created_at, published_at) VALUES (4, '01a24d24-0689-7000-a81f-171539e13764', 'mail', 'direction@lycee-ancien.fr', '{"mails":[{"to":"direction@lycee-ancien.fr","subject":"Votre espace Continuity pour Établissement lycee-ancien.fr est prêt","text":"Bonjour,\n\nÉtablissement lycee-ancien.fr dispose désormais d''une licence SPARK gratuite sur Continuity.\nChoisissez votre mot de passe et ouvrez l''espace de votre établissement ici (lien à usage unique, valable 7 jours) :\n\n  http://127.0.0.1:28870/invitations/01a24d24-0687-7000-85ca-7548bdd3cc686LCk8O88I7XsFYWW-MIC5Pz92-VHqDW9xBLPVB7uuSI\n\nVotre webinaire de prise en main (en français, 1 heure) : 2026-12-08 09:00 (Europe/Paris).\n\nImportez ensuite la liste de vos apprenants (CSV) et suivez leur progression sur votre tableau de bord.\n\nL''équipe Continuity\n","language":"fr"}]}', '4b87a6c322c24cfcb63d8d3e5ce18e1b', '2026-12-06 20:55:36.32991+00', '2026-12-06 20:55:36.337468+00');
INSERT INTO public.outbox (seq, message_id, kind, topic, body, correlation_id, created_at, published_at) VALUES (6, '01a24d24-0801-7000-a15e-2cf38cea800c', 'event', 'learners.enrolled.v1', '{"event_id":"01a24d24-0801-7000-a15e-2cf38cea800c","event_type":"learners.enrolled.v1","minor_version":0,"occurred_at":"2026-12-06T20:55:36.705411+00:00","producer":"onboarding","correlation_id":"b73a8eec66f34555b972ba3fd025baa8","data":{"institution_id":"01a24d24-0653-7000-9cc9-4a84472b830a","import_job_id":"01a24d24-07ff-7000-b827-7667cc47594f","learners":[{"learner_id":"01a24d24-0800-7000-ac15-048cd3eda7bc","email":"eleve0@lycee-ancien.fr","first_name":"Élève","last_name":"0","cohort":"Classe 0","external_id":null},{"learner_id":"01a24d24-0800-7001-8030-ababd9d3fe46","email":"eleve1@lycee-ancien.fr","first_name":"Élève","last_name":"1","cohort":"Classe 1","external_id":null},{"learner_id":"01a24d24-0800-7002-907e-dd908f79ecdf","email":"eleve2@lycee-ancien.fr","first_name":"Élève","last_name":"2","cohort":"Classe 0","external_id":null}]}}', 'b73a8eec66f34555b972ba3fd025baa8', '2026-12-06 20:55:36.70542+00', '2026-12-06 20:55:36.720037+00');
INSERT INTO public.outbox (seq, message_id, kind, topic, body, correlation_id, created_at, published_at) VALUES (8, '01a24d24-0b25-7000-b30d-34416c1a60ff', 'event', 'application.received.v1', '{"event_id":"01a24d24-0b25-7000-b30d-34416c1a60ff","event_type":"application.received.v1","minor_version":0,"occurred_at":"2026-12-06T20:55:37.509440+00:00","producer":"onboarding","correlation_id":"8975b7212e9946c9a24f108830830434","data":{"application_id":"01a24d24-0b24-7000-bd77-a1e860001388","name":"Établissement ecole-attente.fr","type":"secondary_school","country":"FR","expected_learners":9000,"received_at":"2026-12-06T20:55:37.508962+00:00"}}', '8975b7212e9946c9a24f108830830434', '2026-12-06 20:55:37.509446+00', '2026-12-06 20:55:37.518184+00');
INSERT INTO public.outbox (seq, message_id, kind, topic, body, correlation_id, created_at, published_at) VALUES (9, '01a24d24-0b2f-7000-852f-0db48bb372f6', 'event', 'application.received.v1', '{"event_id":"01a24d24-0b2f-7000-852f-0db48bb372f6","event_type":"application.received.v1","minor_version":0,"occurred_at":"2026-12-06T20:55:37.519297+00:00","producer":"onboarding","correlation_id":"46d9e32838aa435da74093038af7e3de","data":{"application_id":"01a24d24-0b2e-7000-85be-dd6bf1868043","name":"Établissement college-refuse.fr","type":"secondary_school","country":"FR","expected_learners":9000,"received_at":"2026-12-06T20:55:37.518964+00:00"}}', '46d9e32838aa435da74093038af7e3de', '2026-12-06 20:55:37.519337+00', '2026-12-06 20:55:37.525192+00');
INSERT INTO public.outbox (seq, message_id, kind, topic, body, correlation_id, created_at, published_at) VALUES (7, '01a24d24-0801-7000-876a-b0134c3ca000', 'mail', '3 recipients', '{"template":"onboarding.learner_invitation","language":"fr","values":{"institution":"Établissement lycee-ancien.fr","public_url":"http://127.0.0.1:28870"},"recipients":[{"to":"eleve0@lycee-ancien.fr","first_name":"Élève","token":"01a24d24-0800-7000-ac15-048cd3eda7bcDQI0RF043_u_CKy2P9oONJ3Pgg3a51iMveR1zSNW900"},{"to":"eleve1@lycee-ancien.fr","first_name":"Élève","token":"01a24d24-0800-7001-8030-ababd9d3fe46bzkpsFl8GKfEyypd7KJ-hED4JL1iuBuDtpORdcnSnDs"},{"to":"eleve2@lycee-ancien.fr","first_name":"Élève","token":"01a24d24-0800-7002-907e-dd908f79ecdfWj4cFT4zCspRebxU63LiWW4-EFeRimgbpO6Tu1P0Fho"}]}', 'b73a8eec66f34555b972ba3fd025baa8', '2026-12-06 20:55:36.7056+00', '2026-12-06 20:55:36.722353+00');
INSERT INTO public.outbox (seq, message_id, kind, topic, body, correlation_id, created_at, published_at) VALUES (10, '01a24d24-0bbf-7000-b8ba-db038661b6cb', 'event', 'institution.rejected.v1', '{"event_id":"01a24d24-0bbf-7000-b8ba-db038661b6cb","event_type":"institution.rejected.v1","minor_version":0,"occurred_at":"2026-12-06T20:55:37.663851+00:00","producer":"onboarding","correlation_id":"2c3571c4afe6485788164214e16e025c","data":{"application_id":"01a24d24-0b2e-7000-85be-dd6bf1868043","reasons":["not a school"],"rejected_at":"2026-12-06T20:55:37.663623+00:00"}}', '2c3571c4afe6485788164214e16e025c', '2026-12-06 20:55:37.663857+00', '2026-12-06 20:55:37.669879+00');


--
-- Data for Name: roster_jobs; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.roster_jobs (id, institution_id, status, content, filename, rows_read, imported, duplicates, rejected, errors, next_row, next_offset, next_line, lease_until, created_at, finished_at) VALUES ('01a24d24-07ff-7000-b827-7667cc47594f', '01a24d24-0653-7000-9cc9-4a84472b830a', 'done', '', NULL, 3, 3, 0, 0, '[]', 3, 154, 4, '2026-12-06 20:56:06.704053+00', '2026-12-06 20:55:36.703803+00', '2026-12-06 20:55:36.704053+00');


--
-- Data for Name: roster_parts; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: webinar_bookings; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.webinar_bookings (institution_id, webinar_id, booked_at) VALUES ('01a24d24-0653-7000-9cc9-4a84472b830a', '01a24d24-0681-7000-9224-cccc84149f1f', '2026-12-06 20:55:36.323534+00');


--
-- Data for Name: webinars; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.webinars (id, language, starts_at, minutes, capacity, booked) VALUES ('01a24d24-0681-7000-9224-cccc84149f1f', 'fr', '2026-12-08 08:00:00+00', 60, 50, 1);


--
-- Name: outbox_seq_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.outbox_seq_seq', 10, true);


--
-- Name: applications applications_idempotency_key_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.applications
    ADD CONSTRAINT applications_idempotency_key_key UNIQUE (idempotency_key);


--
-- Name: applications applications_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.applications
    ADD CONSTRAINT applications_pkey PRIMARY KEY (id);


--
-- Name: applications applications_website_domain_country_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.applications
    ADD CONSTRAINT applications_website_domain_country_key UNIQUE (website_domain, country);


--
-- Name: applied_events applied_events_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.applied_events
    ADD CONSTRAINT applied_events_pkey PRIMARY KEY (event_id, consumer);


--
-- Name: institutions institutions_application_id_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.institutions
    ADD CONSTRAINT institutions_application_id_key UNIQUE (application_id);


--
-- Name: institutions institutions_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.institutions
    ADD CONSTRAINT institutions_pkey PRIMARY KEY (id);


--
-- Name: members members_institution_id_email_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.members
    ADD CONSTRAINT members_institution_id_email_key UNIQUE (institution_id, email);


--
-- Name: members members_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.members
    ADD CONSTRAINT members_pkey PRIMARY KEY (id);


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
-- Name: roster_jobs roster_jobs_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.roster_jobs
    ADD CONSTRAINT roster_jobs_pkey PRIMARY KEY (id);


--
-- Name: roster_parts roster_parts_part_job_id_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.roster_parts
    ADD CONSTRAINT roster_parts_part_job_id_key UNIQUE (part_job_id);


--
-- Name: roster_parts roster_parts_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.roster_parts
    ADD CONSTRAINT roster_parts_pkey PRIMARY KEY (job_id, part);


--
-- Name: webinar_bookings webinar_bookings_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.webinar_bookings
    ADD CONSTRAINT webinar_bookings_pkey PRIMARY KEY (institution_id);


--
-- Name: webinars webinars_language_starts_at_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.webinars
    ADD CONSTRAINT webinars_language_starts_at_key UNIQUE (language, starts_at);


--
-- Name: webinars webinars_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.webinars
    ADD CONSTRAINT webinars_pkey PRIMARY KEY (id);


--
-- Name: ix_applications_status; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_applications_status ON public.applications USING btree (status);


--
-- Name: ix_institutions_status; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_institutions_status ON public.institutions USING btree (status);


--
-- Name: ix_outbox_unpublished; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_outbox_unpublished ON public.outbox USING btree (kind, seq) WHERE (published_at IS NULL);


--
-- Name: ix_roster_jobs_institution_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_roster_jobs_institution_id ON public.roster_jobs USING btree (institution_id);


--
-- Name: ix_roster_jobs_status; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_roster_jobs_status ON public.roster_jobs USING btree (status);


--
-- Name: ix_webinar_bookings_webinar_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_webinar_bookings_webinar_id ON public.webinar_bookings USING btree (webinar_id);


--
-- Name: institutions institutions_application_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.institutions
    ADD CONSTRAINT institutions_application_id_fkey FOREIGN KEY (application_id) REFERENCES public.applications(id);


--
-- Name: roster_jobs roster_jobs_institution_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.roster_jobs
    ADD CONSTRAINT roster_jobs_institution_id_fkey FOREIGN KEY (institution_id) REFERENCES public.institutions(id);


--
-- Name: roster_parts roster_parts_job_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.roster_parts
    ADD CONSTRAINT roster_parts_job_id_fkey FOREIGN KEY (job_id) REFERENCES public.roster_jobs(id);


--
-- Name: roster_parts roster_parts_part_job_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.roster_parts
    ADD CONSTRAINT roster_parts_part_job_id_fkey FOREIGN KEY (part_job_id) REFERENCES public.roster_jobs(id);


--
-- Name: webinar_bookings webinar_bookings_institution_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.webinar_bookings
    ADD CONSTRAINT webinar_bookings_institution_id_fkey FOREIGN KEY (institution_id) REFERENCES public.institutions(id);


--
-- Name: webinar_bookings webinar_bookings_webinar_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.webinar_bookings
    ADD CONSTRAINT webinar_bookings_webinar_id_fkey FOREIGN KEY (webinar_id) REFERENCES public.webinars(id);


--
-- PostgreSQL database dump complete
--


