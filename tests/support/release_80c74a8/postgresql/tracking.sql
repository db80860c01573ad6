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
-- Name: chapters_done; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.chapters_done (
    learner_id character varying(36) NOT NULL,
    course_id character varying(120) NOT NULL,
    chapter_id character varying(120) NOT NULL,
    done_at timestamp with time zone NOT NULL
);


--
-- Name: course_states; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.course_states (
    learner_id character varying(36) NOT NULL,
    course_id character varying(120) NOT NULL,
    institution_id character varying(36) NOT NULL,
    chapters_done integer NOT NULL,
    best_score integer,
    started_at timestamp with time zone NOT NULL,
    completed_at timestamp with time zone
);


--
-- Name: courses; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.courses (
    id character varying(120) NOT NULL,
    title character varying(300) NOT NULL,
    status character varying(16) NOT NULL,
    chapters json NOT NULL,
    skills json NOT NULL,
    pass_mark integer,
    updated_at timestamp with time zone NOT NULL
);


--
-- Name: learners; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.learners (
    id character varying(36) NOT NULL,
    institution_id character varying(36) NOT NULL,
    email character varying(254),
    first_name character varying(120),
    last_name character varying(120),
    cohort character varying(120),
    external_id character varying(120),
    seated boolean NOT NULL,
    enrolled_at timestamp with time zone NOT NULL,
    seat_changed_at timestamp with time zone,
    removed_at timestamp with time zone,
    last_activity_at timestamp with time zone,
    courses_started integer NOT NULL,
    courses_completed integer NOT NULL,
    skills_acquired integer NOT NULL
)
WITH (fillfactor='50');


