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
CREATE TABLE applied_events (
	event_id VARCHAR(36) NOT NULL, 
	consumer VARCHAR(120) NOT NULL, 
	applied_at DATETIME NOT NULL, 
	PRIMARY KEY (event_id, consumer)
);
CREATE TABLE accounts (
	id VARCHAR(36) NOT NULL, 
	email VARCHAR(254) NOT NULL, 
	password_hash VARCHAR(255) NOT NULL, 
	role VARCHAR(24) NOT NULL, 
	institution_id VARCHAR(36), 
	created_at DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	UNIQUE (email)
);
INSERT INTO accounts VALUES('1438f9c8-b913-5a57-975c-6938bd6623d1','ops@continuity.test','$argon2id$v=19$m=65536,t=3,p=4$rosOJy8GuY0xJWAwA2OecQ$dQUpp91C9ydClPtdv37ZSR68WPa4FztWwL+rllbNHr8','operator',NULL,'2026-12-06 20:55:15.530595');
INSERT INTO accounts VALUES('01a24d23-bb46-7000-a157-f0485a38100f','direction@lycee-ancien.fr','$argon2id$v=19$m=65536,t=3,p=4$ObOZs2apgT6HuU7unlyV+Q$Be14LDcPgrRuqMW+9PLg3/SCuvKHoDSQ2UJJLYnrcaI','institution_admin','01a24d23-bb0f-7000-8589-957acd5647ba','2026-12-06 20:55:17.370479');
INSERT INTO accounts VALUES('01a24d23-bc81-7000-8f2a-c8e373f0ca9f','eleve0@lycee-ancien.fr','$argon2id$v=19$m=65536,t=3,p=4$Lvd+t3p8R12DNFkwnAQiEg$D82ek+PyTKXTBSbk9+KutoX3rNahJBFUZVWRlfOKYaM','learner','01a24d23-bb0f-7000-8589-957acd5647ba','2026-12-06 20:55:17.530421');
INSERT INTO accounts VALUES('01a24d23-bc81-7001-b2ff-c5471f1b969f','eleve1@lycee-ancien.fr','$argon2id$v=19$m=65536,t=3,p=4$6Yy8+1qSWgA1etBi4dBVcg$vgl0VeVXkT3sc/TjwT5HrIMs2W0JTROR5FJIZEUk8oA','learner','01a24d23-bb0f-7000-8589-957acd5647ba','2026-12-06 20:55:17.673506');
INSERT INTO accounts VALUES('01a24d23-bc81-7002-a0bb-dd5c1c60f732','eleve2@lycee-ancien.fr','$argon2id$v=19$m=65536,t=3,p=4$boWRfChkrTorabpeg6wPVw$dEqRAoE9CJCI+wuQ8/bhyO9ADe8HlVZU2wMCHmEDd90','learner','01a24d23-bb0f-7000-8589-957acd5647ba','2026-12-06 20:55:17.801279');
CREATE TABLE login_failures (
	email VARCHAR(254) NOT NULL, 
	failures INTEGER NOT NULL, 
	locked_until DATETIME, 
	PRIMARY KEY (email)
);
INSERT INTO login_failures VALUES('direction@lycee-ancien.fr',1,NULL);
CREATE TABLE partners (
	id VARCHAR(36) NOT NULL, 
	name VARCHAR(200) NOT NULL, 
	contact_email VARCHAR(254) NOT NULL, 
	key_prefix VARCHAR(16) NOT NULL, 
	key_hash VARCHAR(64) NOT NULL, 
	event_types JSON NOT NULL, 
	institution_ids JSON, 
	created_at DATETIME NOT NULL, 
	revoked_at DATETIME, 
	PRIMARY KEY (id), 
	UNIQUE (key_prefix)
);
CREATE TABLE event_log (
	event_id VARCHAR(36) NOT NULL, 
	event_type VARCHAR(120) NOT NULL, 
	institution_id VARCHAR(36), 
	occurred_at DATETIME NOT NULL, 
	body JSON NOT NULL, 
	PRIMARY KEY (event_id)
);
CREATE TABLE webhooks (
	id VARCHAR(36) NOT NULL, 
	partner_id VARCHAR(36) NOT NULL, 
	url VARCHAR(2000) NOT NULL, 
	event_types JSON NOT NULL, 
	secret VARCHAR(100) NOT NULL, 
	previous_secret VARCHAR(100), 
	previous_secret_until DATETIME, 
	status VARCHAR(16) NOT NULL, 
	failing_since DATETIME, 
	disabled_at DATETIME, 
	created_at DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(partner_id) REFERENCES partners (id)
);
CREATE TABLE webhook_deliveries (
	id VARCHAR(36) NOT NULL, 
	webhook_id VARCHAR(36) NOT NULL, 
	event_id VARCHAR(36) NOT NULL, 
	event_type VARCHAR(120) NOT NULL, 
	replay INTEGER NOT NULL, 
	status VARCHAR(16) NOT NULL, 
	attempts INTEGER NOT NULL, 
	last_status_code INTEGER, 
	last_error VARCHAR(500), 
	created_at DATETIME NOT NULL, 
	next_attempt_at DATETIME, 
	delivered_at DATETIME, 
	PRIMARY KEY (id), 
	UNIQUE (webhook_id, event_id, replay), 
	FOREIGN KEY(webhook_id) REFERENCES webhooks (id)
);
CREATE INDEX ix_outbox_unpublished ON outbox (kind, seq) WHERE published_at IS NULL;
CREATE INDEX ix_event_log_occurred_at ON event_log (occurred_at);
CREATE INDEX ix_webhooks_partner_id ON webhooks (partner_id);
CREATE INDEX ix_deliveries_due ON webhook_deliveries (status, next_attempt_at);
CREATE INDEX ix_webhook_deliveries_webhook_id ON webhook_deliveries (webhook_id);
COMMIT;
