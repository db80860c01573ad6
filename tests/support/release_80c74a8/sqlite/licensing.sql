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
INSERT INTO outbox VALUES(1,'01a24d23-bb2f-7000-a65c-00169e77bcf7','event','licence.issued.v1','{"event_id":"01a24d23-bb2f-7000-a65c-00169e77bcf7","event_type":"licence.issued.v1","minor_version":0,"occurred_at":"2026-12-06T20:55:17.039538+00:00","producer":"licensing","correlation_id":"c16c44fd3fa8419aa71fba66222dafb5","data":{"licence_id":"01a24d23-bb24-7000-a9c3-6410e99cf945","institution_id":"01a24d23-bb0f-7000-8589-957acd5647ba","plan":"spark","seats":10,"starts_at":"2026-12-06T20:55:17.028403+00:00","ends_at":"2027-03-06T20:55:17.028403+00:00"}}','c16c44fd3fa8419aa71fba66222dafb5','2026-12-06 20:55:17.039545','2026-12-06 20:55:17.055217');
INSERT INTO outbox VALUES(2,'01a24d23-bc93-7000-9f2f-de5a5929b2b2','event','seats.assigned.v1','{"event_id":"01a24d23-bc93-7000-9f2f-de5a5929b2b2","event_type":"seats.assigned.v1","minor_version":0,"occurred_at":"2026-12-06T20:55:17.395992+00:00","producer":"licensing","correlation_id":"618d3a79cf4e4d5fbed1b0f961699b4f","data":{"licence_id":"01a24d23-bb24-7000-a9c3-6410e99cf945","institution_id":"01a24d23-bb0f-7000-8589-957acd5647ba","learner_ids":["01a24d23-bc81-7000-8f2a-c8e373f0ca9f","01a24d23-bc81-7001-b2ff-c5471f1b969f","01a24d23-bc81-7002-a0bb-dd5c1c60f732"],"seats_used":3,"seats_granted":10}}','618d3a79cf4e4d5fbed1b0f961699b4f','2026-12-06 20:55:17.396003','2026-12-06 20:55:17.404453');
CREATE TABLE applied_events (
	event_id VARCHAR(36) NOT NULL, 
	consumer VARCHAR(120) NOT NULL, 
	applied_at DATETIME NOT NULL, 
	PRIMARY KEY (event_id, consumer)
);
INSERT INTO applied_events VALUES('01a24d23-bb0f-7000-a5e4-7fe9b7669eae','licensing.on_onboarding_institution_approved','2026-12-06 20:55:17.028028');
INSERT INTO applied_events VALUES('01a24d23-bc83-7000-b5bc-25757c93c3f2','licensing.on_onboarding_learners_enrolled','2026-12-06 20:55:17.392478');
CREATE TABLE licences (
	id VARCHAR(36) NOT NULL, 
	institution_id VARCHAR(36) NOT NULL, 
	"plan" VARCHAR(32) NOT NULL, 
	status VARCHAR(16) NOT NULL, 
	seats_granted INTEGER NOT NULL, 
	seats_used INTEGER NOT NULL, 
	seats_waiting INTEGER NOT NULL, 
	admin_email VARCHAR(254) NOT NULL, 
	institution_name VARCHAR(200) NOT NULL, 
	languages JSON NOT NULL, 
	timezone VARCHAR(64) NOT NULL, 
	starts_at DATETIME NOT NULL, 
	ends_at DATETIME NOT NULL, 
	revoked_at DATETIME, 
	revoked_reason VARCHAR(500), 
	created_at DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	UNIQUE (institution_id, "plan")
);
INSERT INTO licences VALUES('01a24d23-bb24-7000-a9c3-6410e99cf945','01a24d23-bb0f-7000-8589-957acd5647ba','spark','active',10,3,0,'direction@lycee-ancien.fr','Établissement lycee-ancien.fr','["fr"]','Europe/Paris','2026-12-06 20:55:17.028403','2027-03-06 20:55:17.028403',NULL,NULL,'2026-12-06 20:55:17.028403');
CREATE TABLE seats (
	seq INTEGER NOT NULL, 
	licence_id VARCHAR(36) NOT NULL, 
	learner_id VARCHAR(36) NOT NULL, 
	status VARCHAR(16) NOT NULL, 
	enrolled_at DATETIME NOT NULL, 
	seated_at DATETIME, 
	PRIMARY KEY (seq), 
	UNIQUE (licence_id, learner_id)
);
INSERT INTO seats VALUES(1,'01a24d23-bb24-7000-a9c3-6410e99cf945','01a24d23-bc81-7000-8f2a-c8e373f0ca9f','seated','2026-12-06 20:55:17.392849','2026-12-06 20:55:17.392849');
INSERT INTO seats VALUES(2,'01a24d23-bb24-7000-a9c3-6410e99cf945','01a24d23-bc81-7001-b2ff-c5471f1b969f','seated','2026-12-06 20:55:17.392849','2026-12-06 20:55:17.392849');
INSERT INTO seats VALUES(3,'01a24d23-bb24-7000-a9c3-6410e99cf945','01a24d23-bc81-7002-a0bb-dd5c1c60f732','seated','2026-12-06 20:55:17.392849','2026-12-06 20:55:17.392849');
CREATE TABLE licence_notices (
	licence_id VARCHAR(36) NOT NULL, 
	ends_at DATETIME NOT NULL, 
	days_before INTEGER NOT NULL, 
	noticed_at DATETIME NOT NULL, 
	PRIMARY KEY (licence_id, ends_at, days_before)
);
CREATE INDEX ix_outbox_unpublished ON outbox (kind, seq) WHERE published_at IS NULL;
CREATE INDEX ix_licences_institution_id ON licences (institution_id);
CREATE INDEX ix_licences_status_ends_at ON licences (status, ends_at);
CREATE INDEX ix_seats_licence_status_seq ON seats (licence_id, status, seq);
COMMIT;