--
-- Name: licences; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.licences (
    id character varying(36) NOT NULL,
    institution_id character varying(36) NOT NULL,
    status character varying(16) NOT NULL,
    seats_granted integer NOT NULL,
    starts_at timestamp with time zone,
    ends_at timestamp with time zone,
    extended_at timestamp with time zone,
    expired_at timestamp with time zone,
    revoked_at timestamp with time zone,
    updated_at timestamp with time zone
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
-- Name: progress; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.progress (
    id character varying(64) NOT NULL,
    learner_id character varying(36) NOT NULL,
    institution_id character varying(36) NOT NULL,
    course_id character varying(120) NOT NULL,
    kind character varying(24) NOT NULL,
    chapter_id character varying(120),
    score integer,
    recorded_at timestamp with time zone NOT NULL
);


--
-- Name: skills_acquired; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.skills_acquired (
    learner_id character varying(36) NOT NULL,
    skill_id character varying(120) NOT NULL,
    institution_id character varying(36) NOT NULL,
    course_id character varying(120) NOT NULL,
    acquired_at timestamp with time zone NOT NULL
);


--
-- Name: outbox seq; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.outbox ALTER COLUMN seq SET DEFAULT nextval('public.outbox_seq_seq'::regclass);


--
-- Data for Name: applied_events; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.applied_events (event_id, consumer, applied_at) VALUES ('01a24d23-fa6b-7000-b2f8-5f87577f1ea5', 'tracking.on_catalog_course_published', '2026-12-06 20:55:33.308252+00');
INSERT INTO public.applied_events (event_id, consumer, applied_at) VALUES ('01a24d23-fa6c-7000-9c49-2bbed9239c07', 'tracking.on_catalog_course_published', '2026-12-06 20:55:33.312104+00');
INSERT INTO public.applied_events (event_id, consumer, applied_at) VALUES ('01a24d23-fa6d-7000-b95f-15744dfa0f10', 'tracking.on_catalog_course_published', '2026-12-06 20:55:33.359622+00');
INSERT INTO public.applied_events (event_id, consumer, applied_at) VALUES ('01a24d23-fa6d-7000-815b-3f023498833d', 'tracking.on_catalog_course_published', '2026-12-06 20:55:33.36791+00');
INSERT INTO public.applied_events (event_id, consumer, applied_at) VALUES ('01a24d23-fa6f-7000-b060-9bacc80ab90f', 'tracking.on_catalog_course_published', '2026-12-06 20:55:33.371019+00');
INSERT INTO public.applied_events (event_id, consumer, applied_at) VALUES ('01a24d23-fa6e-7000-8e8c-a44c141ae91d', 'tracking.on_catalog_course_published', '2026-12-06 20:55:33.367278+00');
INSERT INTO public.applied_events (event_id, consumer, applied_at) VALUES ('01a24d23-fa6e-7000-a4c4-7e3ddd2f8464', 'tracking.on_catalog_course_published', '2026-12-06 20:55:33.368201+00');
INSERT INTO public.applied_events (event_id, consumer, applied_at) VALUES ('01a24d23-fa6e-7000-8371-1a1c24e7cccf', 'tracking.on_catalog_course_published', '2026-12-06 20:55:33.369057+00');
INSERT INTO public.applied_events (event_id, consumer, applied_at) VALUES ('01a24d23-fa6c-7000-a477-649437b0e68b', 'tracking.on_catalog_course_published', '2026-12-06 20:55:33.367588+00');
INSERT INTO public.applied_events (event_id, consumer, applied_at) VALUES ('01a24d23-fa6f-7000-a12d-4de5410b21d3', 'tracking.on_catalog_course_published', '2026-12-06 20:55:33.368767+00');
INSERT INTO public.applied_events (event_id, consumer, applied_at) VALUES ('01a24d23-fa6f-7000-80e8-cc5bd672fe65', 'tracking.on_catalog_course_published', '2026-12-06 20:55:33.366931+00');
INSERT INTO public.applied_events (event_id, consumer, applied_at) VALUES ('01a24d23-fa70-7000-b44f-81e3234c7577', 'tracking.on_catalog_course_published', '2026-12-06 20:55:33.378254+00');
INSERT INTO public.applied_events (event_id, consumer, applied_at) VALUES ('01a24d23-fa70-7000-a874-c58c6c2926b1', 'tracking.on_catalog_course_published', '2026-12-06 20:55:33.419306+00');
INSERT INTO public.applied_events (event_id, consumer, applied_at) VALUES ('01a24d23-fa71-7000-9c66-516a09b5f7c4', 'tracking.on_catalog_course_published', '2026-12-06 20:55:33.419859+00');
INSERT INTO public.applied_events (event_id, consumer, applied_at) VALUES ('01a24d23-fa71-7000-a12e-44357479aa29', 'tracking.on_catalog_course_published', '2026-12-06 20:55:33.423713+00');
INSERT INTO public.applied_events (event_id, consumer, applied_at) VALUES ('01a24d23-fa72-7000-a48f-b3021d42078f', 'tracking.on_catalog_course_published', '2026-12-06 20:55:33.437799+00');
INSERT INTO public.applied_events (event_id, consumer, applied_at) VALUES ('01a24d23-fa72-7000-9e10-dc691b08e072', 'tracking.on_catalog_course_published', '2026-12-06 20:55:33.437484+00');
INSERT INTO public.applied_events (event_id, consumer, applied_at) VALUES ('01a24d23-fa71-7000-a73e-1c17683cdc71', 'tracking.on_catalog_course_published', '2026-12-06 20:55:33.433615+00');
INSERT INTO public.applied_events (event_id, consumer, applied_at) VALUES ('01a24d23-fa72-7000-b9f2-a79bfef92099', 'tracking.on_catalog_course_published', '2026-12-06 20:55:33.444739+00');
INSERT INTO public.applied_events (event_id, consumer, applied_at) VALUES ('01a24d23-fa73-7000-847a-bd571ba6574e', 'tracking.on_catalog_course_published', '2026-12-06 20:55:33.445003+00');
INSERT INTO public.applied_events (event_id, consumer, applied_at) VALUES ('01a24d23-fa73-7000-affc-94e064c80096', 'tracking.on_catalog_course_published', '2026-12-06 20:55:33.448009+00');
INSERT INTO public.applied_events (event_id, consumer, applied_at) VALUES ('01a24d23-fa73-7000-8de2-3d6abdbe35a4', 'tracking.on_catalog_course_published', '2026-12-06 20:55:33.44829+00');
INSERT INTO public.applied_events (event_id, consumer, applied_at) VALUES ('01a24d23-fa74-7000-86d3-6c1731468536', 'tracking.on_catalog_course_published', '2026-12-06 20:55:33.491583+00');
INSERT INTO public.applied_events (event_id, consumer, applied_at) VALUES ('01a24d23-fa74-7000-b0a5-c5884825b4dc', 'tracking.on_catalog_course_published', '2026-12-06 20:55:33.49191+00');
INSERT INTO public.applied_events (event_id, consumer, applied_at) VALUES ('01a24d23-fa74-7000-bcf0-a0cae5363e9f', 'tracking.on_catalog_course_published', '2026-12-06 20:55:33.505423+00');
INSERT INTO public.applied_events (event_id, consumer, applied_at) VALUES ('01a24d23-fa75-7000-87e2-a12190575da2', 'tracking.on_catalog_course_published', '2026-12-06 20:55:33.505992+00');
INSERT INTO public.applied_events (event_id, consumer, applied_at) VALUES ('01a24d23-fa75-7000-a76f-b3de1d8c752f', 'tracking.on_catalog_course_published', '2026-12-06 20:55:33.505739+00');
INSERT INTO public.applied_events (event_id, consumer, applied_at) VALUES ('01a24d23-fa76-7000-9cbe-a124463dae1f', 'tracking.on_catalog_course_published', '2026-12-06 20:55:33.506261+00');
INSERT INTO public.applied_events (event_id, consumer, applied_at) VALUES ('01a24d23-fa76-7000-b5ce-67d280558694', 'tracking.on_catalog_course_published', '2026-12-06 20:55:33.514577+00');
INSERT INTO public.applied_events (event_id, consumer, applied_at) VALUES ('01a24d23-fa76-7000-bb63-77f5a7e9072c', 'tracking.on_catalog_course_published', '2026-12-06 20:55:33.514042+00');
INSERT INTO public.applied_events (event_id, consumer, applied_at) VALUES ('01a24d23-fa76-7000-973f-98c3d50b96bc', 'tracking.on_catalog_course_published', '2026-12-06 20:55:33.514323+00');
INSERT INTO public.applied_events (event_id, consumer, applied_at) VALUES ('01a24d23-fa77-7000-ae51-540ffa97f721', 'tracking.on_catalog_course_published', '2026-12-06 20:55:33.524973+00');
INSERT INTO public.applied_events (event_id, consumer, applied_at) VALUES ('01a24d23-fa77-7000-a878-0ab11b14c129', 'tracking.on_catalog_course_published', '2026-12-06 20:55:33.540866+00');
INSERT INTO public.applied_events (event_id, consumer, applied_at) VALUES ('01a24d23-fa78-7000-86cc-175f2f05b6b8', 'tracking.on_catalog_course_published', '2026-12-06 20:55:33.552771+00');
INSERT INTO public.applied_events (event_id, consumer, applied_at) VALUES ('01a24d23-fa78-7000-8159-2f42e2162f95', 'tracking.on_catalog_course_published', '2026-12-06 20:55:33.553066+00');
INSERT INTO public.applied_events (event_id, consumer, applied_at) VALUES ('01a24d23-fa79-7000-886e-a9e250847594', 'tracking.on_catalog_course_published', '2026-12-06 20:55:33.556061+00');
INSERT INTO public.applied_events (event_id, consumer, applied_at) VALUES ('01a24d23-fa79-7000-a3b4-f13d5bb77efd', 'tracking.on_catalog_course_published', '2026-12-06 20:55:33.569793+00');
INSERT INTO public.applied_events (event_id, consumer, applied_at) VALUES ('01a24d23-fa79-7000-8863-7b74f4ea7826', 'tracking.on_catalog_course_published', '2026-12-06 20:55:33.570089+00');
INSERT INTO public.applied_events (event_id, consumer, applied_at) VALUES ('01a24d23-fa7a-7000-8569-3d4fb3ba2705', 'tracking.on_catalog_course_published', '2026-12-06 20:55:33.570367+00');
INSERT INTO public.applied_events (event_id, consumer, applied_at) VALUES ('01a24d23-fa7a-7000-b3c4-0937f48d04c6', 'tracking.on_catalog_course_published', '2026-12-06 20:55:33.575347+00');
INSERT INTO public.applied_events (event_id, consumer, applied_at) VALUES ('01a24d23-fa7a-7000-bca7-79255817b87d', 'tracking.on_catalog_course_published', '2026-12-06 20:55:33.575664+00');
INSERT INTO public.applied_events (event_id, consumer, applied_at) VALUES ('01a24d23-fa7b-7000-b174-9c8dd45158bf', 'tracking.on_catalog_course_published', '2026-12-06 20:55:33.587182+00');
INSERT INTO public.applied_events (event_id, consumer, applied_at) VALUES ('01a24d23-fa7b-7000-89fa-3025f193d7db', 'tracking.on_catalog_course_published', '2026-12-06 20:55:33.597777+00');
INSERT INTO public.applied_events (event_id, consumer, applied_at) VALUES ('01a24d23-fa7b-7000-8a16-6e7907c6d09f', 'tracking.on_catalog_course_published', '2026-12-06 20:55:33.597436+00');
INSERT INTO public.applied_events (event_id, consumer, applied_at) VALUES ('01a24d23-fa7c-7000-a776-069ff6662210', 'tracking.on_catalog_course_published', '2026-12-06 20:55:33.602687+00');
INSERT INTO public.applied_events (event_id, consumer, applied_at) VALUES ('01a24d23-fa7c-7000-be01-6bcee1aa1387', 'tracking.on_catalog_course_published', '2026-12-06 20:55:33.603016+00');
INSERT INTO public.applied_events (event_id, consumer, applied_at) VALUES ('01a24d23-fa7c-7000-8f94-6ac705b1bf32', 'tracking.on_catalog_course_published', '2026-12-06 20:55:33.607014+00');
INSERT INTO public.applied_events (event_id, consumer, applied_at) VALUES ('01a24d23-fa7d-7000-98f9-66b46521a829', 'tracking.on_catalog_course_published', '2026-12-06 20:55:33.611947+00');
INSERT INTO public.applied_events (event_id, consumer, applied_at) VALUES ('01a24d23-fa7c-7000-a1e0-265139351ff9', 'tracking.on_catalog_course_published', '2026-12-06 20:55:33.607288+00');
INSERT INTO public.applied_events (event_id, consumer, applied_at) VALUES ('01a24d23-fa7d-7000-87c0-16b03a1e3c33', 'tracking.on_catalog_course_published', '2026-12-06 20:55:33.611664+00');
INSERT INTO public.applied_events (event_id, consumer, applied_at) VALUES ('01a24d23-fa7e-7000-9e1f-15f761c209a0', 'tracking.on_catalog_course_published', '2026-12-06 20:55:33.622788+00');
INSERT INTO public.applied_events (event_id, consumer, applied_at) VALUES ('01a24d23-fa7e-7000-8009-817bd42dce6d', 'tracking.on_catalog_course_published', '2026-12-06 20:55:33.634056+00');
INSERT INTO public.applied_events (event_id, consumer, applied_at) VALUES ('01a24d23-fa7f-7000-8a0a-0ed7e835ac01', 'tracking.on_catalog_course_published', '2026-12-06 20:55:33.648725+00');
INSERT INTO public.applied_events (event_id, consumer, applied_at) VALUES ('01a24d23-fa7f-7000-99f0-660c9036344f', 'tracking.on_catalog_course_published', '2026-12-06 20:55:33.648428+00');
INSERT INTO public.applied_events (event_id, consumer, applied_at) VALUES ('01a24d23-fa7e-7000-8c0a-fd9a123aae35', 'tracking.on_catalog_course_published', '2026-12-06 20:55:33.647935+00');
INSERT INTO public.applied_events (event_id, consumer, applied_at) VALUES ('01a24d23-fa7f-7000-8b53-5b83aeb5375c', 'tracking.on_catalog_course_published', '2026-12-06 20:55:33.652972+00');
INSERT INTO public.applied_events (event_id, consumer, applied_at) VALUES ('01a24d23-fa80-7000-886a-655b831cc6ff', 'tracking.on_catalog_course_published', '2026-12-06 20:55:33.653695+00');
INSERT INTO public.applied_events (event_id, consumer, applied_at) VALUES ('01a24d23-fa80-7000-8bb4-4bb9098d717f', 'tracking.on_catalog_course_published', '2026-12-06 20:55:33.654015+00');
INSERT INTO public.applied_events (event_id, consumer, applied_at) VALUES ('01a24d23-fa80-7000-8f4e-3ae73fe30f8e', 'tracking.on_catalog_course_published', '2026-12-06 20:55:33.65986+00');
INSERT INTO public.applied_events (event_id, consumer, applied_at) VALUES ('01a24d24-066f-7000-af33-afc4e00645b5', 'tracking.on_licensing_licence_issued', '2026-12-06 20:55:36.313675+00');
INSERT INTO public.applied_events (event_id, consumer, applied_at) VALUES ('01a24d24-0801-7000-a15e-2cf38cea800c', 'tracking.on_onboarding_learners_enrolled', '2026-12-06 20:55:36.716919+00');
INSERT INTO public.applied_events (event_id, consumer, applied_at) VALUES ('01a24d24-0819-7000-a9dd-7be8b3a6f2b9', 'tracking.on_licensing_seats_assigned', '2026-12-06 20:55:36.741708+00');


--
-- Data for Name: chapters_done; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.chapters_done (learner_id, course_id, chapter_id, done_at) VALUES ('01a24d24-0800-7000-ac15-048cd3eda7bc', 'analyse-de-donnees-initiez-vous-aux-statistiques-descriptives', 'identifiez-les-types-de-variables', '2026-12-06 20:55:37.469036+00');
INSERT INTO public.chapters_done (learner_id, course_id, chapter_id, done_at) VALUES ('01a24d24-0800-7000-ac15-048cd3eda7bc', 'analyse-de-donnees-initiez-vous-aux-statistiques-descriptives', 'calculez-moyenne-mediane-et-mode', '2026-12-06 20:55:37.494436+00');


--
-- Data for Name: course_states; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.course_states (learner_id, course_id, institution_id, chapters_done, best_score, started_at, completed_at) VALUES ('01a24d24-0800-7000-ac15-048cd3eda7bc', 'analyse-de-donnees-initiez-vous-aux-statistiques-descriptives', '01a24d24-0653-7000-9cc9-4a84472b830a', 2, NULL, '2026-12-06 20:55:37.469036+00', NULL);


--
-- Data for Name: courses; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.courses (id, title, status, chapters, skills, pass_mark, updated_at) VALUES ('build-your-first-website-html-css', 'Build your first website with HTML and CSS', 'published', '["set-up-your-code-editor-and-project-folder","structure-a-page-with-html","add-text-links-and-images","style-your-page-with-css-selectors","lay-out-content-with-flexbox","publish-your-site-online"]', '["html-semantics","css-layout"]', 70, '2026-12-06 20:55:33.02872+00');
INSERT INTO public.courses (id, title, status, chapters, skills, pass_mark, updated_at) VALUES ('developpement-web-apprenez-les-bases-de-javascript', 'Développement web : apprenez les bases de JavaScript', 'published', '["decouvrez-le-role-de-javascript-dans-une-page-web","manipulez-variables-types-et-operateurs","ecrivez-des-conditions-et-des-boucles","structurez-votre-code-avec-des-fonctions","modifiez-la-page-grace-au-dom","reagissez-aux-actions-de-utilisateur-avec-les-evenements"]', '["javascript-fundamentals"]', 60, '2026-12-06 20:55:33.02872+00');
INSERT INTO public.courses (id, title, status, chapters, skills, pass_mark, updated_at) VALUES ('make-your-websites-accessible', 'Make your websites accessible', 'published', '["understand-disabilities-and-assistive-technologies","apply-the-wcag-principles","write-accessible-forms","support-keyboard-navigation-and-focus","use-aria-attributes-wisely","audit-a-page-with-automated-and-manual-tests"]', '["web-accessibility","html-semantics"]', 70, '2026-12-06 20:55:33.02872+00');
INSERT INTO public.courses (id, title, status, chapters, skills, pass_mark, updated_at) VALUES ('analyse-data-with-spreadsheets', 'Analyse data with spreadsheets', 'published', '["organise-raw-data-in-a-clean-table","sort-filter-and-remove-duplicates","write-formulas-and-use-cell-references","summarise-data-with-pivot-tables","build-your-first-charts"]', '["spreadsheet-analysis","data-cleaning"]', 60, '2026-12-06 20:55:33.02872+00');
INSERT INTO public.courses (id, title, status, chapters, skills, pass_mark, updated_at) VALUES ('analyse-data-with-python-and-pandas', 'Analyse data with Python and pandas', 'published', '["set-up-a-jupyter-notebook","load-data-into-a-pandas-dataframe","select-filter-and-transform-columns","handle-missing-values-and-wrong-types","group-and-aggregate-data","merge-datasets","present-your-findings"]', '["python-data-analysis","data-cleaning"]', NULL, '2026-12-06 20:55:33.02872+00');
INSERT INTO public.courses (id, title, status, chapters, skills, pass_mark, updated_at) VALUES ('developpement-web-comprenez-le-fonctionnement-du-web', 'Développement web : comprenez le fonctionnement du Web', 'published', '["decouvrez-ce-qui-se-passe-quand-vous-saisissez-une-url","distinguez-client-serveur-et-navigateur","comprenez-le-protocole-http","identifiez-les-roles-de-html-css-et-javascript","explorez-une-page-avec-les-outils-de-developpement"]', '["html-semantics"]', NULL, '2026-12-06 20:55:33.02872+00');
INSERT INTO public.courses (id, title, status, chapters, skills, pass_mark, updated_at) VALUES ('concevez-une-api-rest-avec-nodejs', 'Concevez une API REST avec Node.js et Express', 'published', '["modelisez-les-ressources-de-votre-api","creez-un-serveur-avec-express","implementez-les-operations-crud","validez-les-donnees-et-gerez-les-erreurs","securisez-api-avec-une-authentification-par-jeton","documentez-api-avec-openapi","testez-et-versionnez-vos-points-acces"]', '["rest-api-design","javascript-fundamentals"]', 75, '2026-12-06 20:55:33.02872+00');
INSERT INTO public.courses (id, title, status, chapters, skills, pass_mark, updated_at) VALUES ('requetez-une-base-de-donnees-avec-sql', 'Requêtez une base de données avec SQL', 'published', '["decouvrez-le-modele-relationnel","selectionnez-et-filtrez-des-donnees-avec-select-et-where","triez-et-agregez-avec-order-by-et-group-by","combinez-plusieurs-tables-avec-les-jointures","ecrivez-des-sous-requetes","modifiez-les-donnees-avec-insert-update-et-delete"]', '["sql-queries"]', 70, '2026-12-06 20:55:33.02872+00');
INSERT INTO public.courses (id, title, status, chapters, skills, pass_mark, updated_at) VALUES ('build-interactive-interfaces-with-react', 'Build interactive interfaces with React', 'published', '["set-up-a-react-project-with-vite","describe-the-ui-with-jsx-and-components","pass-data-with-props","manage-state-with-hooks","fetch-data-from-an-api","handle-forms-and-user-input","organise-your-app-with-routing"]', '["react-components","javascript-fundamentals"]', NULL, '2026-12-06 20:55:33.02872+00');
INSERT INTO public.courses (id, title, status, chapters, skills, pass_mark, updated_at) VALUES ('analyse-de-donnees-initiez-vous-aux-statistiques-descriptives', 'Analyse de données : initiez-vous aux statistiques descriptives', 'published', '["identifiez-les-types-de-variables","calculez-moyenne-mediane-et-mode","mesurez-la-dispersion-avec-ecart-type","representez-une-distribution-avec-un-histogramme","reperez-les-valeurs-aberrantes","etudiez-la-relation-entre-deux-variables"]', '["descriptive-statistics"]', 60, '2026-12-06 20:55:33.02872+00');
INSERT INTO public.courses (id, title, status, chapters, skills, pass_mark, updated_at) VALUES ('analyse-de-donnees-creez-des-visualisations-percutantes', 'Analyse de données : créez des visualisations percutantes', 'published', '["choisissez-le-graphique-adapte-a-votre-message","appliquez-les-principes-de-la-perception-visuelle","utilisez-la-couleur-avec-intention","construisez-un-tableau-de-bord-lisible","racontez-une-histoire-avec-vos-donnees"]', '["data-visualization"]', NULL, '2026-12-06 20:55:33.02872+00');
INSERT INTO public.courses (id, title, status, chapters, skills, pass_mark, updated_at) VALUES ('creez-des-sites-adaptatifs-responsive', 'Créez des sites adaptatifs avec le responsive design', 'published', '["comprenez-les-enjeux-du-mobile-first","configurez-la-balise-viewport","maitrisez-les-media-queries","construisez-des-grilles-avec-css-grid","adaptez-images-et-typographie-a-chaque-ecran","testez-votre-site-sur-differents-appareils"]', '["responsive-design","css-layout"]', NULL, '2026-12-06 20:55:33.02872+00');
INSERT INTO public.courses (id, title, status, chapters, skills, pass_mark, updated_at) VALUES ('machine-learning-foundations-scikit-learn', 'Machine learning foundations with scikit-learn', 'published', '["frame-a-problem-as-supervised-or-unsupervised-learning","split-data-into-training-and-test-sets","train-your-first-regression-model","classify-data-with-decision-trees","evaluate-models-with-the-right-metrics","avoid-overfitting-with-cross-validation","tune-hyperparameters"]', '["machine-learning-basics","python-data-analysis"]', 70, '2026-12-06 20:55:33.02872+00');
INSERT INTO public.courses (id, title, status, chapters, skills, pass_mark, updated_at) VALUES ('maitrisez-sql-avance-pour-lanalyse-de-donnees', 'Maîtrisez SQL avancé pour l''analyse de données', 'published', '["rendez-vos-requetes-lisibles-avec-les-cte","classez-et-comparez-des-lignes-avec-les-fonctions-de","construisez-des-analyses-de-cohortes-et-de-retention","optimisez-les-requetes-lentes-grace-aux-index","modelisez-les-donnees-pour-le-reporting"]', '["sql-queries","descriptive-statistics"]', NULL, '2026-12-06 20:55:33.02872+00');
INSERT INTO public.courses (id, title, status, chapters, skills, pass_mark, updated_at) VALUES ('data-literacy-read-and-question-data', 'Data literacy: read and question data', 'published', '["recognise-where-data-comes-from","read-tables-and-charts-critically","understand-averages-percentages-and-ranges","spot-misleading-charts","communicate-with-numbers"]', '["descriptive-statistics","data-visualization"]', NULL, '2026-12-06 20:55:33.02872+00');
INSERT INTO public.courses (id, title, status, chapters, skills, pass_mark, updated_at) VALUES ('reseaux-sociaux-definissez-votre-strategie', 'Réseaux sociaux : définissez votre stratégie de communication', 'published', '["identifiez-vos-objectifs-et-vos-cibles","choisissez-les-reseaux-sociaux-adaptes","definissez-votre-ligne-editoriale","planifiez-vos-publications-avec-un-calendrier-editorial","animez-votre-communaute","mesurez-vos-resultats"]', '["social-media-marketing","content-strategy"]', 60, '2026-12-06 20:55:33.02872+00');
INSERT INTO public.courses (id, title, status, chapters, skills, pass_mark, updated_at) VALUES ('get-started-with-seo', 'Get started with SEO', 'published', '["understand-how-search-engines-crawl-and-rank-pages","research-the-keywords-your-audience-uses","optimise-titles-headings-and-meta-descriptions","improve-site-speed-and-mobile-experience","earn-quality-backlinks","track-rankings-with-search-console"]', '["seo"]', 70, '2026-12-06 20:55:33.02872+00');
INSERT INTO public.courses (id, title, status, chapters, skills, pass_mark, updated_at) VALUES ('redigez-une-strategie-de-contenu-qui-convertit', 'Rédigez une stratégie de contenu qui convertit', 'published', '["definissez-vos-personas","cartographiez-le-parcours-client","realisez-audit-de-vos-contenus-existants","construisez-un-plan-editorial","redigez-pour-le-web-et-le-referencement","recyclez-et-diffusez-vos-contenus"]', '["content-strategy","seo"]', NULL, '2026-12-06 20:55:33.02872+00');
INSERT INTO public.courses (id, title, status, chapters, skills, pass_mark, updated_at) VALUES ('run-effective-email-marketing-campaigns', 'Run effective email marketing campaigns', 'published', '["build-a-consent-based-mailing-list","segment-your-audience","write-subject-lines-that-get-opened","design-mobile-friendly-emails","automate-welcome-and-nurture-sequences","analyse-open-click-and-unsubscribe-rates"]', '["email-marketing","web-analytics"]', NULL, '2026-12-06 20:55:33.02872+00');
INSERT INTO public.courses (id, title, status, chapters, skills, pass_mark, updated_at) VALUES ('measure-your-audience-with-web-analytics', 'Measure your audience with web analytics', 'published', '["define-your-key-performance-indicators","set-up-a-privacy-friendly-analytics-tool","track-events-and-conversions","analyse-traffic-sources","build-an-audience-report","turn-insights-into-action"]', '["web-analytics"]', NULL, '2026-12-06 20:55:33.02872+00');
INSERT INTO public.courses (id, title, status, chapters, skills, pass_mark, updated_at) VALUES ('pilotez-vos-campagnes-de-publicite-en-ligne', 'Pilotez vos campagnes de publicité en ligne', 'published', '["fixez-des-objectifs-et-un-budget-de-campagne","structurez-un-compte-publicitaire-sur-les-moteurs-de","ciblez-vos-audiences-sur-les-reseaux-sociaux","redigez-des-annonces-performantes","optimisez-les-encheres-et-le-cout-acquisition","mesurez-le-retour-sur-investissement-publicitaire"]', '["paid-advertising","web-analytics"]', 75, '2026-12-06 20:55:33.02872+00');
INSERT INTO public.courses (id, title, status, chapters, skills, pass_mark, updated_at) VALUES ('learn-effectively-online', 'Learn effectively online', 'published', '["set-up-your-learning-environment","plan-your-study-sessions","use-active-recall-and-spaced-repetition","stay-motivated-when-learning-alone","ask-for-help-in-online-communities"]', '["remote-learning","time-management"]', NULL, '2026-12-06 20:55:33.02872+00');
INSERT INTO public.courses (id, title, status, chapters, skills, pass_mark, updated_at) VALUES ('think-critically-and-solve-complex-problems', 'Think critically and solve complex problems', 'published', '["recognise-cognitive-biases","evaluate-arguments-and-evidence","break-down-a-problem-with-issue-trees","generate-and-compare-options","make-and-explain-a-decision"]', '["critical-thinking"]', NULL, '2026-12-06 20:55:33.02872+00');
INSERT INTO public.courses (id, title, status, chapters, skills, pass_mark, updated_at) VALUES ('get-started-with-cloud-computing', 'Get started with cloud computing', 'published', '["understand-iaas-paas-and-saas","explore-regions-and-availability-zones","launch-a-virtual-machine","store-files-in-object-storage","control-costs-and-access","choose-between-public-private-and-hybrid-cloud"]', '["cloud-fundamentals"]', NULL, '2026-12-06 20:55:33.02872+00');
INSERT INTO public.courses (id, title, status, chapters, skills, pass_mark, updated_at) VALUES ('reseaux-sociaux-creez-et-animez-une-communaute', 'Réseaux sociaux : créez et animez une communauté en ligne', 'published', '["comprenez-le-role-du-community-manager","creez-des-contenus-engageants","moderez-les-echanges-et-gerez-les-crises","collaborez-avec-des-createurs-de-contenu","analysez-les-statistiques-de-vos-comptes"]', '["social-media-marketing"]', NULL, '2026-12-06 20:55:33.02872+00');
INSERT INTO public.courses (id, title, status, chapters, skills, pass_mark, updated_at) VALUES ('protegez-vous-en-ligne-les-bons-reflexes-de-cybersecurite', 'Protégez-vous en ligne : les bons réflexes de cybersécurité', 'published', '["creez-des-mots-de-passe-robustes","activez-la-double-authentification","reperez-les-tentatives-hameconnage","mettez-a-jour-vos-appareils-et-logiciels","sauvegardez-vos-donnees"]', '["cybersecurity-hygiene"]', 70, '2026-12-06 20:55:33.02872+00');
INSERT INTO public.courses (id, title, status, chapters, skills, pass_mark, updated_at) VALUES ('write-clear-professional-emails-and-reports', 'Write clear professional emails and reports', 'published', '["adapt-your-writing-to-your-reader","structure-messages-with-the-pyramid-principle","write-concise-sentences","format-reports-for-easy-scanning","proofread-and-edit-your-work"]', '["written-communication"]', NULL, '2026-12-06 20:55:33.02872+00');
INSERT INTO public.courses (id, title, status, chapters, skills, pass_mark, updated_at) VALUES ('menez-une-recherche-utilisateur-de-bout-en-bout', 'Menez une recherche utilisateur de bout en bout', 'published', '["formulez-vos-questions-de-recherche","choisissez-entre-methodes-qualitatives-et-quantitatives","conduisez-des-entretiens-utilisateurs","realisez-des-tests-utilisabilite","synthetisez-les-resultats-avec-un-diagramme-affinites","transformez-vos-decouvertes-en-recommandations"]', '["ux-research","usability-testing"]', 70, '2026-12-06 20:55:33.02872+00');
INSERT INTO public.courses (id, title, status, chapters, skills, pass_mark, updated_at) VALUES ('gestion-de-projet-initiez-vous-aux-fondamentaux', 'Gestion de projet : initiez-vous aux fondamentaux', 'published', '["definissez-ce-est-un-projet","redigez-la-note-de-cadrage","decoupez-le-projet-en-lots-de-travaux","construisez-un-planning-avec-un-diagramme-de-gantt","identifiez-les-parties-prenantes","cloturez-le-projet-et-tirez-en-les-enseignements"]', '["project-planning","stakeholder-management"]', 60, '2026-12-06 20:55:33.02872+00');
INSERT INTO public.courses (id, title, status, chapters, skills, pass_mark, updated_at) VALUES ('comprendre-le-rgpd-protegez-les-donnees-personnelles', 'Comprendre le RGPD : protégez les données personnelles', 'published', '["decouvrez-les-principes-du-rgpd","identifiez-les-donnees-personnelles-et-sensibles","determinez-la-base-legale-un-traitement","respectez-les-droits-des-personnes","tenez-le-registre-des-traitements","reagissez-en-cas-de-violation-de-donnees"]', '["personal-data-protection"]', 70, '2026-12-06 20:55:33.02872+00');
INSERT INTO public.courses (id, title, status, chapters, skills, pass_mark, updated_at) VALUES ('leadership-donnez-du-feedback-et-accompagnez-votre-equipe', 'Leadership : donnez du feedback et accompagnez votre équipe', 'published', '["adoptez-une-posture-de-manager-coach","preparez-un-entretien-de-feedback","utilisez-la-methode-desc","accompagnez-un-collaborateur-en-difficulte","desamorcez-les-tensions-dans-equipe"]', '["giving-feedback","conflict-resolution"]', NULL, '2026-12-06 20:55:33.02872+00');
INSERT INTO public.courses (id, title, status, chapters, skills, pass_mark, updated_at) VALUES ('automate-tasks-with-bash-scripting', 'Automate tasks with Bash scripting', 'published', '["write-and-run-your-first-script","use-variables-and-arguments","control-flow-with-conditions-and-loops","process-text-with-grep-sed-and-awk","schedule-scripts-with-cron","handle-errors-and-log-output"]', '["shell-scripting","linux-administration"]', 70, '2026-12-06 20:55:33.02872+00');
INSERT INTO public.courses (id, title, status, chapters, skills, pass_mark, updated_at) VALUES ('lead-agile-projects-with-scrum', 'Lead agile projects with Scrum', 'published', '["discover-the-agile-manifesto","understand-the-scrum-accountabilities","build-and-refine-a-product-backlog","plan-and-run-a-sprint","facilitate-reviews-and-retrospectives","measure-velocity-and-forecast-delivery"]', '["agile-scrum"]', 70, '2026-12-06 20:55:33.02872+00');
INSERT INTO public.courses (id, title, status, chapters, skills, pass_mark, updated_at) VALUES ('research-and-evaluate-information-online', 'Research and evaluate information online', 'published', '["build-precise-search-queries","use-advanced-search-operators","evaluate-sources-with-the-craap-test","detect-misinformation-and-manipulated-images","cite-your-sources-correctly"]', '["digital-research","critical-thinking"]', 65, '2026-12-06 20:55:33.02872+00');
INSERT INTO public.courses (id, title, status, chapters, skills, pass_mark, updated_at) VALUES ('discover-ux-design', 'Discover UX design', 'published', '["understand-what-ux-design-is","follow-the-design-thinking-process","interview-users","create-personas","sketch-your-first-wireframes"]', '["ux-research","wireframing"]', 60, '2026-12-06 20:55:33.02872+00');
INSERT INTO public.courses (id, title, status, chapters, skills, pass_mark, updated_at) VALUES ('reseaux-informatiques-configurez-et-securisez-un-reseau-local', 'Réseaux informatiques : configurez et sécurisez un réseau local', 'published', '["concevez-le-plan-adressage-ip","configurez-commutateurs-et-vlan","mettez-en-place-le-routage-entre-reseaux","attribuez-les-adresses-avec-dhcp","filtrez-le-trafic-avec-un-pare-feu","securisez-le-wi-fi-de-etablissement"]', '["computer-networking","cybersecurity-hygiene"]', NULL, '2026-12-06 20:55:33.02872+00');
INSERT INTO public.courses (id, title, status, chapters, skills, pass_mark, updated_at) VALUES ('gestion-de-projet-agile-avec-kanban', 'Gestion de projet agile : organisez votre flux avec Kanban', 'published', '["decouvrez-les-origines-de-kanban","visualisez-votre-flux-de-travail","limitez-le-travail-en-cours","mesurez-le-temps-de-cycle","ameliorez-votre-processus-en-continu"]', '["kanban","agile-scrum"]', NULL, '2026-12-06 20:55:33.02872+00');
INSERT INTO public.courses (id, title, status, chapters, skills, pass_mark, updated_at) VALUES ('automate-your-work-with-no-code-tools', 'Automate your work with no-code tools', 'published', '["spot-repetitive-tasks-worth-automating","design-a-workflow-with-triggers-and-actions","connect-forms-spreadsheets-and-email","handle-errors-and-edge-cases","document-and-share-your-automations"]', '["office-productivity","online-collaboration"]', NULL, '2026-12-06 20:55:33.02872+00');
INSERT INTO public.courses (id, title, status, chapters, skills, pass_mark, updated_at) VALUES ('maquettez-et-prototypez-une-application-avec-figma', 'Maquettez et prototypez une application avec Figma', 'published', '["prenez-en-main-interface-de-figma","realisez-des-wireframes-basse-fidelite","creez-des-composants-reutilisables","construisez-une-maquette-haute-fidelite","rendez-votre-prototype-interactif","partagez-votre-prototype-pour-recueillir-des-retours"]', '["wireframing","visual-design"]', NULL, '2026-12-06 20:55:33.02872+00');
INSERT INTO public.courses (id, title, status, chapters, skills, pass_mark, updated_at) VALUES ('set-up-continuous-integration-and-delivery', 'Set up continuous integration and delivery', 'published', '["understand-the-ci-cd-pipeline","run-automated-tests-on-every-commit","build-and-version-artefacts","deploy-automatically-to-a-staging-environment","release-safely-with-blue-green-and-canary-deployments","monitor-deployments-and-roll-back"]', '["ci-cd","containers-docker"]', NULL, '2026-12-06 20:55:33.02872+00');
INSERT INTO public.courses (id, title, status, chapters, skills, pass_mark, updated_at) VALUES ('manage-stakeholders-in-complex-projects', 'Manage stakeholders in complex projects', 'published', '["map-stakeholders-by-power-and-interest","build-a-communication-plan","negotiate-priorities-and-trade-offs","handle-resistance-to-change","report-to-a-steering-committee"]', '["stakeholder-management","risk-management"]', NULL, '2026-12-06 20:55:33.02872+00');
INSERT INTO public.courses (id, title, status, chapters, skills, pass_mark, updated_at) VALUES ('cybersecurite-securisez-les-postes-et-le-reseau', 'Cybersécurité : sécurisez les postes et le réseau de votre établissement', 'published', '["analysez-les-menaces-qui-visent-les-etablissements","durcissez-la-configuration-des-postes-de-travail","gerez-les-comptes-et-les-droits-acces","segmentez-le-reseau-et-filtrez-les-flux","preparez-un-plan-de-reponse-aux-incidents","sensibilisez-les-utilisateurs"]', '["cybersecurity-hygiene","computer-networking"]', NULL, '2026-12-06 20:55:33.02872+00');
INSERT INTO public.courses (id, title, status, chapters, skills, pass_mark, updated_at) VALUES ('initiez-vous-aux-principes-du-design-graphique', 'Initiez-vous aux principes du design graphique', 'published', '["decouvrez-les-principes-de-composition","creez-une-hierarchie-visuelle","choisissez-et-associez-les-couleurs","selectionnez-des-typographies-lisibles","utilisez-la-grille-et-les-espaces-blancs"]', '["visual-design","typography"]', NULL, '2026-12-06 20:55:33.02872+00');
INSERT INTO public.courses (id, title, status, chapters, skills, pass_mark, updated_at) VALUES ('conteneurisez-vos-applications-avec-docker', 'Conteneurisez vos applications avec Docker', 'published', '["distinguez-conteneur-et-machine-virtuelle","lancez-vos-premiers-conteneurs","ecrivez-un-dockerfile","gerez-volumes-et-reseaux","orchestrez-plusieurs-services-avec-docker-compose","publiez-vos-images-dans-un-registre"]', '["containers-docker","linux-administration"]', 80, '2026-12-06 20:55:33.02872+00');
INSERT INTO public.courses (id, title, status, chapters, skills, pass_mark, updated_at) VALUES ('gestion-de-projet-maitrisez-les-risques-et-le-budget', 'Gestion de projet : maîtrisez les risques et le budget', 'published', '["identifiez-les-risques-du-projet","evaluez-probabilite-et-impact","elaborez-un-plan-de-reponse-aux-risques","construisez-le-budget-previsionnel","suivez-les-couts-avec-la-valeur-acquise","presentez-un-tableau-de-bord-au-comite-de-pilotage"]', '["risk-management","budget-tracking"]', 75, '2026-12-06 20:55:33.02872+00');
INSERT INTO public.courses (id, title, status, chapters, skills, pass_mark, updated_at) VALUES ('gerez-votre-temps-et-vos-priorites', 'Gérez votre temps et vos priorités', 'published', '["faites-le-bilan-de-votre-emploi-du-temps","distinguez-urgent-de-important","planifiez-votre-semaine","luttez-contre-la-procrastination","protegez-vos-plages-de-concentration"]', '["time-management"]', 60, '2026-12-06 20:55:33.02872+00');
INSERT INTO public.courses (id, title, status, chapters, skills, pass_mark, updated_at) VALUES ('build-and-maintain-a-design-system', 'Build and maintain a design system', 'published', '["audit-your-existing-interface","define-design-tokens","design-a-component-library","document-usage-guidelines","keep-design-and-code-in-sync","govern-contributions-over-time"]', '["design-systems","visual-design"]', NULL, '2026-12-06 20:55:33.02872+00');
INSERT INTO public.courses (id, title, status, chapters, skills, pass_mark, updated_at) VALUES ('support-informatique-diagnostiquez-et-resolvez-les-incidents', 'Support informatique : diagnostiquez et résolvez les incidents', 'published', '["adoptez-une-methode-de-diagnostic","accueillez-utilisateur-et-qualifiez-la-demande","resolvez-les-pannes-materielles-courantes","depannez-le-systeme-exploitation","documentez-les-incidents-dans-un-outil-de-ticketing","alimentez-une-base-de-connaissances"]', '["it-support"]', NULL, '2026-12-06 20:55:33.02872+00');
INSERT INTO public.courses (id, title, status, chapters, skills, pass_mark, updated_at) VALUES ('plan-and-track-project-budgets', 'Plan and track project budgets', 'published', '["estimate-costs-bottom-up","build-a-baseline-budget","track-actual-spend-against-plan","forecast-the-cost-at-completion","manage-change-requests"]', '["budget-tracking","project-planning"]', NULL, '2026-12-06 20:55:33.02872+00');
INSERT INTO public.courses (id, title, status, chapters, skills, pass_mark, updated_at) VALUES ('speak-confidently-in-public', 'Speak confidently in public', 'published', '["understand-and-manage-stage-fright","structure-a-clear-message","use-your-voice-and-body-language","design-slides-that-support-your-talk","handle-questions-from-the-audience","rehearse-and-get-feedback"]', '["public-speaking"]', 60, '2026-12-06 20:55:33.02872+00');
INSERT INTO public.courses (id, title, status, chapters, skills, pass_mark, updated_at) VALUES ('run-usability-tests', 'Run usability tests', 'published', '["define-test-goals-and-tasks","recruit-representative-participants","moderate-a-test-session","analyse-observations-and-prioritise-issues","present-findings-to-your-team"]', '["usability-testing","ux-research"]', 70, '2026-12-06 20:55:33.02872+00');
INSERT INTO public.courses (id, title, status, chapters, skills, pass_mark, updated_at) VALUES ('decouvrez-lagilite-avec-scrum', 'Découvrez l''agilité avec Scrum', 'published', '["comprenez-les-limites-du-cycle-en-v","decouvrez-les-valeurs-et-les-principes-agiles","identifiez-les-roles-de-equipe-scrum","vivez-votre-premier-sprint","choisissez-entre-scrum-et-kanban"]', '["agile-scrum","kanban"]', NULL, '2026-12-06 20:55:33.02872+00');
INSERT INTO public.courses (id, title, status, chapters, skills, pass_mark, updated_at) VALUES ('resolve-conflicts-at-work', 'Resolve conflicts at work', 'published', '["understand-the-sources-of-conflict","identify-your-conflict-style","listen-actively","use-nonviolent-communication","negotiate-a-win-win-solution","mediate-between-colleagues"]', '["conflict-resolution","giving-feedback"]', NULL, '2026-12-06 20:55:33.02872+00');
INSERT INTO public.courses (id, title, status, chapters, skills, pass_mark, updated_at) VALUES ('understand-computer-networks', 'Understand computer networks', 'published', '["discover-how-devices-communicate","understand-the-osi-and-tcp-ip-models","assign-ip-addresses-and-subnets","resolve-names-with-dns","set-up-a-small-office-network","diagnose-connectivity-issues"]', '["computer-networking"]', 65, '2026-12-06 20:55:33.02872+00');
INSERT INTO public.courses (id, title, status, chapters, skills, pass_mark, updated_at) VALUES ('collaborate-online-with-shared-tools', 'Collaborate online with shared tools', 'published', '["choose-the-right-tool-for-each-type-of-exchange","co-edit-documents-in-real-time","organise-shared-folders-and-permissions","run-effective-video-meetings","keep-track-of-tasks-on-a-shared-board"]', '["online-collaboration"]', NULL, '2026-12-06 20:55:33.02872+00');
INSERT INTO public.courses (id, title, status, chapters, skills, pass_mark, updated_at) VALUES ('prise-de-parole-en-public-captez-lattention', 'Prise de parole en public : captez l''attention de votre auditoire', 'published', '["preparez-votre-intervention","soignez-votre-introduction","travaillez-votre-voix-et-votre-posture","racontez-des-histoires-pour-convaincre","gerez-le-trac-et-les-imprevus"]', '["public-speaking"]', NULL, '2026-12-06 20:55:33.02872+00');
INSERT INTO public.courses (id, title, status, chapters, skills, pass_mark, updated_at) VALUES ('travaillez-efficacement-en-equipe', 'Travaillez efficacement en équipe', 'published', '["comprenez-les-etapes-de-developpement-une-equipe","clarifiez-les-roles-et-les-responsabilites","instaurez-la-confiance-et-la-securite-psychologique","prenez-des-decisions-collectives","donnez-et-recevez-du-feedback-constructif"]', '["teamwork","giving-feedback"]', 65, '2026-12-06 20:55:33.02872+00');
INSERT INTO public.courses (id, title, status, chapters, skills, pass_mark, updated_at) VALUES ('design-accessible-and-inclusive-interfaces', 'Design accessible and inclusive interfaces', 'published', '["understand-inclusive-design","choose-accessible-colour-contrasts","design-clear-focus-states-and-touch-targets","write-inclusive-microcopy","check-your-designs-with-accessibility-tools"]', '["visual-design","web-accessibility"]', NULL, '2026-12-06 20:55:33.02872+00');
INSERT INTO public.courses (id, title, status, chapters, skills, pass_mark, updated_at) VALUES ('initiez-vous-a-linux-et-a-la-ligne-de-commande', 'Initiez-vous à Linux et à la ligne de commande', 'published', '["installez-une-distribution-linux","naviguez-dans-arborescence-des-fichiers","manipulez-fichiers-et-dossiers-en-ligne-de-commande","gerez-les-droits-et-les-utilisateurs","installez-des-logiciels-avec-un-gestionnaire-de-paquets","surveillez-les-processus"]', '["linux-administration","shell-scripting"]', 60, '2026-12-06 20:55:33.02872+00');


--
-- Data for Name: learners; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.learners (id, institution_id, email, first_name, last_name, cohort, external_id, seated, enrolled_at, seat_changed_at, removed_at, last_activity_at, courses_started, courses_completed, skills_acquired) VALUES ('01a24d24-0800-7001-8030-ababd9d3fe46', '01a24d24-0653-7000-9cc9-4a84472b830a', 'eleve1@lycee-ancien.fr', 'Élève', '1', 'Classe 1', NULL, true, '2026-12-06 20:55:36.705411+00', '2026-12-06 20:55:36.72959+00', NULL, NULL, 0, 0, 0);
INSERT INTO public.learners (id, institution_id, email, first_name, last_name, cohort, external_id, seated, enrolled_at, seat_changed_at, removed_at, last_activity_at, courses_started, courses_completed, skills_acquired) VALUES ('01a24d24-0800-7002-907e-dd908f79ecdf', '01a24d24-0653-7000-9cc9-4a84472b830a', 'eleve2@lycee-ancien.fr', 'Élève', '2', 'Classe 0', NULL, true, '2026-12-06 20:55:36.705411+00', '2026-12-06 20:55:36.72959+00', NULL, NULL, 0, 0, 0);
INSERT INTO public.learners (id, institution_id, email, first_name, last_name, cohort, external_id, seated, enrolled_at, seat_changed_at, removed_at, last_activity_at, courses_started, courses_completed, skills_acquired) VALUES ('01a24d24-0800-7000-ac15-048cd3eda7bc', '01a24d24-0653-7000-9cc9-4a84472b830a', 'eleve0@lycee-ancien.fr', 'Élève', '0', 'Classe 0', NULL, true, '2026-12-06 20:55:36.705411+00', '2026-12-06 20:55:36.72959+00', NULL, '2026-12-06 20:55:37.494436+00', 1, 0, 0);


--
-- Data for Name: licences; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.licences (id, institution_id, status, seats_granted, starts_at, ends_at, extended_at, expired_at, revoked_at, updated_at) VALUES ('01a24d24-0666-7000-b712-8e9acd1786ec', '01a24d24-0653-7000-9cc9-4a84472b830a', 'active', 10, '2026-12-06 20:55:36.294968+00', '2027-03-06 20:55:36.294968+00', NULL, NULL, NULL, '2026-12-06 20:55:36.30372+00');


--
-- Data for Name: outbox; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.outbox (seq, message_id, kind, topic, body, correlation_id, created_at, published_at) VALUES (1, '01a24d24-0b05-7000-9170-e22958591163', 'event', 'progress.recorded.v1', '{"event_id":"01a24d24-0b05-7000-9170-e22958591163","event_type":"progress.recorded.v1","minor_version":0,"occurred_at":"2026-12-06T20:55:37.477697+00:00","producer":"tracking","correlation_id":"4c82dcf21809424fb6f4b648142efcf5","data":{"progress_id":"old-0","learner_id":"01a24d24-0800-7000-ac15-048cd3eda7bc","institution_id":"01a24d24-0653-7000-9cc9-4a84472b830a","course_id":"analyse-de-donnees-initiez-vous-aux-statistiques-descriptives","kind":"chapter_completed","chapter_id":"identifiez-les-types-de-variables","score":null,"recorded_at":"2026-12-06T20:55:37.469036+00:00"}}', '4c82dcf21809424fb6f4b648142efcf5', '2026-12-06 20:55:37.477703+00', '2026-12-06 20:55:37.492598+00');
INSERT INTO public.outbox (seq, message_id, kind, topic, body, correlation_id, created_at, published_at) VALUES (2, '01a24d24-0b1b-7000-bf03-f27939972504', 'event', 'progress.recorded.v1', '{"event_id":"01a24d24-0b1b-7000-bf03-f27939972504","event_type":"progress.recorded.v1","minor_version":0,"occurred_at":"2026-12-06T20:55:37.499283+00:00","producer":"tracking","correlation_id":"6f8d763c9ceb40d7ba10f366142551c0","data":{"progress_id":"old-1","learner_id":"01a24d24-0800-7000-ac15-048cd3eda7bc","institution_id":"01a24d24-0653-7000-9cc9-4a84472b830a","course_id":"analyse-de-donnees-initiez-vous-aux-statistiques-descriptives","kind":"chapter_completed","chapter_id":"calculez-moyenne-mediane-et-mode","score":null,"recorded_at":"2026-12-06T20:55:37.494436+00:00"}}', '6f8d763c9ceb40d7ba10f366142551c0', '2026-12-06 20:55:37.499288+00', '2026-12-06 20:55:37.505867+00');


--
-- Data for Name: progress; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.progress (id, learner_id, institution_id, course_id, kind, chapter_id, score, recorded_at) VALUES ('old-0', '01a24d24-0800-7000-ac15-048cd3eda7bc', '01a24d24-0653-7000-9cc9-4a84472b830a', 'analyse-de-donnees-initiez-vous-aux-statistiques-descriptives', 'chapter_completed', 'identifiez-les-types-de-variables', NULL, '2026-12-06 20:55:37.469036+00');
INSERT INTO public.progress (id, learner_id, institution_id, course_id, kind, chapter_id, score, recorded_at) VALUES ('old-1', '01a24d24-0800-7000-ac15-048cd3eda7bc', '01a24d24-0653-7000-9cc9-4a84472b830a', 'analyse-de-donnees-initiez-vous-aux-statistiques-descriptives', 'chapter_completed', 'calculez-moyenne-mediane-et-mode', NULL, '2026-12-06 20:55:37.494436+00');


--
-- Data for Name: skills_acquired; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Name: outbox_seq_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.outbox_seq_seq', 2, true);


--
-- Name: applied_events applied_events_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.applied_events
    ADD CONSTRAINT applied_events_pkey PRIMARY KEY (event_id, consumer);


--
-- Name: chapters_done chapters_done_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.chapters_done
    ADD CONSTRAINT chapters_done_pkey PRIMARY KEY (learner_id, course_id, chapter_id);


--
-- Name: course_states course_states_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.course_states
    ADD CONSTRAINT course_states_pkey PRIMARY KEY (learner_id, course_id);


--
-- Name: courses courses_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.courses
    ADD CONSTRAINT courses_pkey PRIMARY KEY (id);


--
-- Name: learners learners_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.learners
    ADD CONSTRAINT learners_pkey PRIMARY KEY (id);


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
-- Name: progress progress_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.progress
    ADD CONSTRAINT progress_pkey PRIMARY KEY (id);


--
-- Name: skills_acquired skills_acquired_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.skills_acquired
    ADD CONSTRAINT skills_acquired_pkey PRIMARY KEY (learner_id, skill_id);


--
-- Name: ix_course_states_institution; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_course_states_institution ON public.course_states USING btree (institution_id);


--
-- Name: ix_learners_institution_cohort_name; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_learners_institution_cohort_name ON public.learners USING btree (institution_id, cohort, last_name, first_name, id);


--
-- Name: ix_learners_institution_name; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_learners_institution_name ON public.learners USING btree (institution_id, last_name, first_name, id);


--
-- Name: ix_licences_institution_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_licences_institution_id ON public.licences USING btree (institution_id);


--
-- Name: ix_outbox_unpublished; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_outbox_unpublished ON public.outbox USING btree (kind, seq) WHERE (published_at IS NULL);


--
-- Name: ix_progress_institution_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_progress_institution_id ON public.progress USING btree (institution_id);


--
-- Name: ix_progress_learner; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_progress_learner ON public.progress USING btree (learner_id, recorded_at);


--
-- Name: ix_skills_acquired_institution; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_skills_acquired_institution ON public.skills_acquired USING btree (institution_id);


--
-- PostgreSQL database dump complete
--


