PRAGMA foreign_keys=OFF;
BEGIN TRANSACTION;
CREATE TABLE outbox (
	seq INTEGER NOT NULL, 
	message_id VARCHAR(36) NOT NULL, 
	kind VARCHAR(16) NOT NULL, 
	topic VARCHAR(120) NOT NULL, 
	body JSON NOT NULL, 
	correlation_id VARCHAR(64), 
	created_at DATETIME NOT NULL, 
	published_at DATETIME, 
	PRIMARY KEY (seq), 
	UNIQUE (message_id)
);
INSERT INTO outbox VALUES(1,'01a24d23-be3f-7000-9a82-990e39662884','event','progress.recorded.v1','{"event_id":"01a24d23-be3f-7000-9a82-990e39662884","event_type":"progress.recorded.v1","minor_version":0,"occurred_at":"2026-12-06T20:55:17.824038+00:00","producer":"tracking","correlation_id":"b8238cccb34e43ffbc9fcc84bfc5b87f","data":{"progress_id":"old-0","learner_id":"01a24d23-bc81-7000-8f2a-c8e373f0ca9f","institution_id":"01a24d23-bb0f-7000-8589-957acd5647ba","course_id":"analyse-de-donnees-initiez-vous-aux-statistiques-descriptives","kind":"chapter_completed","chapter_id":"identifiez-les-types-de-variables","score":null,"recorded_at":"2026-12-06T20:55:17.817971+00:00"}}','b8238cccb34e43ffbc9fcc84bfc5b87f','2026-12-06 20:55:17.824044','2026-12-06 20:55:17.835484');
INSERT INTO outbox VALUES(2,'01a24d23-be51-7000-9ab8-a64bbab8fa9b','event','progress.recorded.v1','{"event_id":"01a24d23-be51-7000-9ab8-a64bbab8fa9b","event_type":"progress.recorded.v1","minor_version":0,"occurred_at":"2026-12-06T20:55:17.841901+00:00","producer":"tracking","correlation_id":"7bbe1b4fd3b943938d5b19998666d3d4","data":{"progress_id":"old-1","learner_id":"01a24d23-bc81-7000-8f2a-c8e373f0ca9f","institution_id":"01a24d23-bb0f-7000-8589-957acd5647ba","course_id":"analyse-de-donnees-initiez-vous-aux-statistiques-descriptives","kind":"chapter_completed","chapter_id":"calculez-moyenne-mediane-et-mode","score":null,"recorded_at":"2026-12-06T20:55:17.839338+00:00"}}','7bbe1b4fd3b943938d5b19998666d3d4','2026-12-06 20:55:17.841906','2026-12-06 20:55:17.846445');
CREATE TABLE applied_events (
	event_id VARCHAR(36) NOT NULL, 
	consumer VARCHAR(120) NOT NULL, 
	applied_at DATETIME NOT NULL, 
	PRIMARY KEY (event_id, consumer)
);
INSERT INTO applied_events VALUES('01a24d23-af6e-7000-bee1-093f6b07c319','tracking.on_catalog_course_published','2026-12-06 20:55:14.071580');
INSERT INTO applied_events VALUES('01a24d23-af6f-7000-8a5a-4223713d481f','tracking.on_catalog_course_published','2026-12-06 20:55:14.081572');
INSERT INTO applied_events VALUES('01a24d23-af6f-7000-afd6-7ac96dfe8a93','tracking.on_catalog_course_published','2026-12-06 20:55:14.083666');
INSERT INTO applied_events VALUES('01a24d23-af6f-7000-a3ba-8b6452911307','tracking.on_catalog_course_published','2026-12-06 20:55:14.085361');
INSERT INTO applied_events VALUES('01a24d23-af70-7000-81d4-16b91a5e982b','tracking.on_catalog_course_published','2026-12-06 20:55:14.086986');
INSERT INTO applied_events VALUES('01a24d23-af70-7000-8765-253275dc9979','tracking.on_catalog_course_published','2026-12-06 20:55:14.088440');
INSERT INTO applied_events VALUES('01a24d23-af70-7000-9cba-2b7b79661b93','tracking.on_catalog_course_published','2026-12-06 20:55:14.089958');
INSERT INTO applied_events VALUES('01a24d23-af70-7000-9969-336fa69001ef','tracking.on_catalog_course_published','2026-12-06 20:55:14.091370');
INSERT INTO applied_events VALUES('01a24d23-af70-7000-8f12-b50eeea149b0','tracking.on_catalog_course_published','2026-12-06 20:55:14.092724');
INSERT INTO applied_events VALUES('01a24d23-af71-7000-a608-27109dac6f21','tracking.on_catalog_course_published','2026-12-06 20:55:14.094058');
INSERT INTO applied_events VALUES('01a24d23-af71-7000-a172-b05cde020b11','tracking.on_catalog_course_published','2026-12-06 20:55:14.102942');
INSERT INTO applied_events VALUES('01a24d23-af71-7000-99e3-a8f137cf36e7','tracking.on_catalog_course_published','2026-12-06 20:55:14.105330');
INSERT INTO applied_events VALUES('01a24d23-af71-7000-851f-70c20062e360','tracking.on_catalog_course_published','2026-12-06 20:55:14.106760');
INSERT INTO applied_events VALUES('01a24d23-af71-7000-b6c8-a581db925a34','tracking.on_catalog_course_published','2026-12-06 20:55:14.108067');
INSERT INTO applied_events VALUES('01a24d23-af72-7000-9a83-fbd2fcd99177','tracking.on_catalog_course_published','2026-12-06 20:55:14.109362');
INSERT INTO applied_events VALUES('01a24d23-af72-7000-8fc5-2629bcae1c03','tracking.on_catalog_course_published','2026-12-06 20:55:14.110724');
INSERT INTO applied_events VALUES('01a24d23-af72-7000-88a4-c947c9cf7be8','tracking.on_catalog_course_published','2026-12-06 20:55:14.111946');
INSERT INTO applied_events VALUES('01a24d23-af72-7000-b512-2ebf7f6959b3','tracking.on_catalog_course_published','2026-12-06 20:55:14.115366');
INSERT INTO applied_events VALUES('01a24d23-af72-7000-97c7-3676546f24bd','tracking.on_catalog_course_published','2026-12-06 20:55:14.116571');
INSERT INTO applied_events VALUES('01a24d23-af73-7000-a113-33ff728c4a9e','tracking.on_catalog_course_published','2026-12-06 20:55:14.117928');
INSERT INTO applied_events VALUES('01a24d23-af73-7000-bd9a-a94d4fb71151','tracking.on_catalog_course_published','2026-12-06 20:55:14.123299');
INSERT INTO applied_events VALUES('01a24d23-af73-7000-b01b-2064d9b06cea','tracking.on_catalog_course_published','2026-12-06 20:55:14.124700');
INSERT INTO applied_events VALUES('01a24d23-af73-7000-8132-e4b533969455','tracking.on_catalog_course_published','2026-12-06 20:55:14.126006');
INSERT INTO applied_events VALUES('01a24d23-af73-7000-9b57-73b7966b84ac','tracking.on_catalog_course_published','2026-12-06 20:55:14.127262');
INSERT INTO applied_events VALUES('01a24d23-af74-7000-9224-11958a1238f5','tracking.on_catalog_course_published','2026-12-06 20:55:14.128478');
INSERT INTO applied_events VALUES('01a24d23-af74-7000-9efe-6672b4faa060','tracking.on_catalog_course_published','2026-12-06 20:55:14.129789');
INSERT INTO applied_events VALUES('01a24d23-af74-7000-a60d-5a9863e9eb9d','tracking.on_catalog_course_published','2026-12-06 20:55:14.131273');
INSERT INTO applied_events VALUES('01a24d23-af74-7000-b31f-e745185b4947','tracking.on_catalog_course_published','2026-12-06 20:55:14.134605');
INSERT INTO applied_events VALUES('01a24d23-af74-7000-8487-84a8e71e5c4f','tracking.on_catalog_course_published','2026-12-06 20:55:14.135842');
INSERT INTO applied_events VALUES('01a24d23-af74-7000-9f3a-7fc2b99b1696','tracking.on_catalog_course_published','2026-12-06 20:55:14.137194');
INSERT INTO applied_events VALUES('01a24d23-af75-7000-b613-2ef447fe2a62','tracking.on_catalog_course_published','2026-12-06 20:55:14.142970');
INSERT INTO applied_events VALUES('01a24d23-af75-7000-b708-8f9522e8dc2c','tracking.on_catalog_course_published','2026-12-06 20:55:14.144481');
INSERT INTO applied_events VALUES('01a24d23-af75-7000-996a-eae160884903','tracking.on_catalog_course_published','2026-12-06 20:55:14.145816');
INSERT INTO applied_events VALUES('01a24d23-af75-7000-93e2-e5ec09a0be37','tracking.on_catalog_course_published','2026-12-06 20:55:14.147021');
INSERT INTO applied_events VALUES('01a24d23-af75-7000-9325-3e710931892b','tracking.on_catalog_course_published','2026-12-06 20:55:14.148237');
INSERT INTO applied_events VALUES('01a24d23-af75-7000-9f4e-34284459fc49','tracking.on_catalog_course_published','2026-12-06 20:55:14.149468');
INSERT INTO applied_events VALUES('01a24d23-af76-7000-86d5-3750b91ed359','tracking.on_catalog_course_published','2026-12-06 20:55:14.150795');
INSERT INTO applied_events VALUES('01a24d23-af76-7000-a98d-542efc38bd61','tracking.on_catalog_course_published','2026-12-06 20:55:14.151979');
INSERT INTO applied_events VALUES('01a24d23-af76-7000-910a-294255b33fea','tracking.on_catalog_course_published','2026-12-06 20:55:14.153187');
INSERT INTO applied_events VALUES('01a24d23-af76-7000-b351-3da3e95077f6','tracking.on_catalog_course_published','2026-12-06 20:55:14.154383');
INSERT INTO applied_events VALUES('01a24d23-af76-7000-b200-0ac06f146c0c','tracking.on_catalog_course_published','2026-12-06 20:55:14.160143');
INSERT INTO applied_events VALUES('01a24d23-af77-7000-a9e7-b043b5f66786','tracking.on_catalog_course_published','2026-12-06 20:55:14.161614');
INSERT INTO applied_events VALUES('01a24d23-af77-7000-a661-00d2f9217e7a','tracking.on_catalog_course_published','2026-12-06 20:55:14.162881');
INSERT INTO applied_events VALUES('01a24d23-af77-7000-9a1d-ae2d43a00529','tracking.on_catalog_course_published','2026-12-06 20:55:14.164104');
INSERT INTO applied_events VALUES('01a24d23-af77-7000-b3a9-98bc2a9462d7','tracking.on_catalog_course_published','2026-12-06 20:55:14.165367');
INSERT INTO applied_events VALUES('01a24d23-af77-7000-9821-a437d9319732','tracking.on_catalog_course_published','2026-12-06 20:55:14.166590');
INSERT INTO applied_events VALUES('01a24d23-af78-7000-9ef3-62af623a9689','tracking.on_catalog_course_published','2026-12-06 20:55:14.168224');
INSERT INTO applied_events VALUES('01a24d23-af78-7000-b5da-2538476d3608','tracking.on_catalog_course_published','2026-12-06 20:55:14.170281');
INSERT INTO applied_events VALUES('01a24d23-af78-7000-afe0-5f171f1f808e','tracking.on_catalog_course_published','2026-12-06 20:55:14.171990');
INSERT INTO applied_events VALUES('01a24d23-af78-7000-9722-524f2e4223dd','tracking.on_catalog_course_published','2026-12-06 20:55:14.173258');
INSERT INTO applied_events VALUES('01a24d23-af78-7000-8515-efd5e5f2372c','tracking.on_catalog_course_published','2026-12-06 20:55:14.177749');
INSERT INTO applied_events VALUES('01a24d23-af78-7000-87a1-8c68f7fd7a81','tracking.on_catalog_course_published','2026-12-06 20:55:14.179003');
INSERT INTO applied_events VALUES('01a24d23-af79-7000-886d-3914a738bebb','tracking.on_catalog_course_published','2026-12-06 20:55:14.180303');
INSERT INTO applied_events VALUES('01a24d23-af79-7000-9d76-2a70bd04163f','tracking.on_catalog_course_published','2026-12-06 20:55:14.181566');
INSERT INTO applied_events VALUES('01a24d23-af79-7000-be62-46c2c060c72f','tracking.on_catalog_course_published','2026-12-06 20:55:14.182716');
INSERT INTO applied_events VALUES('01a24d23-af79-7000-b6eb-377775a8b146','tracking.on_catalog_course_published','2026-12-06 20:55:14.183841');
INSERT INTO applied_events VALUES('01a24d23-af79-7000-8c2e-12654a90247b','tracking.on_catalog_course_published','2026-12-06 20:55:14.184956');
INSERT INTO applied_events VALUES('01a24d23-af7a-7000-98b1-47ee6b490883','tracking.on_catalog_course_published','2026-12-06 20:55:14.186150');
INSERT INTO applied_events VALUES('01a24d23-af7a-7000-956b-f981441acd49','tracking.on_catalog_course_published','2026-12-06 20:55:14.187346');
INSERT INTO applied_events VALUES('01a24d23-bb2f-7000-a65c-00169e77bcf7','tracking.on_licensing_licence_issued','2026-12-06 20:55:17.049830');
INSERT INTO applied_events VALUES('01a24d23-bc83-7000-b5bc-25757c93c3f2','tracking.on_onboarding_learners_enrolled','2026-12-06 20:55:17.388590');
INSERT INTO applied_events VALUES('01a24d23-bc93-7000-9f2f-de5a5929b2b2','tracking.on_licensing_seats_assigned','2026-12-06 20:55:17.400408');
CREATE TABLE courses (
	id VARCHAR(120) NOT NULL, 
	title VARCHAR(300) NOT NULL, 
	status VARCHAR(16) NOT NULL, 
	chapters JSON NOT NULL, 
	skills JSON NOT NULL, 
	pass_mark INTEGER, 
	updated_at DATETIME NOT NULL, 
	PRIMARY KEY (id)
);
INSERT INTO courses VALUES('build-your-first-website-html-css','Build your first website with HTML and CSS','published','["set-up-your-code-editor-and-project-folder","structure-a-page-with-html","add-text-links-and-images","style-your-page-with-css-selectors","lay-out-content-with-flexbox","publish-your-site-online"]','["html-semantics","css-layout"]',70,'2026-12-06 20:55:13.956626');
INSERT INTO courses VALUES('developpement-web-apprenez-les-bases-de-javascript','Développement web : apprenez les bases de JavaScript','published','["decouvrez-le-role-de-javascript-dans-une-page-web","manipulez-variables-types-et-operateurs","ecrivez-des-conditions-et-des-boucles","structurez-votre-code-avec-des-fonctions","modifiez-la-page-grace-au-dom","reagissez-aux-actions-de-utilisateur-avec-les-evenements"]','["javascript-fundamentals"]',60,'2026-12-06 20:55:13.956626');
INSERT INTO courses VALUES('creez-des-sites-adaptatifs-responsive','Créez des sites adaptatifs avec le responsive design','published','["comprenez-les-enjeux-du-mobile-first","configurez-la-balise-viewport","maitrisez-les-media-queries","construisez-des-grilles-avec-css-grid","adaptez-images-et-typographie-a-chaque-ecran","testez-votre-site-sur-differents-appareils"]','["responsive-design","css-layout"]',NULL,'2026-12-06 20:55:13.956626');
INSERT INTO courses VALUES('make-your-websites-accessible','Make your websites accessible','published','["understand-disabilities-and-assistive-technologies","apply-the-wcag-principles","write-accessible-forms","support-keyboard-navigation-and-focus","use-aria-attributes-wisely","audit-a-page-with-automated-and-manual-tests"]','["web-accessibility","html-semantics"]',70,'2026-12-06 20:55:13.956626');
INSERT INTO courses VALUES('build-interactive-interfaces-with-react','Build interactive interfaces with React','published','["set-up-a-react-project-with-vite","describe-the-ui-with-jsx-and-components","pass-data-with-props","manage-state-with-hooks","fetch-data-from-an-api","handle-forms-and-user-input","organise-your-app-with-routing"]','["react-components","javascript-fundamentals"]',NULL,'2026-12-06 20:55:13.956626');
INSERT INTO courses VALUES('concevez-une-api-rest-avec-nodejs','Concevez une API REST avec Node.js et Express','published','["modelisez-les-ressources-de-votre-api","creez-un-serveur-avec-express","implementez-les-operations-crud","validez-les-donnees-et-gerez-les-erreurs","securisez-api-avec-une-authentification-par-jeton","documentez-api-avec-openapi","testez-et-versionnez-vos-points-acces"]','["rest-api-design","javascript-fundamentals"]',75,'2026-12-06 20:55:13.956626');
INSERT INTO courses VALUES('developpement-web-comprenez-le-fonctionnement-du-web','Développement web : comprenez le fonctionnement du Web','published','["decouvrez-ce-qui-se-passe-quand-vous-saisissez-une-url","distinguez-client-serveur-et-navigateur","comprenez-le-protocole-http","identifiez-les-roles-de-html-css-et-javascript","explorez-une-page-avec-les-outils-de-developpement"]','["html-semantics"]',NULL,'2026-12-06 20:55:13.956626');
INSERT INTO courses VALUES('analyse-data-with-spreadsheets','Analyse data with spreadsheets','published','["organise-raw-data-in-a-clean-table","sort-filter-and-remove-duplicates","write-formulas-and-use-cell-references","summarise-data-with-pivot-tables","build-your-first-charts"]','["spreadsheet-analysis","data-cleaning"]',60,'2026-12-06 20:55:13.956626');
INSERT INTO courses VALUES('analyse-de-donnees-initiez-vous-aux-statistiques-descriptives','Analyse de données : initiez-vous aux statistiques descriptives','published','["identifiez-les-types-de-variables","calculez-moyenne-mediane-et-mode","mesurez-la-dispersion-avec-ecart-type","representez-une-distribution-avec-un-histogramme","reperez-les-valeurs-aberrantes","etudiez-la-relation-entre-deux-variables"]','["descriptive-statistics"]',60,'2026-12-06 20:55:13.956626');
INSERT INTO courses VALUES('requetez-une-base-de-donnees-avec-sql','Requêtez une base de données avec SQL','published','["decouvrez-le-modele-relationnel","selectionnez-et-filtrez-des-donnees-avec-select-et-where","triez-et-agregez-avec-order-by-et-group-by","combinez-plusieurs-tables-avec-les-jointures","ecrivez-des-sous-requetes","modifiez-les-donnees-avec-insert-update-et-delete"]','["sql-queries"]',70,'2026-12-06 20:55:13.956626');
INSERT INTO courses VALUES('analyse-data-with-python-and-pandas','Analyse data with Python and pandas','published','["set-up-a-jupyter-notebook","load-data-into-a-pandas-dataframe","select-filter-and-transform-columns","handle-missing-values-and-wrong-types","group-and-aggregate-data","merge-datasets","present-your-findings"]','["python-data-analysis","data-cleaning"]',NULL,'2026-12-06 20:55:13.956626');
INSERT INTO courses VALUES('analyse-de-donnees-creez-des-visualisations-percutantes','Analyse de données : créez des visualisations percutantes','published','["choisissez-le-graphique-adapte-a-votre-message","appliquez-les-principes-de-la-perception-visuelle","utilisez-la-couleur-avec-intention","construisez-un-tableau-de-bord-lisible","racontez-une-histoire-avec-vos-donnees"]','["data-visualization"]',NULL,'2026-12-06 20:55:13.956626');
INSERT INTO courses VALUES('machine-learning-foundations-scikit-learn','Machine learning foundations with scikit-learn','published','["frame-a-problem-as-supervised-or-unsupervised-learning","split-data-into-training-and-test-sets","train-your-first-regression-model","classify-data-with-decision-trees","evaluate-models-with-the-right-metrics","avoid-overfitting-with-cross-validation","tune-hyperparameters"]','["machine-learning-basics","python-data-analysis"]',70,'2026-12-06 20:55:13.956626');
INSERT INTO courses VALUES('maitrisez-sql-avance-pour-lanalyse-de-donnees','Maîtrisez SQL avancé pour l''analyse de données','published','["rendez-vos-requetes-lisibles-avec-les-cte","classez-et-comparez-des-lignes-avec-les-fonctions-de","construisez-des-analyses-de-cohortes-et-de-retention","optimisez-les-requetes-lentes-grace-aux-index","modelisez-les-donnees-pour-le-reporting"]','["sql-queries","descriptive-statistics"]',NULL,'2026-12-06 20:55:13.956626');
INSERT INTO courses VALUES('data-literacy-read-and-question-data','Data literacy: read and question data','published','["recognise-where-data-comes-from","read-tables-and-charts-critically","understand-averages-percentages-and-ranges","spot-misleading-charts","communicate-with-numbers"]','["descriptive-statistics","data-visualization"]',NULL,'2026-12-06 20:55:13.956626');
INSERT INTO courses VALUES('reseaux-sociaux-definissez-votre-strategie','Réseaux sociaux : définissez votre stratégie de communication','published','["identifiez-vos-objectifs-et-vos-cibles","choisissez-les-reseaux-sociaux-adaptes","definissez-votre-ligne-editoriale","planifiez-vos-publications-avec-un-calendrier-editorial","animez-votre-communaute","mesurez-vos-resultats"]','["social-media-marketing","content-strategy"]',60,'2026-12-06 20:55:13.956626');
INSERT INTO courses VALUES('get-started-with-seo','Get started with SEO','published','["understand-how-search-engines-crawl-and-rank-pages","research-the-keywords-your-audience-uses","optimise-titles-headings-and-meta-descriptions","improve-site-speed-and-mobile-experience","earn-quality-backlinks","track-rankings-with-search-console"]','["seo"]',70,'2026-12-06 20:55:13.956626');
INSERT INTO courses VALUES('redigez-une-strategie-de-contenu-qui-convertit','Rédigez une stratégie de contenu qui convertit','published','["definissez-vos-personas","cartographiez-le-parcours-client","realisez-audit-de-vos-contenus-existants","construisez-un-plan-editorial","redigez-pour-le-web-et-le-referencement","recyclez-et-diffusez-vos-contenus"]','["content-strategy","seo"]',NULL,'2026-12-06 20:55:13.956626');
INSERT INTO courses VALUES('run-effective-email-marketing-campaigns','Run effective email marketing campaigns','published','["build-a-consent-based-mailing-list","segment-your-audience","write-subject-lines-that-get-opened","design-mobile-friendly-emails","automate-welcome-and-nurture-sequences","analyse-open-click-and-unsubscribe-rates"]','["email-marketing","web-analytics"]',NULL,'2026-12-06 20:55:13.956626');
INSERT INTO courses VALUES('measure-your-audience-with-web-analytics','Measure your audience with web analytics','published','["define-your-key-performance-indicators","set-up-a-privacy-friendly-analytics-tool","track-events-and-conversions","analyse-traffic-sources","build-an-audience-report","turn-insights-into-action"]','["web-analytics"]',NULL,'2026-12-06 20:55:13.956626');
INSERT INTO courses VALUES('pilotez-vos-campagnes-de-publicite-en-ligne','Pilotez vos campagnes de publicité en ligne','published','["fixez-des-objectifs-et-un-budget-de-campagne","structurez-un-compte-publicitaire-sur-les-moteurs-de","ciblez-vos-audiences-sur-les-reseaux-sociaux","redigez-des-annonces-performantes","optimisez-les-encheres-et-le-cout-acquisition","mesurez-le-retour-sur-investissement-publicitaire"]','["paid-advertising","web-analytics"]',75,'2026-12-06 20:55:13.956626');
INSERT INTO courses VALUES('reseaux-sociaux-creez-et-animez-une-communaute','Réseaux sociaux : créez et animez une communauté en ligne','published','["comprenez-le-role-du-community-manager","creez-des-contenus-engageants","moderez-les-echanges-et-gerez-les-crises","collaborez-avec-des-createurs-de-contenu","analysez-les-statistiques-de-vos-comptes"]','["social-media-marketing"]',NULL,'2026-12-06 20:55:13.956626');
INSERT INTO courses VALUES('gestion-de-projet-initiez-vous-aux-fondamentaux','Gestion de projet : initiez-vous aux fondamentaux','published','["definissez-ce-est-un-projet","redigez-la-note-de-cadrage","decoupez-le-projet-en-lots-de-travaux","construisez-un-planning-avec-un-diagramme-de-gantt","identifiez-les-parties-prenantes","cloturez-le-projet-et-tirez-en-les-enseignements"]','["project-planning","stakeholder-management"]',60,'2026-12-06 20:55:13.956626');
INSERT INTO courses VALUES('lead-agile-projects-with-scrum','Lead agile projects with Scrum','published','["discover-the-agile-manifesto","understand-the-scrum-accountabilities","build-and-refine-a-product-backlog","plan-and-run-a-sprint","facilitate-reviews-and-retrospectives","measure-velocity-and-forecast-delivery"]','["agile-scrum"]',70,'2026-12-06 20:55:13.956626');
INSERT INTO courses VALUES('gestion-de-projet-agile-avec-kanban','Gestion de projet agile : organisez votre flux avec Kanban','published','["decouvrez-les-origines-de-kanban","visualisez-votre-flux-de-travail","limitez-le-travail-en-cours","mesurez-le-temps-de-cycle","ameliorez-votre-processus-en-continu"]','["kanban","agile-scrum"]',NULL,'2026-12-06 20:55:13.956626');
INSERT INTO courses VALUES('gestion-de-projet-maitrisez-les-risques-et-le-budget','Gestion de projet : maîtrisez les risques et le budget','published','["identifiez-les-risques-du-projet","evaluez-probabilite-et-impact","elaborez-un-plan-de-reponse-aux-risques","construisez-le-budget-previsionnel","suivez-les-couts-avec-la-valeur-acquise","presentez-un-tableau-de-bord-au-comite-de-pilotage"]','["risk-management","budget-tracking"]',75,'2026-12-06 20:55:13.956626');
INSERT INTO courses VALUES('manage-stakeholders-in-complex-projects','Manage stakeholders in complex projects','published','["map-stakeholders-by-power-and-interest","build-a-communication-plan","negotiate-priorities-and-trade-offs","handle-resistance-to-change","report-to-a-steering-committee"]','["stakeholder-management","risk-management"]',NULL,'2026-12-06 20:55:13.956626');
INSERT INTO courses VALUES('plan-and-track-project-budgets','Plan and track project budgets','published','["estimate-costs-bottom-up","build-a-baseline-budget","track-actual-spend-against-plan","forecast-the-cost-at-completion","manage-change-requests"]','["budget-tracking","project-planning"]',NULL,'2026-12-06 20:55:13.956626');
INSERT INTO courses VALUES('decouvrez-lagilite-avec-scrum','Découvrez l''agilité avec Scrum','published','["comprenez-les-limites-du-cycle-en-v","decouvrez-les-valeurs-et-les-principes-agiles","identifiez-les-roles-de-equipe-scrum","vivez-votre-premier-sprint","choisissez-entre-scrum-et-kanban"]','["agile-scrum","kanban"]',NULL,'2026-12-06 20:55:13.956626');
INSERT INTO courses VALUES('protegez-vous-en-ligne-les-bons-reflexes-de-cybersecurite','Protégez-vous en ligne : les bons réflexes de cybersécurité','published','["creez-des-mots-de-passe-robustes","activez-la-double-authentification","reperez-les-tentatives-hameconnage","mettez-a-jour-vos-appareils-et-logiciels","sauvegardez-vos-donnees"]','["cybersecurity-hygiene"]',70,'2026-12-06 20:55:13.956626');
INSERT INTO courses VALUES('collaborate-online-with-shared-tools','Collaborate online with shared tools','published','["choose-the-right-tool-for-each-type-of-exchange","co-edit-documents-in-real-time","organise-shared-folders-and-permissions","run-effective-video-meetings","keep-track-of-tasks-on-a-shared-board"]','["online-collaboration"]',NULL,'2026-12-06 20:55:13.956626');
INSERT INTO courses VALUES('learn-effectively-online','Learn effectively online','published','["set-up-your-learning-environment","plan-your-study-sessions","use-active-recall-and-spaced-repetition","stay-motivated-when-learning-alone","ask-for-help-in-online-communities"]','["remote-learning","time-management"]',NULL,'2026-12-06 20:55:13.956626');
INSERT INTO courses VALUES('comprendre-le-rgpd-protegez-les-donnees-personnelles','Comprendre le RGPD : protégez les données personnelles','published','["decouvrez-les-principes-du-rgpd","identifiez-les-donnees-personnelles-et-sensibles","determinez-la-base-legale-un-traitement","respectez-les-droits-des-personnes","tenez-le-registre-des-traitements","reagissez-en-cas-de-violation-de-donnees"]','["personal-data-protection"]',70,'2026-12-06 20:55:13.956626');
INSERT INTO courses VALUES('research-and-evaluate-information-online','Research and evaluate information online','published','["build-precise-search-queries","use-advanced-search-operators","evaluate-sources-with-the-craap-test","detect-misinformation-and-manipulated-images","cite-your-sources-correctly"]','["digital-research","critical-thinking"]',65,'2026-12-06 20:55:13.956626');
INSERT INTO courses VALUES('automate-your-work-with-no-code-tools','Automate your work with no-code tools','published','["spot-repetitive-tasks-worth-automating","design-a-workflow-with-triggers-and-actions","connect-forms-spreadsheets-and-email","handle-errors-and-edge-cases","document-and-share-your-automations"]','["office-productivity","online-collaboration"]',NULL,'2026-12-06 20:55:13.956626');
INSERT INTO courses VALUES('cybersecurite-securisez-les-postes-et-le-reseau','Cybersécurité : sécurisez les postes et le réseau de votre établissement','published','["analysez-les-menaces-qui-visent-les-etablissements","durcissez-la-configuration-des-postes-de-travail","gerez-les-comptes-et-les-droits-acces","segmentez-le-reseau-et-filtrez-les-flux","preparez-un-plan-de-reponse-aux-incidents","sensibilisez-les-utilisateurs"]','["cybersecurity-hygiene","computer-networking"]',NULL,'2026-12-06 20:55:13.956626');
INSERT INTO courses VALUES('speak-confidently-in-public','Speak confidently in public','published','["understand-and-manage-stage-fright","structure-a-clear-message","use-your-voice-and-body-language","design-slides-that-support-your-talk","handle-questions-from-the-audience","rehearse-and-get-feedback"]','["public-speaking"]',60,'2026-12-06 20:55:13.956626');
INSERT INTO courses VALUES('prise-de-parole-en-public-captez-lattention','Prise de parole en public : captez l''attention de votre auditoire','published','["preparez-votre-intervention","soignez-votre-introduction","travaillez-votre-voix-et-votre-posture","racontez-des-histoires-pour-convaincre","gerez-le-trac-et-les-imprevus"]','["public-speaking"]',NULL,'2026-12-06 20:55:13.956626');
INSERT INTO courses VALUES('gerez-votre-temps-et-vos-priorites','Gérez votre temps et vos priorités','published','["faites-le-bilan-de-votre-emploi-du-temps","distinguez-urgent-de-important","planifiez-votre-semaine","luttez-contre-la-procrastination","protegez-vos-plages-de-concentration"]','["time-management"]',60,'2026-12-06 20:55:13.956626');
INSERT INTO courses VALUES('write-clear-professional-emails-and-reports','Write clear professional emails and reports','published','["adapt-your-writing-to-your-reader","structure-messages-with-the-pyramid-principle","write-concise-sentences","format-reports-for-easy-scanning","proofread-and-edit-your-work"]','["written-communication"]',NULL,'2026-12-06 20:55:13.956626');
INSERT INTO courses VALUES('travaillez-efficacement-en-equipe','Travaillez efficacement en équipe','published','["comprenez-les-etapes-de-developpement-une-equipe","clarifiez-les-roles-et-les-responsabilites","instaurez-la-confiance-et-la-securite-psychologique","prenez-des-decisions-collectives","donnez-et-recevez-du-feedback-constructif"]','["teamwork","giving-feedback"]',65,'2026-12-06 20:55:13.956626');
INSERT INTO courses VALUES('resolve-conflicts-at-work','Resolve conflicts at work','published','["understand-the-sources-of-conflict","identify-your-conflict-style","listen-actively","use-nonviolent-communication","negotiate-a-win-win-solution","mediate-between-colleagues"]','["conflict-resolution","giving-feedback"]',NULL,'2026-12-06 20:55:13.956626');
INSERT INTO courses VALUES('think-critically-and-solve-complex-problems','Think critically and solve complex problems','published','["recognise-cognitive-biases","evaluate-arguments-and-evidence","break-down-a-problem-with-issue-trees","generate-and-compare-options","make-and-explain-a-decision"]','["critical-thinking"]',NULL,'2026-12-06 20:55:13.956626');
INSERT INTO courses VALUES('leadership-donnez-du-feedback-et-accompagnez-votre-equipe','Leadership : donnez du feedback et accompagnez votre équipe','published','["adoptez-une-posture-de-manager-coach","preparez-un-entretien-de-feedback","utilisez-la-methode-desc","accompagnez-un-collaborateur-en-difficulte","desamorcez-les-tensions-dans-equipe"]','["giving-feedback","conflict-resolution"]',NULL,'2026-12-06 20:55:13.956626');
INSERT INTO courses VALUES('discover-ux-design','Discover UX design','published','["understand-what-ux-design-is","follow-the-design-thinking-process","interview-users","create-personas","sketch-your-first-wireframes"]','["ux-research","wireframing"]',60,'2026-12-06 20:55:13.956626');
INSERT INTO courses VALUES('initiez-vous-aux-principes-du-design-graphique','Initiez-vous aux principes du design graphique','published','["decouvrez-les-principes-de-composition","creez-une-hierarchie-visuelle","choisissez-et-associez-les-couleurs","selectionnez-des-typographies-lisibles","utilisez-la-grille-et-les-espaces-blancs"]','["visual-design","typography"]',NULL,'2026-12-06 20:55:13.956626');
INSERT INTO courses VALUES('maquettez-et-prototypez-une-application-avec-figma','Maquettez et prototypez une application avec Figma','published','["prenez-en-main-interface-de-figma","realisez-des-wireframes-basse-fidelite","creez-des-composants-reutilisables","construisez-une-maquette-haute-fidelite","rendez-votre-prototype-interactif","partagez-votre-prototype-pour-recueillir-des-retours"]','["wireframing","visual-design"]',NULL,'2026-12-06 20:55:13.956626');
INSERT INTO courses VALUES('run-usability-tests','Run usability tests','published','["define-test-goals-and-tasks","recruit-representative-participants","moderate-a-test-session","analyse-observations-and-prioritise-issues","present-findings-to-your-team"]','["usability-testing","ux-research"]',70,'2026-12-06 20:55:13.956626');
INSERT INTO courses VALUES('build-and-maintain-a-design-system','Build and maintain a design system','published','["audit-your-existing-interface","define-design-tokens","design-a-component-library","document-usage-guidelines","keep-design-and-code-in-sync","govern-contributions-over-time"]','["design-systems","visual-design"]',NULL,'2026-12-06 20:55:13.956626');
INSERT INTO courses VALUES('menez-une-recherche-utilisateur-de-bout-en-bout','Menez une recherche utilisateur de bout en bout','published','["formulez-vos-questions-de-recherche","choisissez-entre-methodes-qualitatives-et-quantitatives","conduisez-des-entretiens-utilisateurs","realisez-des-tests-utilisabilite","synthetisez-les-resultats-avec-un-diagramme-affinites","transformez-vos-decouvertes-en-recommandations"]','["ux-research","usability-testing"]',70,'2026-12-06 20:55:13.956626');
INSERT INTO courses VALUES('design-accessible-and-inclusive-interfaces','Design accessible and inclusive interfaces','published','["understand-inclusive-design","choose-accessible-colour-contrasts","design-clear-focus-states-and-touch-targets","write-inclusive-microcopy","check-your-designs-with-accessibility-tools"]','["visual-design","web-accessibility"]',NULL,'2026-12-06 20:55:13.956626');
INSERT INTO courses VALUES('initiez-vous-a-linux-et-a-la-ligne-de-commande','Initiez-vous à Linux et à la ligne de commande','published','["installez-une-distribution-linux","naviguez-dans-arborescence-des-fichiers","manipulez-fichiers-et-dossiers-en-ligne-de-commande","gerez-les-droits-et-les-utilisateurs","installez-des-logiciels-avec-un-gestionnaire-de-paquets","surveillez-les-processus"]','["linux-administration","shell-scripting"]',60,'2026-12-06 20:55:13.956626');
INSERT INTO courses VALUES('understand-computer-networks','Understand computer networks','published','["discover-how-devices-communicate","understand-the-osi-and-tcp-ip-models","assign-ip-addresses-and-subnets","resolve-names-with-dns","set-up-a-small-office-network","diagnose-connectivity-issues"]','["computer-networking"]',65,'2026-12-06 20:55:13.956626');
INSERT INTO courses VALUES('reseaux-informatiques-configurez-et-securisez-un-reseau-local','Réseaux informatiques : configurez et sécurisez un réseau local','published','["concevez-le-plan-adressage-ip","configurez-commutateurs-et-vlan","mettez-en-place-le-routage-entre-reseaux","attribuez-les-adresses-avec-dhcp","filtrez-le-trafic-avec-un-pare-feu","securisez-le-wi-fi-de-etablissement"]','["computer-networking","cybersecurity-hygiene"]',NULL,'2026-12-06 20:55:13.956626');
INSERT INTO courses VALUES('automate-tasks-with-bash-scripting','Automate tasks with Bash scripting','published','["write-and-run-your-first-script","use-variables-and-arguments","control-flow-with-conditions-and-loops","process-text-with-grep-sed-and-awk","schedule-scripts-with-cron","handle-errors-and-log-output"]','["shell-scripting","linux-administration"]',70,'2026-12-06 20:55:13.956626');
INSERT INTO courses VALUES('get-started-with-cloud-computing','Get started with cloud computing','published','["understand-iaas-paas-and-saas","explore-regions-and-availability-zones","launch-a-virtual-machine","store-files-in-object-storage","control-costs-and-access","choose-between-public-private-and-hybrid-cloud"]','["cloud-fundamentals"]',NULL,'2026-12-06 20:55:13.956626');
INSERT INTO courses VALUES('conteneurisez-vos-applications-avec-docker','Conteneurisez vos applications avec Docker','published','["distinguez-conteneur-et-machine-virtuelle","lancez-vos-premiers-conteneurs","ecrivez-un-dockerfile","gerez-volumes-et-reseaux","orchestrez-plusieurs-services-avec-docker-compose","publiez-vos-images-dans-un-registre"]','["containers-docker","linux-administration"]',80,'2026-12-06 20:55:13.956626');
INSERT INTO courses VALUES('set-up-continuous-integration-and-delivery','Set up continuous integration and delivery','published','["understand-the-ci-cd-pipeline","run-automated-tests-on-every-commit","build-and-version-artefacts","deploy-automatically-to-a-staging-environment","release-safely-with-blue-green-and-canary-deployments","monitor-deployments-and-roll-back"]','["ci-cd","containers-docker"]',NULL,'2026-12-06 20:55:13.956626');
INSERT INTO courses VALUES('support-informatique-diagnostiquez-et-resolvez-les-incidents','Support informatique : diagnostiquez et résolvez les incidents','published','["adoptez-une-methode-de-diagnostic","accueillez-utilisateur-et-qualifiez-la-demande","resolvez-les-pannes-materielles-courantes","depannez-le-systeme-exploitation","documentez-les-incidents-dans-un-outil-de-ticketing","alimentez-une-base-de-connaissances"]','["it-support"]',NULL,'2026-12-06 20:55:13.956626');
CREATE TABLE licences (
	id VARCHAR(36) NOT NULL, 
	institution_id VARCHAR(36) NOT NULL, 
	status VARCHAR(16) NOT NULL, 
	seats_granted INTEGER NOT NULL, 
	starts_at DATETIME, 
	ends_at DATETIME, 
	extended_at DATETIME, 
	expired_at DATETIME, 
	revoked_at DATETIME, 
	updated_at DATETIME, 
	PRIMARY KEY (id)
);
INSERT INTO licences VALUES('01a24d23-bb24-7000-a9c3-6410e99cf945','01a24d23-bb0f-7000-8589-957acd5647ba','active',10,'2026-12-06 20:55:17.028403','2027-03-06 20:55:17.028403',NULL,NULL,NULL,'2026-12-06 20:55:17.039538');
CREATE TABLE learners (
	id VARCHAR(36) NOT NULL, 
	institution_id VARCHAR(36) NOT NULL, 
	email VARCHAR(254), 
	first_name VARCHAR(120), 
	last_name VARCHAR(120), 
	cohort VARCHAR(120), 
	external_id VARCHAR(120), 
	seated BOOLEAN NOT NULL, 
	enrolled_at DATETIME NOT NULL, 
	seat_changed_at DATETIME, 
	removed_at DATETIME, 
	last_activity_at DATETIME, 
	courses_started INTEGER NOT NULL, 
	courses_completed INTEGER NOT NULL, 
	skills_acquired INTEGER NOT NULL, 
	PRIMARY KEY (id)
);
INSERT INTO learners VALUES('01a24d23-bc81-7000-8f2a-c8e373f0ca9f','01a24d23-bb0f-7000-8589-957acd5647ba','eleve0@lycee-ancien.fr','Élève','0','Classe 0',NULL,1,'2026-12-06 20:55:17.379425','2026-12-06 20:55:17.395992',NULL,'2026-12-06 20:55:17.839338',1,0,0);
INSERT INTO learners VALUES('01a24d23-bc81-7001-b2ff-c5471f1b969f','01a24d23-bb0f-7000-8589-957acd5647ba','eleve1@lycee-ancien.fr','Élève','1','Classe 1',NULL,1,'2026-12-06 20:55:17.379425','2026-12-06 20:55:17.395992',NULL,NULL,0,0,0);
INSERT INTO learners VALUES('01a24d23-bc81-7002-a0bb-dd5c1c60f732','01a24d23-bb0f-7000-8589-957acd5647ba','eleve2@lycee-ancien.fr','Élève','2','Classe 0',NULL,1,'2026-12-06 20:55:17.379425','2026-12-06 20:55:17.395992',NULL,NULL,0,0,0);
CREATE TABLE progress (
	id VARCHAR(64) NOT NULL, 
	learner_id VARCHAR(36) NOT NULL, 
	institution_id VARCHAR(36) NOT NULL, 
	course_id VARCHAR(120) NOT NULL, 
	kind VARCHAR(24) NOT NULL, 
	chapter_id VARCHAR(120), 
	score INTEGER, 
	recorded_at DATETIME NOT NULL, 
	PRIMARY KEY (id)
);
INSERT INTO progress VALUES('old-0','01a24d23-bc81-7000-8f2a-c8e373f0ca9f','01a24d23-bb0f-7000-8589-957acd5647ba','analyse-de-donnees-initiez-vous-aux-statistiques-descriptives','chapter_completed','identifiez-les-types-de-variables',NULL,'2026-12-06 20:55:17.817971');
INSERT INTO progress VALUES('old-1','01a24d23-bc81-7000-8f2a-c8e373f0ca9f','01a24d23-bb0f-7000-8589-957acd5647ba','analyse-de-donnees-initiez-vous-aux-statistiques-descriptives','chapter_completed','calculez-moyenne-mediane-et-mode',NULL,'2026-12-06 20:55:17.839338');
CREATE TABLE chapters_done (
	learner_id VARCHAR(36) NOT NULL, 
	course_id VARCHAR(120) NOT NULL, 
	chapter_id VARCHAR(120) NOT NULL, 
	done_at DATETIME NOT NULL, 
	PRIMARY KEY (learner_id, course_id, chapter_id)
);
INSERT INTO chapters_done VALUES('01a24d23-bc81-7000-8f2a-c8e373f0ca9f','analyse-de-donnees-initiez-vous-aux-statistiques-descriptives','identifiez-les-types-de-variables','2026-12-06 20:55:17.817971');
INSERT INTO chapters_done VALUES('01a24d23-bc81-7000-8f2a-c8e373f0ca9f','analyse-de-donnees-initiez-vous-aux-statistiques-descriptives','calculez-moyenne-mediane-et-mode','2026-12-06 20:55:17.839338');
CREATE TABLE course_states (
	learner_id VARCHAR(36) NOT NULL, 
	course_id VARCHAR(120) NOT NULL, 
	institution_id VARCHAR(36) NOT NULL, 
	chapters_done INTEGER NOT NULL, 
	best_score INTEGER, 
	started_at DATETIME NOT NULL, 
	completed_at DATETIME, 
	PRIMARY KEY (learner_id, course_id)
);
INSERT INTO course_states VALUES('01a24d23-bc81-7000-8f2a-c8e373f0ca9f','analyse-de-donnees-initiez-vous-aux-statistiques-descriptives','01a24d23-bb0f-7000-8589-957acd5647ba',2,NULL,'2026-12-06 20:55:17.817971',NULL);
CREATE TABLE skills_acquired (
	learner_id VARCHAR(36) NOT NULL, 
	skill_id VARCHAR(120) NOT NULL, 
	institution_id VARCHAR(36) NOT NULL, 
	course_id VARCHAR(120) NOT NULL, 
	acquired_at DATETIME NOT NULL, 
	PRIMARY KEY (learner_id, skill_id)
);
CREATE INDEX ix_outbox_unpublished ON outbox (kind, seq) WHERE published_at IS NULL;
CREATE INDEX ix_licences_institution_id ON licences (institution_id);
CREATE INDEX ix_learners_institution_cohort_name ON learners (institution_id, cohort, last_name, first_name, id);
CREATE INDEX ix_learners_institution_name ON learners (institution_id, last_name, first_name, id);
CREATE INDEX ix_progress_institution_id ON progress (institution_id);
CREATE INDEX ix_progress_learner ON progress (learner_id, recorded_at);
CREATE INDEX ix_course_states_institution ON course_states (institution_id);
CREATE INDEX ix_skills_acquired_institution ON skills_acquired (institution_id);
COMMIT;
