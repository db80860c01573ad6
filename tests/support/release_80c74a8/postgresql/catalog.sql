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
-- Name: courses; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.courses (
    id character varying(120) NOT NULL,
    title character varying(300) NOT NULL,
    summary text NOT NULL,
    language character varying(2) NOT NULL,
    level character varying(16) NOT NULL,
    duration_hours integer NOT NULL,
    topic character varying(120) NOT NULL,
    skills json NOT NULL,
    chapters json NOT NULL,
    quiz json,
    status character varying(16) NOT NULL,
    search_text text NOT NULL,
    updated_at timestamp with time zone NOT NULL
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
-- Name: paths; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.paths (
    id character varying(120) NOT NULL,
    title character varying(300) NOT NULL,
    summary text NOT NULL,
    language character varying(2) NOT NULL,
    courses json NOT NULL,
    skills json NOT NULL
);


--
-- Name: seed_applied; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.seed_applied (
    course_id character varying(120) NOT NULL,
    digest character varying(64) NOT NULL
);


--
-- Name: skills; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.skills (
    id character varying(120) NOT NULL,
    name json NOT NULL,
    topic character varying(120) NOT NULL
);


--
-- Name: topics; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.topics (
    id character varying(120) NOT NULL,
    name json NOT NULL
);


--
-- Name: outbox seq; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.outbox ALTER COLUMN seq SET DEFAULT nextval('public.outbox_seq_seq'::regclass);


--
-- Data for Name: applied_events; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: courses; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.courses (id, title, summary, language, level, duration_hours, topic, skills, chapters, quiz, status, search_text, updated_at) VALUES ('analyse-data-with-spreadsheets', 'Analyse data with spreadsheets', 'Turn a messy export into clear answers using a spreadsheet. You will clean and organise raw data, write formulas, summarise thousands of rows with pivot tables and present results in simple charts.', 'en', 'beginner', 6, 'data', '["spreadsheet-analysis","data-cleaning"]', '[{"id":"organise-raw-data-in-a-clean-table","title":"Organise raw data in a clean table"},{"id":"sort-filter-and-remove-duplicates","title":"Sort, filter and remove duplicates"},{"id":"write-formulas-and-use-cell-references","title":"Write formulas and use cell references"},{"id":"summarise-data-with-pivot-tables","title":"Summarise data with pivot tables"},{"id":"build-your-first-charts","title":"Build your first charts"}]', '{"pass_mark":60,"questions":[{"question":"Which feature summarises a large table by grouping and aggregating rows?","choices":["Conditional formatting","Pivot table","Freeze panes","Data validation"],"answer":1},{"question":"In a formula, what does the reference $B$2 indicate?","choices":["A relative reference","An absolute reference to cell B2","A reference to the whole of column B","A named range"],"answer":1},{"question":"Which function returns the arithmetic mean of a range?","choices":["SUM","COUNT","AVERAGE","MAX"],"answer":2}]}', 'published', 'analyse data with spreadsheets turn a messy export into clear answers using a spreadsheet. you will clean and organise raw data, write formulas, summarise thousands of rows with pivot tables and present results in simple charts.', '2026-12-06 20:55:33.02872+00');
INSERT INTO public.courses (id, title, summary, language, level, duration_hours, topic, skills, chapters, quiz, status, search_text, updated_at) VALUES ('analyse-de-donnees-initiez-vous-aux-statistiques-descriptives', 'Analyse de données : initiez-vous aux statistiques descriptives', 'Apprenez à résumer et à décrire un jeu de données avec les bons indicateurs. Vous calculerez moyennes, médianes et écarts-types, représenterez des distributions et repérerez les valeurs aberrantes.', 'fr', 'beginner', 8, 'data', '["descriptive-statistics"]', '[{"id":"identifiez-les-types-de-variables","title":"Identifiez les types de variables"},{"id":"calculez-moyenne-mediane-et-mode","title":"Calculez moyenne, médiane et mode"},{"id":"mesurez-la-dispersion-avec-ecart-type","title":"Mesurez la dispersion avec l''écart-type"},{"id":"representez-une-distribution-avec-un-histogramme","title":"Représentez une distribution avec un histogramme"},{"id":"reperez-les-valeurs-aberrantes","title":"Repérez les valeurs aberrantes"},{"id":"etudiez-la-relation-entre-deux-variables","title":"Étudiez la relation entre deux variables"}]', '{"pass_mark":60,"questions":[{"question":"Quelle mesure est la moins sensible aux valeurs extrêmes ?","choices":["La moyenne","La médiane","L''étendue","La variance"],"answer":1},{"question":"Une variable « couleur des yeux » est une variable :","choices":["quantitative continue","quantitative discrète","qualitative","temporelle"],"answer":2},{"question":"Que mesure l''écart-type ?","choices":["La valeur la plus fréquente","La dispersion des valeurs autour de la moyenne","Le nombre d''observations","La corrélation entre deux variables"],"answer":1}]}', 'published', 'analyse de donnees : initiez-vous aux statistiques descriptives apprenez a resumer et a decrire un jeu de donnees avec les bons indicateurs. vous calculerez moyennes, medianes et ecarts-types, representerez des distributions et repererez les valeurs aberrantes.', '2026-12-06 20:55:33.02872+00');
INSERT INTO public.courses (id, title, summary, language, level, duration_hours, topic, skills, chapters, quiz, status, search_text, updated_at) VALUES ('analyse-data-with-python-and-pandas', 'Analyse data with Python and pandas', 'Use Python and the pandas library to explore datasets too large for a spreadsheet. You will load, clean, reshape and aggregate data in a Jupyter notebook and share reproducible findings.', 'en', 'intermediate', 16, 'data', '["python-data-analysis","data-cleaning"]', '[{"id":"set-up-a-jupyter-notebook","title":"Set up a Jupyter notebook"},{"id":"load-data-into-a-pandas-dataframe","title":"Load data into a pandas DataFrame"},{"id":"select-filter-and-transform-columns","title":"Select, filter and transform columns"},{"id":"handle-missing-values-and-wrong-types","title":"Handle missing values and wrong types"},{"id":"group-and-aggregate-data","title":"Group and aggregate data"},{"id":"merge-datasets","title":"Merge datasets"},{"id":"present-your-findings","title":"Present your findings"}]', 'null', 'published', 'analyse data with python and pandas use python and the pandas library to explore datasets too large for a spreadsheet. you will load, clean, reshape and aggregate data in a jupyter notebook and share reproducible findings.', '2026-12-06 20:55:33.02872+00');
INSERT INTO public.courses (id, title, summary, language, level, duration_hours, topic, skills, chapters, quiz, status, search_text, updated_at) VALUES ('analyse-de-donnees-creez-des-visualisations-percutantes', 'Analyse de données : créez des visualisations percutantes', 'Transformez vos chiffres en graphiques clairs qui servent un message. Vous choisirez le bon type de graphique, utiliserez la couleur avec intention et construirez un tableau de bord lisible par tous.', 'fr', 'intermediate', 10, 'data', '["data-visualization"]', '[{"id":"choisissez-le-graphique-adapte-a-votre-message","title":"Choisissez le graphique adapté à votre message"},{"id":"appliquez-les-principes-de-la-perception-visuelle","title":"Appliquez les principes de la perception visuelle"},{"id":"utilisez-la-couleur-avec-intention","title":"Utilisez la couleur avec intention"},{"id":"construisez-un-tableau-de-bord-lisible","title":"Construisez un tableau de bord lisible"},{"id":"racontez-une-histoire-avec-vos-donnees","title":"Racontez une histoire avec vos données"}]', 'null', 'published', 'analyse de donnees : creez des visualisations percutantes transformez vos chiffres en graphiques clairs qui servent un message. vous choisirez le bon type de graphique, utiliserez la couleur avec intention et construirez un tableau de bord lisible par tous.', '2026-12-06 20:55:33.02872+00');
INSERT INTO public.courses (id, title, summary, language, level, duration_hours, topic, skills, chapters, quiz, status, search_text, updated_at) VALUES ('automate-your-work-with-no-code-tools', 'Automate your work with no-code tools', 'Stop copying and pasting between applications. You will identify repetitive tasks worth automating, design workflows that connect forms, spreadsheets and email, and make them reliable enough to share with your team.', 'en', 'advanced', 8, 'digital-skills', '["office-productivity","online-collaboration"]', '[{"id":"spot-repetitive-tasks-worth-automating","title":"Spot repetitive tasks worth automating"},{"id":"design-a-workflow-with-triggers-and-actions","title":"Design a workflow with triggers and actions"},{"id":"connect-forms-spreadsheets-and-email","title":"Connect forms, spreadsheets and email"},{"id":"handle-errors-and-edge-cases","title":"Handle errors and edge cases"},{"id":"document-and-share-your-automations","title":"Document and share your automations"}]', 'null', 'published', 'automate your work with no-code tools stop copying and pasting between applications. you will identify repetitive tasks worth automating, design workflows that connect forms, spreadsheets and email, and make them reliable enough to share with your team.', '2026-12-06 20:55:33.02872+00');
INSERT INTO public.courses (id, title, summary, language, level, duration_hours, topic, skills, chapters, quiz, status, search_text, updated_at) VALUES ('automate-tasks-with-bash-scripting', 'Automate tasks with Bash scripting', 'Save hours of repetitive administration work with Bash scripts. You will use variables, conditions and loops, process text files with standard tools and schedule reliable jobs with cron.', 'en', 'intermediate', 8, 'it-infrastructure', '["shell-scripting","linux-administration"]', '[{"id":"write-and-run-your-first-script","title":"Write and run your first script"},{"id":"use-variables-and-arguments","title":"Use variables and arguments"},{"id":"control-flow-with-conditions-and-loops","title":"Control flow with conditions and loops"},{"id":"process-text-with-grep-sed-and-awk","title":"Process text with grep, sed and awk"},{"id":"schedule-scripts-with-cron","title":"Schedule scripts with cron"},{"id":"handle-errors-and-log-output","title":"Handle errors and log output"}]', '{"pass_mark":70,"questions":[{"question":"What should the first line of a Bash script contain to specify its interpreter?","choices":["#!/bin/bash","// bash","<?bash ?>","import bash"],"answer":0},{"question":"Which special variable holds the exit status of the last command?","choices":["$0","$#","$?","$@"],"answer":2},{"question":"Which tool is used to schedule a script to run every night?","choices":["cron","top","ssh","tar"],"answer":0}]}', 'published', 'automate tasks with bash scripting save hours of repetitive administration work with bash scripts. you will use variables, conditions and loops, process text files with standard tools and schedule reliable jobs with cron.', '2026-12-06 20:55:33.02872+00');


--
-- Data for Name: outbox; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.outbox (seq, message_id, kind, topic, body, correlation_id, created_at, published_at) VALUES (1, '01a24d23-fa6b-7000-b2f8-5f87577f1ea5', 'event', 'course.published.v1', '{"event_id":"01a24d23-fa6b-7000-b2f8-5f87577f1ea5","event_type":"course.published.v1","minor_version":0,"occurred_at":"2026-12-06T20:55:33.228405+00:00","producer":"catalog","correlation_id":null,"data":{"id":"build-your-first-website-html-css","title":"Build your first website with HTML and CSS","summary":"Go from a blank file to a published multi-page website. You will structure content with semantic HTML, style it with CSS and lay it out with Flexbox, then put it online for free.","language":"en","level":"beginner","duration_hours":8,"topic":"web-development","skills":["html-semantics","css-layout"],"chapters":[{"id":"set-up-your-code-editor-and-project-folder","title":"Set up your code editor and project folder"},{"id":"structure-a-page-with-html","title":"Structure a page with HTML"},{"id":"add-text-links-and-images","title":"Add text, links and images"},{"id":"style-your-page-with-css-selectors","title":"Style your page with CSS selectors"},{"id":"lay-out-content-with-flexbox","title":"Lay out content with Flexbox"},{"id":"publish-your-site-online","title":"Publish your site online"}],"quiz":{"pass_mark":70,"questions":5},"status":"published","updated_at":"2026-12-06T20:55:33.028720+00:00"}}', NULL, '2026-12-06 20:55:33.228417+00', '2026-12-06 20:55:33.322252+00');
INSERT INTO public.outbox (seq, message_id, kind, topic, body, correlation_id, created_at, published_at) VALUES (2, '01a24d23-fa6c-7000-9c49-2bbed9239c07', 'event', 'course.published.v1', '{"event_id":"01a24d23-fa6c-7000-9c49-2bbed9239c07","event_type":"course.published.v1","minor_version":0,"occurred_at":"2026-12-06T20:55:33.228810+00:00","producer":"catalog","correlation_id":null,"data":{"id":"developpement-web-apprenez-les-bases-de-javascript","title":"Développement web : apprenez les bases de JavaScript","summary":"Rendez vos pages web interactives grâce à JavaScript. Vous apprendrez à manipuler variables, conditions, boucles et fonctions, puis à modifier le contenu d''une page en réaction aux actions de l''utilisateur.","language":"fr","level":"beginner","duration_hours":10,"topic":"web-development","skills":["javascript-fundamentals"],"chapters":[{"id":"decouvrez-le-role-de-javascript-dans-une-page-web","title":"Découvrez le rôle de JavaScript dans une page web"},{"id":"manipulez-variables-types-et-operateurs","title":"Manipulez variables, types et opérateurs"},{"id":"ecrivez-des-conditions-et-des-boucles","title":"Écrivez des conditions et des boucles"},{"id":"structurez-votre-code-avec-des-fonctions","title":"Structurez votre code avec des fonctions"},{"id":"modifiez-la-page-grace-au-dom","title":"Modifiez la page grâce au DOM"},{"id":"reagissez-aux-actions-de-utilisateur-avec-les-evenements","title":"Réagissez aux actions de l''utilisateur avec les événements"}],"quiz":{"pass_mark":60,"questions":3},"status":"published","updated_at":"2026-12-06T20:55:33.028720+00:00"}}', NULL, '2026-12-06 20:55:33.228817+00', '2026-12-06 20:55:33.322252+00');
INSERT INTO public.outbox (seq, message_id, kind, topic, body, correlation_id, created_at, published_at) VALUES (3, '01a24d23-fa6c-7000-a477-649437b0e68b', 'event', 'course.published.v1', '{"event_id":"01a24d23-fa6c-7000-a477-649437b0e68b","event_type":"course.published.v1","minor_version":0,"occurred_at":"2026-12-06T20:55:33.229227+00:00","producer":"catalog","correlation_id":null,"data":{"id":"creez-des-sites-adaptatifs-responsive","title":"Créez des sites adaptatifs avec le responsive design","summary":"Concevez des sites qui s''affichent parfaitement sur mobile, tablette et ordinateur. Vous adopterez une démarche mobile first, maîtriserez les media queries et CSS Grid, et apprendrez à tester votre site sur différents appareils.","language":"fr","level":"intermediate","duration_hours":12,"topic":"web-development","skills":["responsive-design","css-layout"],"chapters":[{"id":"comprenez-les-enjeux-du-mobile-first","title":"Comprenez les enjeux du mobile first"},{"id":"configurez-la-balise-viewport","title":"Configurez la balise viewport"},{"id":"maitrisez-les-media-queries","title":"Maîtrisez les media queries"},{"id":"construisez-des-grilles-avec-css-grid","title":"Construisez des grilles avec CSS Grid"},{"id":"adaptez-images-et-typographie-a-chaque-ecran","title":"Adaptez images et typographie à chaque écran"},{"id":"testez-votre-site-sur-differents-appareils","title":"Testez votre site sur différents appareils"}],"quiz":null,"status":"published","updated_at":"2026-12-06T20:55:33.028720+00:00"}}', NULL, '2026-12-06 20:55:33.229236+00', '2026-12-06 20:55:33.322252+00');
INSERT INTO public.outbox (seq, message_id, kind, topic, body, correlation_id, created_at, published_at) VALUES (4, '01a24d23-fa6d-7000-b95f-15744dfa0f10', 'event', 'course.published.v1', '{"event_id":"01a24d23-fa6d-7000-b95f-15744dfa0f10","event_type":"course.published.v1","minor_version":0,"occurred_at":"2026-12-06T20:55:33.229616+00:00","producer":"catalog","correlation_id":null,"data":{"id":"make-your-websites-accessible","title":"Make your websites accessible","summary":"Build websites that everyone can use, including people who rely on screen readers or a keyboard. You will apply the WCAG principles, fix common barriers in forms and navigation, and audit a page with automated and manual tests.","language":"en","level":"intermediate","duration_hours":10,"topic":"web-development","skills":["web-accessibility","html-semantics"],"chapters":[{"id":"understand-disabilities-and-assistive-technologies","title":"Understand disabilities and assistive technologies"},{"id":"apply-the-wcag-principles","title":"Apply the WCAG principles"},{"id":"write-accessible-forms","title":"Write accessible forms"},{"id":"support-keyboard-navigation-and-focus","title":"Support keyboard navigation and focus"},{"id":"use-aria-attributes-wisely","title":"Use ARIA attributes wisely"},{"id":"audit-a-page-with-automated-and-manual-tests","title":"Audit a page with automated and manual tests"}],"quiz":{"pass_mark":70,"questions":3},"status":"published","updated_at":"2026-12-06T20:55:33.028720+00:00"}}', NULL, '2026-12-06 20:55:33.229623+00', '2026-12-06 20:55:33.322252+00');
INSERT INTO public.outbox (seq, message_id, kind, topic, body, correlation_id, created_at, published_at) VALUES (5, '01a24d23-fa6d-7000-815b-3f023498833d', 'event', 'course.published.v1', '{"event_id":"01a24d23-fa6d-7000-815b-3f023498833d","event_type":"course.published.v1","minor_version":0,"occurred_at":"2026-12-06T20:55:33.230071+00:00","producer":"catalog","correlation_id":null,"data":{"id":"build-interactive-interfaces-with-react","title":"Build interactive interfaces with React","summary":"Create a single-page application with React, the most widely used front-end library. You will break an interface into reusable components, manage state with hooks and load data from a web API.","language":"en","level":"intermediate","duration_hours":15,"topic":"web-development","skills":["react-components","javascript-fundamentals"],"chapters":[{"id":"set-up-a-react-project-with-vite","title":"Set up a React project with Vite"},{"id":"describe-the-ui-with-jsx-and-components","title":"Describe the UI with JSX and components"},{"id":"pass-data-with-props","title":"Pass data with props"},{"id":"manage-state-with-hooks","title":"Manage state with hooks"},{"id":"fetch-data-from-an-api","title":"Fetch data from an API"},{"id":"handle-forms-and-user-input","title":"Handle forms and user input"},{"id":"organise-your-app-with-routing","title":"Organise your app with routing"}],"quiz":null,"status":"published","updated_at":"2026-12-06T20:55:33.028720+00:00"}}', NULL, '2026-12-06 20:55:33.230079+00', '2026-12-06 20:55:33.322252+00');


--
-- Data for Name: paths; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.paths (id, title, summary, language, courses, skills) VALUES ('web-developer-foundations', 'Web developer foundations', 'Learn to build modern, accessible websites and interactive front-end applications. By the end of this path you can create a responsive site in HTML and CSS, make it usable by everyone and turn it into a React application.', 'en', '["build-your-first-website-html-css","make-your-websites-accessible","build-interactive-interfaces-with-react"]', '["html-semantics","css-layout","web-accessibility","react-components","javascript-fundamentals"]');
INSERT INTO public.paths (id, title, summary, language, courses, skills) VALUES ('junior-data-analyst', 'Junior data analyst', 'Build the skills to collect, clean, analyse and explain data. You start with spreadsheets and data literacy, move on to Python and pandas, and finish with your first machine learning models.', 'en', '["data-literacy-read-and-question-data","analyse-data-with-spreadsheets","analyse-data-with-python-and-pandas","machine-learning-foundations-scikit-learn"]', '["descriptive-statistics","data-visualization","spreadsheet-analysis","data-cleaning","python-data-analysis","machine-learning-basics"]');
INSERT INTO public.paths (id, title, summary, language, courses, skills) VALUES ('digital-marketing-essentials', 'Digital marketing essentials', 'Attract and retain an audience online with measurable, low-budget techniques. You will bring visitors through search engines, keep them engaged by email and measure what works with web analytics.', 'en', '["get-started-with-seo","run-effective-email-marketing-campaigns","measure-your-audience-with-web-analytics"]', '["seo","email-marketing","web-analytics"]');
INSERT INTO public.paths (id, title, summary, language, courses, skills) VALUES ('agile-project-lead', 'Agile project lead', 'Prepare to lead projects in organisations that combine agile delivery with budget and governance constraints. You will run Scrum, manage budgets and stakeholders, and handle the conflicts that arise along the way.', 'en', '["lead-agile-projects-with-scrum","plan-and-track-project-budgets","manage-stakeholders-in-complex-projects","resolve-conflicts-at-work"]', '["agile-scrum","budget-tracking","project-planning","stakeholder-management","risk-management","conflict-resolution","giving-feedback"]');
INSERT INTO public.paths (id, title, summary, language, courses, skills) VALUES ('ux-ui-designer', 'UX/UI designer', 'Design digital products grounded in user research and built on a consistent visual language. You will go from interviews and wireframes to usability tests, inclusive interfaces and a reusable design system.', 'en', '["discover-ux-design","run-usability-tests","design-accessible-and-inclusive-interfaces","build-and-maintain-a-design-system"]', '["ux-research","wireframing","usability-testing","visual-design","web-accessibility","design-systems"]');
INSERT INTO public.paths (id, title, summary, language, courses, skills) VALUES ('cloud-and-devops-foundations', 'Cloud and DevOps foundations', 'Acquire the infrastructure skills needed to run and deliver software reliably. You will understand networks, automate administration with Bash, use cloud services and build a continuous delivery pipeline.', 'en', '["understand-computer-networks","automate-tasks-with-bash-scripting","get-started-with-cloud-computing","set-up-continuous-integration-and-delivery"]', '["computer-networking","shell-scripting","linux-administration","cloud-fundamentals","ci-cd","containers-docker"]');
INSERT INTO public.paths (id, title, summary, language, courses, skills) VALUES ('thrive-in-remote-study-and-work', 'Thrive in remote study and work', 'Designed for learners whose campus has closed, this path gives you the habits and tools to study and work remotely. You will organise your learning, collaborate online, research reliable information and write clearly.', 'en', '["learn-effectively-online","collaborate-online-with-shared-tools","research-and-evaluate-information-online","write-clear-professional-emails-and-reports"]', '["remote-learning","time-management","online-collaboration","digital-research","critical-thinking","written-communication"]');
INSERT INTO public.paths (id, title, summary, language, courses, skills) VALUES ('parcours-developpeur-web', 'Développeur web : du navigateur à l''API', 'Comprenez le fonctionnement du Web puis développez des sites adaptatifs et interactifs. À l''issue de ce parcours, vous saurez programmer en JavaScript et concevoir l''API REST qui alimente une application.', 'fr', '["developpement-web-comprenez-le-fonctionnement-du-web","developpement-web-apprenez-les-bases-de-javascript","creez-des-sites-adaptatifs-responsive","concevez-une-api-rest-avec-nodejs"]', '["html-semantics","javascript-fundamentals","responsive-design","css-layout","rest-api-design"]');
INSERT INTO public.paths (id, title, summary, language, courses, skills) VALUES ('parcours-analyste-de-donnees', 'Analyste de données', 'Apprenez à interroger, décrire et représenter des données pour éclairer les décisions. Vous passerez des statistiques descriptives aux requêtes SQL avancées et aux tableaux de bord percutants.', 'fr', '["analyse-de-donnees-initiez-vous-aux-statistiques-descriptives","requetez-une-base-de-donnees-avec-sql","analyse-de-donnees-creez-des-visualisations-percutantes","maitrisez-sql-avance-pour-lanalyse-de-donnees"]', '["descriptive-statistics","sql-queries","data-visualization"]');
INSERT INTO public.paths (id, title, summary, language, courses, skills) VALUES ('parcours-community-manager', 'Community manager', 'Développez la présence en ligne d''une marque ou d''un établissement. Vous bâtirez une stratégie pour les réseaux sociaux, animerez une communauté, produirez des contenus utiles et piloterez des campagnes publicitaires.', 'fr', '["reseaux-sociaux-definissez-votre-strategie","reseaux-sociaux-creez-et-animez-une-communaute","redigez-une-strategie-de-contenu-qui-convertit","pilotez-vos-campagnes-de-publicite-en-ligne"]', '["social-media-marketing","content-strategy","seo","paid-advertising","web-analytics"]');
INSERT INTO public.paths (id, title, summary, language, courses, skills) VALUES ('parcours-chef-de-projet', 'Chef de projet : méthodes classiques et agiles', 'Pilotez des projets avec les méthodes classiques comme avec les méthodes agiles. Vous apprendrez à cadrer et planifier, à travailler en Scrum et en Kanban, à maîtriser risques et budget et à fédérer votre équipe.', 'fr', '["gestion-de-projet-initiez-vous-aux-fondamentaux","decouvrez-lagilite-avec-scrum","gestion-de-projet-agile-avec-kanban","gestion-de-projet-maitrisez-les-risques-et-le-budget","travaillez-efficacement-en-equipe"]', '["project-planning","stakeholder-management","agile-scrum","kanban","risk-management","budget-tracking","teamwork","giving-feedback"]');
INSERT INTO public.paths (id, title, summary, language, courses, skills) VALUES ('parcours-reussir-a-distance', 'Réussir ses études à distance en toute sécurité', 'Un parcours pensé pour les élèves et étudiants dont l''établissement est fermé. Vous organiserez votre temps, protégerez vos comptes et vos données personnelles et saurez vous exprimer avec aisance en visioconférence.', 'fr', '["gerez-votre-temps-et-vos-priorites","protegez-vous-en-ligne-les-bons-reflexes-de-cybersecurite","comprendre-le-rgpd-protegez-les-donnees-personnelles","prise-de-parole-en-public-captez-lattention"]', '["time-management","cybersecurity-hygiene","personal-data-protection","public-speaking"]');
INSERT INTO public.paths (id, title, summary, language, courses, skills) VALUES ('parcours-administrateur-systemes-et-reseaux', 'Administrateur systèmes et réseaux', 'Préparez-vous à administrer l''infrastructure informatique d''un établissement. Vous maîtriserez Linux, configurerez un réseau local sécurisé, assurerez le support aux utilisateurs et déploierez des applications avec Docker.', 'fr', '["initiez-vous-a-linux-et-a-la-ligne-de-commande","support-informatique-diagnostiquez-et-resolvez-les-incidents","reseaux-informatiques-configurez-et-securisez-un-reseau-local","conteneurisez-vos-applications-avec-docker"]', '["linux-administration","shell-scripting","it-support","computer-networking","cybersecurity-hygiene","containers-docker"]');
INSERT INTO public.paths (id, title, summary, language, courses, skills) VALUES ('parcours-designer-ux', 'Designer UX', 'Concevez des interfaces à la fois belles et faciles à utiliser. Vous maîtriserez les bases du design graphique, prototyperez une application avec Figma et mènerez une recherche utilisateur complète.', 'fr', '["initiez-vous-aux-principes-du-design-graphique","maquettez-et-prototypez-une-application-avec-figma","menez-une-recherche-utilisateur-de-bout-en-bout"]', '["visual-design","typography","wireframing","ux-research","usability-testing"]');


--
-- Data for Name: seed_applied; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.seed_applied (course_id, digest) VALUES ('analyse-data-with-spreadsheets', '81fe7bcc190e0d674f866a8d5a23a2b5ee2acd5869f9e9fae01c801a7e6a75c4');
INSERT INTO public.seed_applied (course_id, digest) VALUES ('analyse-de-donnees-initiez-vous-aux-statistiques-descriptives', 'bae80b902fea2d7dc9354727a2ee61c544e8ba3b24432981f4b781d32272a727');
INSERT INTO public.seed_applied (course_id, digest) VALUES ('analyse-data-with-python-and-pandas', '6695fd0d95ae190a6b6f0facd2daa19247f4211ae3ff693e9f2124c2559b391f');
INSERT INTO public.seed_applied (course_id, digest) VALUES ('analyse-de-donnees-creez-des-visualisations-percutantes', '1f79f17c99aa403074c70033b1652b3f9795ffb777f5b90c475ad6a3360859c8');
INSERT INTO public.seed_applied (course_id, digest) VALUES ('automate-your-work-with-no-code-tools', '77dc6e6dcef3486aed689242bcfdd3d6b5fb6a830043c5bbaed65f7e1ca22a7b');
INSERT INTO public.seed_applied (course_id, digest) VALUES ('automate-tasks-with-bash-scripting', '35ffc5b0e7b18b4c1e186b1981878207b11dfba421b5f144064b5c3a87cc0355');


--
-- Data for Name: skills; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.skills (id, name, topic) VALUES ('html-semantics', '{"en":"Semantic HTML","fr":"HTML sémantique"}', 'web-development');
INSERT INTO public.skills (id, name, topic) VALUES ('css-layout', '{"en":"CSS layout","fr":"Mise en page CSS"}', 'web-development');
INSERT INTO public.skills (id, name, topic) VALUES ('javascript-fundamentals', '{"en":"JavaScript fundamentals","fr":"Fondamentaux de JavaScript"}', 'web-development');
INSERT INTO public.skills (id, name, topic) VALUES ('responsive-design', '{"en":"Responsive design","fr":"Conception adaptative (responsive)"}', 'web-development');
INSERT INTO public.skills (id, name, topic) VALUES ('web-accessibility', '{"en":"Web accessibility","fr":"Accessibilité web"}', 'web-development');
INSERT INTO public.skills (id, name, topic) VALUES ('rest-api-design', '{"en":"REST API design","fr":"Conception d''API REST"}', 'web-development');
INSERT INTO public.skills (id, name, topic) VALUES ('react-components', '{"en":"React components","fr":"Composants React"}', 'web-development');
INSERT INTO public.skills (id, name, topic) VALUES ('spreadsheet-analysis', '{"en":"Spreadsheet analysis","fr":"Analyse sur tableur"}', 'data');
INSERT INTO public.skills (id, name, topic) VALUES ('sql-queries', '{"en":"SQL querying","fr":"Requêtes SQL"}', 'data');
INSERT INTO public.skills (id, name, topic) VALUES ('python-data-analysis', '{"en":"Data analysis with Python","fr":"Analyse de données avec Python"}', 'data');
INSERT INTO public.skills (id, name, topic) VALUES ('data-visualization', '{"en":"Data visualisation","fr":"Visualisation de données"}', 'data');
INSERT INTO public.skills (id, name, topic) VALUES ('descriptive-statistics', '{"en":"Descriptive statistics","fr":"Statistiques descriptives"}', 'data');
INSERT INTO public.skills (id, name, topic) VALUES ('machine-learning-basics', '{"en":"Machine learning foundations","fr":"Bases de l''apprentissage automatique"}', 'data');
INSERT INTO public.skills (id, name, topic) VALUES ('data-cleaning', '{"en":"Data cleaning","fr":"Nettoyage de données"}', 'data');
INSERT INTO public.skills (id, name, topic) VALUES ('seo', '{"en":"Search engine optimisation","fr":"Référencement naturel (SEO)"}', 'marketing');
INSERT INTO public.skills (id, name, topic) VALUES ('social-media-marketing', '{"en":"Social media marketing","fr":"Marketing sur les réseaux sociaux"}', 'marketing');
INSERT INTO public.skills (id, name, topic) VALUES ('content-strategy', '{"en":"Content strategy","fr":"Stratégie de contenu"}', 'marketing');
INSERT INTO public.skills (id, name, topic) VALUES ('email-marketing', '{"en":"Email marketing","fr":"Marketing par e-mail"}', 'marketing');
INSERT INTO public.skills (id, name, topic) VALUES ('web-analytics', '{"en":"Web analytics","fr":"Analyse d''audience web"}', 'marketing');
INSERT INTO public.skills (id, name, topic) VALUES ('paid-advertising', '{"en":"Online advertising","fr":"Publicité en ligne"}', 'marketing');
INSERT INTO public.skills (id, name, topic) VALUES ('project-planning', '{"en":"Project planning","fr":"Planification de projet"}', 'project-management');
INSERT INTO public.skills (id, name, topic) VALUES ('agile-scrum', '{"en":"Agile and Scrum","fr":"Agilité et Scrum"}', 'project-management');
INSERT INTO public.skills (id, name, topic) VALUES ('kanban', '{"en":"Kanban flow management","fr":"Gestion de flux Kanban"}', 'project-management');
INSERT INTO public.skills (id, name, topic) VALUES ('risk-management', '{"en":"Risk management","fr":"Gestion des risques"}', 'project-management');
INSERT INTO public.skills (id, name, topic) VALUES ('stakeholder-management', '{"en":"Stakeholder management","fr":"Gestion des parties prenantes"}', 'project-management');
INSERT INTO public.skills (id, name, topic) VALUES ('budget-tracking', '{"en":"Budget planning and tracking","fr":"Élaboration et suivi budgétaire"}', 'project-management');
INSERT INTO public.skills (id, name, topic) VALUES ('office-productivity', '{"en":"Office productivity","fr":"Bureautique"}', 'digital-skills');
INSERT INTO public.skills (id, name, topic) VALUES ('online-collaboration', '{"en":"Online collaboration","fr":"Collaboration en ligne"}', 'digital-skills');
INSERT INTO public.skills (id, name, topic) VALUES ('cybersecurity-hygiene', '{"en":"Everyday cybersecurity","fr":"Hygiène numérique et cybersécurité"}', 'digital-skills');
INSERT INTO public.skills (id, name, topic) VALUES ('digital-research', '{"en":"Online research and information literacy","fr":"Recherche et évaluation de l''information en ligne"}', 'digital-skills');
INSERT INTO public.skills (id, name, topic) VALUES ('personal-data-protection', '{"en":"Personal data protection (GDPR)","fr":"Protection des données personnelles (RGPD)"}', 'digital-skills');
INSERT INTO public.skills (id, name, topic) VALUES ('remote-learning', '{"en":"Learning effectively online","fr":"Apprentissage efficace à distance"}', 'digital-skills');
INSERT INTO public.skills (id, name, topic) VALUES ('public-speaking', '{"en":"Public speaking","fr":"Prise de parole en public"}', 'soft-skills');
INSERT INTO public.skills (id, name, topic) VALUES ('written-communication', '{"en":"Professional writing","fr":"Communication écrite professionnelle"}', 'soft-skills');
INSERT INTO public.skills (id, name, topic) VALUES ('time-management', '{"en":"Time management","fr":"Gestion du temps"}', 'soft-skills');
INSERT INTO public.skills (id, name, topic) VALUES ('teamwork', '{"en":"Teamwork","fr":"Travail en équipe"}', 'soft-skills');
INSERT INTO public.skills (id, name, topic) VALUES ('conflict-resolution', '{"en":"Conflict resolution","fr":"Gestion des conflits"}', 'soft-skills');
INSERT INTO public.skills (id, name, topic) VALUES ('critical-thinking', '{"en":"Critical thinking","fr":"Esprit critique"}', 'soft-skills');
INSERT INTO public.skills (id, name, topic) VALUES ('giving-feedback', '{"en":"Giving and receiving feedback","fr":"Donner et recevoir du feedback"}', 'soft-skills');
INSERT INTO public.skills (id, name, topic) VALUES ('ux-research', '{"en":"User research","fr":"Recherche utilisateur"}', 'design');
INSERT INTO public.skills (id, name, topic) VALUES ('wireframing', '{"en":"Wireframing and prototyping","fr":"Maquettage et prototypage"}', 'design');
INSERT INTO public.skills (id, name, topic) VALUES ('visual-design', '{"en":"Visual design principles","fr":"Principes de design graphique"}', 'design');
INSERT INTO public.skills (id, name, topic) VALUES ('typography', '{"en":"Typography","fr":"Typographie"}', 'design');
INSERT INTO public.skills (id, name, topic) VALUES ('design-systems', '{"en":"Design systems","fr":"Systèmes de design"}', 'design');
INSERT INTO public.skills (id, name, topic) VALUES ('usability-testing', '{"en":"Usability testing","fr":"Tests d''utilisabilité"}', 'design');
INSERT INTO public.skills (id, name, topic) VALUES ('linux-administration', '{"en":"Linux administration","fr":"Administration Linux"}', 'it-infrastructure');
INSERT INTO public.skills (id, name, topic) VALUES ('computer-networking', '{"en":"Computer networking","fr":"Réseaux informatiques"}', 'it-infrastructure');
INSERT INTO public.skills (id, name, topic) VALUES ('cloud-fundamentals', '{"en":"Cloud fundamentals","fr":"Fondamentaux du cloud"}', 'it-infrastructure');
INSERT INTO public.skills (id, name, topic) VALUES ('containers-docker', '{"en":"Containers with Docker","fr":"Conteneurs avec Docker"}', 'it-infrastructure');
INSERT INTO public.skills (id, name, topic) VALUES ('shell-scripting', '{"en":"Shell scripting","fr":"Scripts shell"}', 'it-infrastructure');
INSERT INTO public.skills (id, name, topic) VALUES ('it-support', '{"en":"IT support and troubleshooting","fr":"Support informatique et dépannage"}', 'it-infrastructure');
INSERT INTO public.skills (id, name, topic) VALUES ('ci-cd', '{"en":"Continuous integration and delivery","fr":"Intégration et livraison continues"}', 'it-infrastructure');


--
-- Data for Name: topics; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.topics (id, name) VALUES ('web-development', '{"en":"Web development","fr":"Développement web"}');
INSERT INTO public.topics (id, name) VALUES ('data', '{"en":"Data and analytics","fr":"Données et analyse"}');
INSERT INTO public.topics (id, name) VALUES ('marketing', '{"en":"Digital marketing","fr":"Marketing digital"}');
INSERT INTO public.topics (id, name) VALUES ('project-management', '{"en":"Project management","fr":"Gestion de projet"}');
INSERT INTO public.topics (id, name) VALUES ('digital-skills', '{"en":"Digital skills","fr":"Compétences numériques"}');
INSERT INTO public.topics (id, name) VALUES ('soft-skills', '{"en":"Soft skills","fr":"Compétences comportementales"}');
INSERT INTO public.topics (id, name) VALUES ('design', '{"en":"Design","fr":"Design"}');
INSERT INTO public.topics (id, name) VALUES ('it-infrastructure', '{"en":"IT infrastructure","fr":"Infrastructure informatique"}');


--
-- Name: outbox_seq_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.outbox_seq_seq', 59, true);


--
-- Name: applied_events applied_events_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.applied_events
    ADD CONSTRAINT applied_events_pkey PRIMARY KEY (event_id, consumer);


--
-- Name: courses courses_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.courses
    ADD CONSTRAINT courses_pkey PRIMARY KEY (id);


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
-- Name: paths paths_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.paths
    ADD CONSTRAINT paths_pkey PRIMARY KEY (id);


--
-- Name: seed_applied seed_applied_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.seed_applied
    ADD CONSTRAINT seed_applied_pkey PRIMARY KEY (course_id);


--
-- Name: skills skills_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.skills
    ADD CONSTRAINT skills_pkey PRIMARY KEY (id);


--
-- Name: topics topics_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.topics
    ADD CONSTRAINT topics_pkey PRIMARY KEY (id);


--
-- Name: ix_courses_language; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_courses_language ON public.courses USING btree (language);


--
-- Name: ix_courses_status; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_courses_status ON public.courses USING btree (status);


--
-- Name: ix_outbox_unpublished; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_outbox_unpublished ON public.outbox USING btree (kind, seq) WHERE (published_at IS NULL);


--
-- PostgreSQL database dump complete
--


