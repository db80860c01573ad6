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
INSERT INTO outbox VALUES(1,'01a24d23-bb0f-7000-9dd6-5a3b20c0bc81','event','application.received.v1','{"event_id":"01a24d23-bb0f-7000-9dd6-5a3b20c0bc81","event_type":"application.received.v1","minor_version":0,"occurred_at":"2026-12-06T20:55:17.007669+00:00","producer":"onboarding","correlation_id":"c16c44fd3fa8419aa71fba66222dafb5","data":{"application_id":"01a24d23-bb0e-7000-a153-3dad00e48182","name":"Établissement lycee-ancien.fr","type":"secondary_school","country":"FR","expected_learners":10,"received_at":"2026-12-06T20:55:17.006905+00:00"}}','c16c44fd3fa8419aa71fba66222dafb5','2026-12-06 20:55:17.007676','2026-12-06 20:55:17.026239');
INSERT INTO outbox VALUES(2,'01a24d23-bb0f-7000-a5e4-7fe9b7669eae','event','institution.approved.v1','{"event_id":"01a24d23-bb0f-7000-a5e4-7fe9b7669eae","event_type":"institution.approved.v1","minor_version":0,"occurred_at":"2026-12-06T20:55:17.008190+00:00","producer":"onboarding","correlation_id":"c16c44fd3fa8419aa71fba66222dafb5","data":{"institution_id":"01a24d23-bb0f-7000-8589-957acd5647ba","application_id":"01a24d23-bb0e-7000-a153-3dad00e48182","name":"Établissement lycee-ancien.fr","country":"FR","type":"secondary_school","expected_learners":10,"languages":["fr"],"timezone":"Europe/Paris","admin_email":"direction@lycee-ancien.fr","plan":"spark","approved_at":"2026-12-06T20:55:17.007785+00:00"}}','c16c44fd3fa8419aa71fba66222dafb5','2026-12-06 20:55:17.008196','2026-12-06 20:55:17.026239');
INSERT INTO outbox VALUES(3,'01a24d23-bb48-7000-a0ec-9368ef539f2e','event','webinar.scheduled.v1','{"event_id":"01a24d23-bb48-7000-a0ec-9368ef539f2e","event_type":"webinar.scheduled.v1","minor_version":0,"occurred_at":"2026-12-06T20:55:17.064296+00:00","producer":"onboarding","correlation_id":"c16c44fd3fa8419aa71fba66222dafb5","data":{"institution_id":"01a24d23-bb0f-7000-8589-957acd5647ba","webinar_id":"01a24d23-bb40-7000-9a10-95f5a43b51bb","language":"fr","starts_at":"2026-12-08T08:00:00+00:00"}}','c16c44fd3fa8419aa71fba66222dafb5','2026-12-06 20:55:17.064302','2026-12-06 20:55:17.070058');
INSERT INTO outbox VALUES(4,'01a24d23-bb48-7000-b965-8f0e03005859','mail','direction@lycee-ancien.fr','{"mails":[{"to":"direction@lycee-ancien.fr","subject":"Votre espace Continuity pour Établissement lycee-ancien.fr est prêt","text":"Bonjour,\n\nÉtablissement lycee-ancien.fr dispose désormais d''une licence SPARK gratuite sur Continuity.\nChoisissez votre mot de passe et ouvrez l''espace de votre établissement ici (lien à usage unique, valable 7 jours) :\n\n  http://127.0.0.1:12451/invitations/01a24d23-bb46-7000-a157-f0485a38100fkkk9Bb0Mm3bGgXjAQ2R6LukcJpKdSdabUZqlblrkBJc\n\nVotre webinaire de prise en main (en français, 1 heure) : 2026-12-08 09:00 (Europe/Paris).\n\nImportez ensuite la liste de vos apprenants (CSV) et suivez leur progression sur votre tableau de bord.\n\nL''équipe Continuity\n","language":"fr"}]}','c16c44fd3fa8419aa71fba66222dafb5','2026-12-06 20:55:17.064572','2026-12-06 20:55:17.069036');
INSERT INTO outbox VALUES(5,'01a24d23-bb48-7000-9675-31f4a5e0bd04','event','institution.activated.v1','{"event_id":"01a24d23-bb48-7000-9675-31f4a5e0bd04","event_type":"institution.activated.v1","minor_version":0,"occurred_at":"2026-12-06T20:55:17.064794+00:00","producer":"onboarding","correlation_id":"c16c44fd3fa8419aa71fba66222dafb5","data":{"institution_id":"01a24d23-bb0f-7000-8589-957acd5647ba","licence_id":"01a24d23-bb24-7000-a9c3-6410e99cf945","admin_member_id":"01a24d23-bb46-7000-a157-f0485a38100f","applied_at":"2026-12-06T20:55:17.006905+00:00","activated_at":"2026-12-06T20:55:17.062562+00:00"}}','c16c44fd3fa8419aa71fba66222dafb5','2026-12-06 20:55:17.064799','2026-12-06 20:55:17.070058');
INSERT INTO outbox VALUES(6,'01a24d23-bc83-7000-b5bc-25757c93c3f2','event','learners.enrolled.v1','{"event_id":"01a24d23-bc83-7000-b5bc-25757c93c3f2","event_type":"learners.enrolled.v1","minor_version":0,"occurred_at":"2026-12-06T20:55:17.379425+00:00","producer":"onboarding","correlation_id":"618d3a79cf4e4d5fbed1b0f961699b4f","data":{"institution_id":"01a24d23-bb0f-7000-8589-957acd5647ba","import_job_id":"01a24d23-bc81-7000-93e8-a61587e9050f","learners":[{"learner_id":"01a24d23-bc81-7000-8f2a-c8e373f0ca9f","email":"eleve0@lycee-ancien.fr","first_name":"Élève","last_name":"0","cohort":"Classe 0","external_id":null},{"learner_id":"01a24d23-bc81-7001-b2ff-c5471f1b969f","email":"eleve1@lycee-ancien.fr","first_name":"Élève","last_name":"1","cohort":"Classe 1","external_id":null},{"learner_id":"01a24d23-bc81-7002-a0bb-dd5c1c60f732","email":"eleve2@lycee-ancien.fr","first_name":"Élève","last_name":"2","cohort":"Classe 0","external_id":null}]}}','618d3a79cf4e4d5fbed1b0f961699b4f','2026-12-06 20:55:17.379449','2026-12-06 20:55:17.392551');
INSERT INTO outbox VALUES(7,'01a24d23-bc83-7000-a12e-e203ede09bf7','mail','3 recipients','{"template":"onboarding.learner_invitation","language":"fr","values":{"institution":"Établissement lycee-ancien.fr","public_url":"http://127.0.0.1:12451"},"recipients":[{"to":"eleve0@lycee-ancien.fr","first_name":"Élève","token":"01a24d23-bc81-7000-8f2a-c8e373f0ca9fXTpbeO_AK05udV5SKg8Sdl_3ChmIxti0tt3wKr3PAWI"},{"to":"eleve1@lycee-ancien.fr","first_name":"Élève","token":"01a24d23-bc81-7001-b2ff-c5471f1b969foS3tpUMrzUbxKgE4dS0oigITHUzkzKkPxb3SEk2h9xc"},{"to":"eleve2@lycee-ancien.fr","first_name":"Élève","token":"01a24d23-bc81-7002-a0bb-dd5c1c60f7327J1ZPuNoIB5tKjBtIR18TjAjUI28iRTOUc02dh5M-AA"}]}','618d3a79cf4e4d5fbed1b0f961699b4f','2026-12-06 20:55:17.379608','2026-12-06 20:55:17.385566');
INSERT INTO outbox VALUES(8,'01a24d23-be5b-7000-a281-ed5edffad102','event','application.received.v1','{"event_id":"01a24d23-be5b-7000-a281-ed5edffad102","event_type":"application.received.v1","minor_version":0,"occurred_at":"2026-12-06T20:55:17.851156+00:00","producer":"onboarding","correlation_id":"52fdae7047a84b7ca32639d31331b235","data":{"application_id":"01a24d23-be5a-7000-8953-8ddb86f2280a","name":"Établissement ecole-attente.fr","type":"secondary_school","country":"FR","expected_learners":9000,"received_at":"2026-12-06T20:55:17.850721+00:00"}}','52fdae7047a84b7ca32639d31331b235','2026-12-06 20:55:17.851162','2026-12-06 20:55:17.856001');
INSERT INTO outbox VALUES(9,'01a24d23-be62-7000-9188-c2ea0fb64016','event','application.received.v1','{"event_id":"01a24d23-be62-7000-9188-c2ea0fb64016","event_type":"application.received.v1","minor_version":0,"occurred_at":"2026-12-06T20:55:17.858961+00:00","producer":"onboarding","correlation_id":"d85841de4e3b40288c33959addc4db4a","data":{"application_id":"01a24d23-be62-7000-8d11-41c7abf26b08","name":"Établissement college-refuse.fr","type":"secondary_school","country":"FR","expected_learners":9000,"received_at":"2026-12-06T20:55:17.858599+00:00"}}','d85841de4e3b40288c33959addc4db4a','2026-12-06 20:55:17.858966','2026-12-06 20:55:17.863850');
INSERT INTO outbox VALUES(10,'01a24d23-bef5-7000-acb2-b42e815b4008','event','institution.rejected.v1','{"event_id":"01a24d23-bef5-7000-acb2-b42e815b4008","event_type":"institution.rejected.v1","minor_version":0,"occurred_at":"2026-12-06T20:55:18.005917+00:00","producer":"onboarding","correlation_id":"2bce6f92d3c5406ab2c44f41461e441a","data":{"application_id":"01a24d23-be62-7000-8d11-41c7abf26b08","reasons":["not a school"],"rejected_at":"2026-12-06T20:55:18.005695+00:00"}}','2bce6f92d3c5406ab2c44f41461e441a','2026-12-06 20:55:18.005923','2026-12-06 20:55:18.010469');
CREATE TABLE applied_events (
	event_id VARCHAR(36) NOT NULL, 
	consumer VARCHAR(120) NOT NULL, 
	applied_at DATETIME NOT NULL, 
	PRIMARY KEY (event_id, consumer)
);
INSERT INTO applied_events VALUES('01a24d23-bb2f-7000-a65c-00169e77bcf7','onboarding.on_licensing_licence_issued','2026-12-06 20:55:17.061432');
CREATE TABLE applications (
	id VARCHAR(36) NOT NULL, 
	status VARCHAR(16) NOT NULL, 
	status_token VARCHAR(64) NOT NULL, 
	idempotency_key VARCHAR(200), 
	name VARCHAR(200) NOT NULL, 
	type VARCHAR(32) NOT NULL, 
	country VARCHAR(2) NOT NULL, 
	city VARCHAR(120) NOT NULL, 
	website VARCHAR(300) NOT NULL, 
	website_domain VARCHAR(255) NOT NULL, 
	contact_name VARCHAR(200) NOT NULL, 
	contact_email VARCHAR(254) NOT NULL, 
	contact_role VARCHAR(120) NOT NULL, 
	expected_learners INTEGER NOT NULL, 
	languages JSON NOT NULL, 
	timezone VARCHAR(64) NOT NULL, 
	reasons JSON NOT NULL, 
	institution_id VARCHAR(36), 
	received_at DATETIME NOT NULL, 
	decided_at DATETIME, 
	decided_by VARCHAR(254), 
	decision_reason TEXT, 
	PRIMARY KEY (id), 
	UNIQUE (website_domain, country), 
	UNIQUE (idempotency_key)
);
INSERT INTO applications VALUES('01a24d23-bb0e-7000-a153-3dad00e48182','active','v6Y8XiOjwKK-bCRB_Np5WYgKC-thIFFx',NULL,'Établissement lycee-ancien.fr','secondary_school','FR','Lille','https://www.lycee-ancien.fr','lycee-ancien.fr','Camille Leroy','direction@lycee-ancien.fr','Direction',10,'["fr"]','Europe/Paris','[]','01a24d23-bb0f-7000-8589-957acd5647ba','2026-12-06 20:55:17.006905','2026-12-06 20:55:17.007785',NULL,NULL);
INSERT INTO applications VALUES('01a24d23-be5a-7000-8953-8ddb86f2280a','needs_review','rbvjGXUP5W0Y82qmSLVENoWFGYTActc6','key-attente-1','Établissement ecole-attente.fr','secondary_school','FR','Lille','https://www.ecole-attente.fr','ecole-attente.fr','Camille Leroy','direction@ecole-attente.fr','Direction',9000,'["fr"]','Europe/Paris','["9000 expected learners exceeds the 5000 approved without review"]',NULL,'2026-12-06 20:55:17.850721',NULL,NULL,NULL);
INSERT INTO applications VALUES('01a24d23-be62-7000-8d11-41c7abf26b08','rejected','7hf1mqEMjzHMOIN2ypQg81evpUrOY7ga',NULL,'Établissement college-refuse.fr','secondary_school','FR','Lille','https://www.college-refuse.fr','college-refuse.fr','Camille Leroy','direction@college-refuse.fr','Direction',9000,'["fr"]','Europe/Paris','["9000 expected learners exceeds the 5000 approved without review"]',NULL,'2026-12-06 20:55:17.858599','2026-12-06 20:55:18.005695','ops@continuity.test','not a school');
CREATE TABLE members (
	id VARCHAR(36) NOT NULL, 
	institution_id VARCHAR(36) NOT NULL, 
	role VARCHAR(24) NOT NULL, 
	email VARCHAR(254) NOT NULL, 
	first_name VARCHAR(120) NOT NULL, 
	last_name VARCHAR(120) NOT NULL, 
	cohort VARCHAR(120), 
	external_id VARCHAR(120), 
	import_job_id VARCHAR(36), 
	created_at DATETIME NOT NULL, 
	invitation_hash VARCHAR(64), 
	invitation_expires_at DATETIME, 
	invitation_accepted_at DATETIME, 
	PRIMARY KEY (id), 
	UNIQUE (institution_id, email)
);
INSERT INTO members VALUES('01a24d23-bb46-7000-a157-f0485a38100f','01a24d23-bb0f-7000-8589-957acd5647ba','institution_admin','direction@lycee-ancien.fr','','',NULL,NULL,NULL,'2026-12-06 20:55:17.062562','c81fbe2b14fa992d08d37d7de29acd840a0217c9e0d206820577935ce17b0dd4','2026-12-13 20:55:17.062562','2026-12-06 20:55:17.253027');
INSERT INTO members VALUES('01a24d23-bc81-7000-8f2a-c8e373f0ca9f','01a24d23-bb0f-7000-8589-957acd5647ba','learner','eleve0@lycee-ancien.fr','Élève','0','Classe 0',NULL,'01a24d23-bc81-7000-93e8-a61587e9050f','2026-12-06 20:55:17.377932','8499e3c788c0d5cfe604a8e2abca012f1c28b88244c25b4881186aa25d69738a','2026-12-13 20:55:17.377932','2026-12-06 20:55:17.415088');
INSERT INTO members VALUES('01a24d23-bc81-7001-b2ff-c5471f1b969f','01a24d23-bb0f-7000-8589-957acd5647ba','learner','eleve1@lycee-ancien.fr','Élève','1','Classe 1',NULL,'01a24d23-bc81-7000-93e8-a61587e9050f','2026-12-06 20:55:17.377932','5f7202368b8e12c0349197610158e65e464e656a89203b55ce0a7f7fe46bf5cc','2026-12-13 20:55:17.377932','2026-12-06 20:55:17.539942');
INSERT INTO members VALUES('01a24d23-bc81-7002-a0bb-dd5c1c60f732','01a24d23-bb0f-7000-8589-957acd5647ba','learner','eleve2@lycee-ancien.fr','Élève','2','Classe 0',NULL,'01a24d23-bc81-7000-93e8-a61587e9050f','2026-12-06 20:55:17.377932','e20d9e041b193f3d1fe917ee7c4b0651d503f208a6e53fda33b4ed608e6b3089','2026-12-13 20:55:17.377932','2026-12-06 20:55:17.683172');
CREATE TABLE webinars (
	id VARCHAR(36) NOT NULL, 
	language VARCHAR(2) NOT NULL, 
	starts_at DATETIME NOT NULL, 
	minutes INTEGER NOT NULL, 
	capacity INTEGER NOT NULL, 
	booked INTEGER NOT NULL, 
	PRIMARY KEY (id), 
	UNIQUE (language, starts_at)
);
INSERT INTO webinars VALUES('01a24d23-bb40-7000-9a10-95f5a43b51bb','fr','2026-12-08 08:00:00.000000',60,50,1);
CREATE TABLE institutions (
	id VARCHAR(36) NOT NULL, 
	application_id VARCHAR(36) NOT NULL, 
	name VARCHAR(200) NOT NULL, 
	type VARCHAR(32) NOT NULL, 
	country VARCHAR(2) NOT NULL, 
	city VARCHAR(120) NOT NULL, 
	languages JSON NOT NULL, 
	timezone VARCHAR(64) NOT NULL, 
	status VARCHAR(16) NOT NULL, 
	admin_email VARCHAR(254) NOT NULL, 
	expected_learners INTEGER NOT NULL, 
	licence_id VARCHAR(36), 
	applied_at DATETIME NOT NULL, 
	approved_at DATETIME NOT NULL, 
	licence_issued_at DATETIME, 
	activated_at DATETIME, 
	PRIMARY KEY (id), 
	UNIQUE (application_id), 
	FOREIGN KEY(application_id) REFERENCES applications (id)
);
INSERT INTO institutions VALUES('01a24d23-bb0f-7000-8589-957acd5647ba','01a24d23-bb0e-7000-a153-3dad00e48182','Établissement lycee-ancien.fr','secondary_school','FR','Lille','["fr"]','Europe/Paris','active','direction@lycee-ancien.fr',10,'01a24d23-bb24-7000-a9c3-6410e99cf945','2026-12-06 20:55:17.006905','2026-12-06 20:55:17.007785','2026-12-06 20:55:17.028403','2026-12-06 20:55:17.062562');
CREATE TABLE roster_jobs (
	id VARCHAR(36) NOT NULL, 
	institution_id VARCHAR(36) NOT NULL, 
	status VARCHAR(16) NOT NULL, 
	content TEXT NOT NULL, 
	filename VARCHAR(255), 
	rows_read INTEGER NOT NULL, 
	imported INTEGER NOT NULL, 
	duplicates INTEGER NOT NULL, 
	rejected INTEGER NOT NULL, 
	errors JSON NOT NULL, 
	next_row INTEGER NOT NULL, 
	next_offset INTEGER NOT NULL, 
	next_line INTEGER NOT NULL, 
	lease_until DATETIME, 
	created_at DATETIME NOT NULL, 
	finished_at DATETIME, 
	PRIMARY KEY (id), 
	FOREIGN KEY(institution_id) REFERENCES institutions (id)
);
INSERT INTO roster_jobs VALUES('01a24d23-bc81-7000-93e8-a61587e9050f','01a24d23-bb0f-7000-8589-957acd5647ba','done','',NULL,3,3,0,0,'[]',3,154,4,'2026-12-06 20:55:47.377932','2026-12-06 20:55:17.377714','2026-12-06 20:55:17.377932');
CREATE TABLE webinar_bookings (
	institution_id VARCHAR(36) NOT NULL, 
	webinar_id VARCHAR(36) NOT NULL, 
	booked_at DATETIME NOT NULL, 
	PRIMARY KEY (institution_id), 
	FOREIGN KEY(institution_id) REFERENCES institutions (id), 
	FOREIGN KEY(webinar_id) REFERENCES webinars (id)
);
INSERT INTO webinar_bookings VALUES('01a24d23-bb0f-7000-8589-957acd5647ba','01a24d23-bb40-7000-9a10-95f5a43b51bb','2026-12-06 20:55:17.060346');
CREATE TABLE roster_parts (
	job_id VARCHAR(36) NOT NULL, 
	part INTEGER NOT NULL, 
	part_job_id VARCHAR(36) NOT NULL, 
	PRIMARY KEY (job_id, part), 
	FOREIGN KEY(job_id) REFERENCES roster_jobs (id), 
	UNIQUE (part_job_id), 
	FOREIGN KEY(part_job_id) REFERENCES roster_jobs (id)
);
CREATE INDEX ix_outbox_unpublished ON outbox (kind, seq) WHERE published_at IS NULL;
CREATE INDEX ix_applications_status ON applications (status);
CREATE INDEX ix_institutions_status ON institutions (status);
CREATE INDEX ix_roster_jobs_institution_id ON roster_jobs (institution_id);
CREATE INDEX ix_roster_jobs_status ON roster_jobs (status);
CREATE INDEX ix_webinar_bookings_webinar_id ON webinar_bookings (webinar_id);
COMMIT;
