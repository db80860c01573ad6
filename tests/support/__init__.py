"""What tests share: a test module imports helpers from here (and takes fixtures from
the conftest files), never from another test module or from a conftest.

- `waiting.wait_for` — the one wait for something done in the background;
- `db` — sessions on a schema, `count` of a model's rows, PostgreSQL databases made
  for a test and dropped (`PG_ADMIN`, `drop_databases`);
- `outbox.table_outbox` — the real outbox's writes for `worker_factory` tests;
- `refusals.code_of` — the code of the domain error a call raises;
- `payloads` — onboarding's event payloads for tests that publish them;
- `broker`, `relay`, `receiver`, `smtp`, `tcp_proxy`, `rabbit_node`, `ports`,
  `tls` — the broker, mail, HTTP and network pieces tests run against;
- `platform`, `journey` (`problem` for problem+json answers) — the real processes
  and the steps through the gateway that end-to-end tests share;
- `tracking_data` — a large institution in tracking's tables, by SQL;
- `release_80c74a8/` — a released schema, for the upgrade tests.
"""
