#include "store/migrations.h"

#include <chrono>
#include <string>

namespace rapport::store {
namespace {

// ---- SQLite ---------------------------------------------------------------------------------------

constexpr const char* kSqliteV1 = R"sql(
CREATE TABLE workspace (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  name TEXT NOT NULL DEFAULT '',
  time_zone TEXT NOT NULL DEFAULT 'UTC',
  currency TEXT NOT NULL DEFAULT 'USD'
);
INSERT INTO workspace (id) VALUES (1);

CREATE TABLE users (
  id INTEGER PRIMARY KEY,
  email TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  role TEXT NOT NULL,
  time_zone TEXT NOT NULL,
  working_hours TEXT NOT NULL DEFAULT '',
  password_hash TEXT NOT NULL DEFAULT '',
  active INTEGER NOT NULL DEFAULT 1,
  created_at BIGINT NOT NULL
);
CREATE INDEX users_by_name ON users (name, id);

CREATE TABLE api_tokens (
  token_hash TEXT PRIMARY KEY,
  user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  label TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX api_tokens_by_user ON api_tokens (user_id);

CREATE TABLE web_sessions (
  id_hash TEXT PRIMARY KEY,
  user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  csrf_token TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL
);
CREATE INDEX web_sessions_by_expiry ON web_sessions (expires_at);
CREATE INDEX web_sessions_by_user ON web_sessions (user_id);

CREATE TABLE clients (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  email_domains TEXT NOT NULL DEFAULT '',
  notes TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX clients_by_name ON clients (name, id);

CREATE TABLE client_email_domains (
  domain TEXT PRIMARY KEY,
  client_id BIGINT NOT NULL REFERENCES clients (id) ON DELETE CASCADE
);
CREATE INDEX client_email_domains_by_client ON client_email_domains (client_id);

CREATE TABLE contacts (
  id INTEGER PRIMARY KEY,
  client_id BIGINT REFERENCES clients (id),
  name TEXT NOT NULL,
  emails TEXT NOT NULL DEFAULT '',
  phones TEXT NOT NULL DEFAULT '',
  social_ids TEXT NOT NULL DEFAULT '',
  search_text TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX contacts_by_name ON contacts (name, id);
CREATE INDEX contacts_by_client ON contacts (client_id, name, id);

CREATE TABLE contact_identifiers (
  kind TEXT NOT NULL CHECK (kind IN ('email', 'phone', 'social')),
  value TEXT NOT NULL,
  contact_id BIGINT NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
  PRIMARY KEY (kind, value)
);
CREATE INDEX contact_identifiers_by_contact ON contact_identifiers (contact_id);

CREATE TABLE tickets (
  id INTEGER PRIMARY KEY,
  number BIGINT NOT NULL UNIQUE,
  subject TEXT NOT NULL,
  client_id BIGINT REFERENCES clients (id),
  contact_id BIGINT NOT NULL REFERENCES contacts (id),
  channel TEXT NOT NULL,
  status TEXT NOT NULL,
  priority TEXT NOT NULL,
  assignee_id BIGINT REFERENCES users (id),
  tags TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  last_message_at BIGINT NOT NULL,
  resolved_at BIGINT,
  closed_at BIGINT,
  search_seq BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX tickets_by_activity ON tickets (last_message_at, id);
CREATE INDEX tickets_by_created ON tickets (created_at, id);
CREATE INDEX tickets_by_status ON tickets (status, last_message_at, id);
CREATE INDEX tickets_by_assignee ON tickets (assignee_id, last_message_at, id);
CREATE INDEX tickets_by_client ON tickets (client_id, last_message_at, id);
CREATE INDEX tickets_by_contact ON tickets (contact_id, last_message_at, id);

CREATE TABLE ticket_tags (
  tag TEXT NOT NULL,
  ticket_id BIGINT NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
  PRIMARY KEY (tag, ticket_id)
);
CREATE INDEX ticket_tags_by_ticket ON ticket_tags (ticket_id);

CREATE TABLE messages (
  id INTEGER PRIMARY KEY,
  ticket_id BIGINT NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
  kind TEXT NOT NULL,
  channel TEXT NOT NULL,
  author_user_id BIGINT REFERENCES users (id),
  author_contact_id BIGINT REFERENCES contacts (id),
  body_text TEXT NOT NULL,
  body_html TEXT NOT NULL,
  external_id TEXT UNIQUE,
  created_at BIGINT NOT NULL
);
CREATE INDEX messages_by_ticket ON messages (ticket_id, created_at, id);

CREATE TABLE audit (
  id INTEGER PRIMARY KEY,
  actor_id BIGINT,
  entity TEXT NOT NULL,
  entity_id BIGINT NOT NULL,
  action TEXT NOT NULL,
  detail TEXT NOT NULL,
  at BIGINT NOT NULL
);
CREATE INDEX audit_by_entity ON audit (entity, entity_id, at, id);

CREATE TABLE idempotency (
  user_id BIGINT NOT NULL,
  key TEXT NOT NULL,
  request_fingerprint TEXT NOT NULL,
  http_status INTEGER NOT NULL,
  response_body TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (user_id, key)
);
CREATE INDEX idempotency_by_created ON idempotency (created_at);
)sql";

// Search: see search.h. Contentless FTS5 tables (the text already lives in tickets, messages and
// contacts); deleting from one needs the old text, which the update triggers have.
constexpr const char* kSqliteV2 = R"sql(
CREATE VIRTUAL TABLE ticket_text USING fts5 (body, content = '', tokenize = 'unicode61 remove_diacritics 2');
CREATE VIRTUAL TABLE contact_text USING fts5 (body, content = '', tokenize = 'unicode61 remove_diacritics 2');

CREATE TRIGGER tickets_text_insert AFTER INSERT ON tickets BEGIN
  INSERT INTO ticket_text (rowid, body) VALUES (new.id * 1048576, new.subject);
END;
CREATE TRIGGER tickets_text_update AFTER UPDATE OF subject ON tickets WHEN old.subject <> new.subject BEGIN
  INSERT INTO ticket_text (ticket_text, rowid, body) VALUES ('delete', old.id * 1048576, old.subject);
  INSERT INTO ticket_text (rowid, body) VALUES (new.id * 1048576, new.subject);
END;
-- Message n of a ticket is indexed under ticket_id * 2^20 + n; past 2^20 - 1 messages a ticket's
-- further messages are stored but not indexed.
CREATE TRIGGER messages_text_insert AFTER INSERT ON messages BEGIN
  UPDATE tickets SET search_seq = search_seq + 1 WHERE id = new.ticket_id;
  INSERT INTO ticket_text (rowid, body)
    SELECT new.ticket_id * 1048576 + search_seq, new.body_text FROM tickets
    WHERE id = new.ticket_id AND search_seq < 1048576;
END;
CREATE TRIGGER contacts_text_insert AFTER INSERT ON contacts BEGIN
  INSERT INTO contact_text (rowid, body) VALUES (new.id, new.search_text);
END;
CREATE TRIGGER contacts_text_update AFTER UPDATE OF search_text ON contacts
  WHEN old.search_text <> new.search_text BEGIN
  INSERT INTO contact_text (contact_text, rowid, body) VALUES ('delete', old.id, old.search_text);
  INSERT INTO contact_text (rowid, body) VALUES (new.id, new.search_text);
END;
)sql";

// Email: threading headers, blobs and attachments, participants and links, mailboxes, the outbox.
constexpr const char* kSqliteV3 = R"sql(
CREATE TABLE blobs (
  sha256 TEXT PRIMARY KEY,
  size BIGINT NOT NULL,
  data BLOB NOT NULL
);
CREATE TABLE mailboxes (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  address TEXT NOT NULL UNIQUE,
  display_name TEXT NOT NULL,
  is_default INTEGER NOT NULL DEFAULT 0,
  fetch_enabled INTEGER NOT NULL DEFAULT 0,
  imap_host TEXT NOT NULL, imap_port INTEGER NOT NULL, imap_security TEXT NOT NULL,
  imap_user TEXT NOT NULL, imap_password TEXT NOT NULL, imap_folder TEXT NOT NULL,
  imap_processed_folder TEXT NOT NULL, imap_ca_file TEXT NOT NULL,
  smtp_host TEXT NOT NULL, smtp_port INTEGER NOT NULL, smtp_security TEXT NOT NULL,
  smtp_user TEXT NOT NULL, smtp_password TEXT NOT NULL, smtp_ca_file TEXT NOT NULL,
  uid_validity BIGINT NOT NULL DEFAULT 0,
  last_uid BIGINT NOT NULL DEFAULT 0,
  last_error TEXT NOT NULL DEFAULT '',
  last_checked_at BIGINT
);
CREATE TABLE email_messages (
  message_id BIGINT PRIMARY KEY REFERENCES messages (id) ON DELETE CASCADE,
  ticket_id BIGINT NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
  rfc_message_id TEXT NOT NULL,
  in_reply_to TEXT NOT NULL,
  refs TEXT NOT NULL,
  thread_index TEXT NOT NULL,
  thread_index_root TEXT NOT NULL,
  from_name TEXT NOT NULL,
  from_address TEXT NOT NULL,
  to_list TEXT NOT NULL,
  cc_list TEXT NOT NULL,
  subject TEXT NOT NULL,
  mailbox_id BIGINT REFERENCES mailboxes (id) ON DELETE SET NULL,
  auto_reply TEXT NOT NULL,
  raw_sha256 TEXT NOT NULL,
  warnings TEXT NOT NULL
);
CREATE INDEX email_messages_by_ticket ON email_messages (ticket_id, message_id);
CREATE INDEX email_messages_by_thread_index ON email_messages (thread_index_root, message_id)
  WHERE thread_index_root <> '';
CREATE TABLE attachments (
  id INTEGER PRIMARY KEY,
  message_id BIGINT NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
  ticket_id BIGINT NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
  filename TEXT NOT NULL,
  content_type TEXT NOT NULL,
  content_id TEXT NOT NULL,
  is_inline INTEGER NOT NULL,
  size BIGINT NOT NULL,
  sha256 TEXT NOT NULL,
  omitted_reason TEXT NOT NULL
);
CREATE INDEX attachments_by_ticket ON attachments (ticket_id, message_id, id);
CREATE TABLE ticket_participants (
  ticket_id BIGINT NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
  contact_id BIGINT NOT NULL REFERENCES contacts (id),
  PRIMARY KEY (ticket_id, contact_id)
);
CREATE TABLE ticket_links (
  ticket_id BIGINT NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
  linked_ticket_id BIGINT NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
  reason TEXT NOT NULL,
  PRIMARY KEY (ticket_id, linked_ticket_id)
);
CREATE INDEX ticket_links_by_linked ON ticket_links (linked_ticket_id);
CREATE TABLE outbox (
  id INTEGER PRIMARY KEY,
  ticket_id BIGINT REFERENCES tickets (id) ON DELETE SET NULL,
  message_id BIGINT REFERENCES messages (id) ON DELETE SET NULL,
  mailbox_id BIGINT REFERENCES mailboxes (id) ON DELETE SET NULL,
  purpose TEXT NOT NULL,
  rfc_message_id TEXT NOT NULL UNIQUE,
  in_reply_to TEXT NOT NULL,
  refs TEXT NOT NULL,
  thread_index TEXT NOT NULL,
  thread_topic TEXT NOT NULL,
  from_name TEXT NOT NULL,
  from_address TEXT NOT NULL,
  reply_to_list TEXT NOT NULL,
  to_list TEXT NOT NULL,
  cc_list TEXT NOT NULL,
  subject TEXT NOT NULL,
  mail_date BIGINT NOT NULL,
  markdown TEXT NOT NULL,
  auto_submitted INTEGER NOT NULL,
  attachment_ids TEXT NOT NULL,
  envelope_from TEXT NOT NULL,
  recipients TEXT NOT NULL,
  first_recipient TEXT NOT NULL,
  state TEXT NOT NULL,
  attempts INTEGER NOT NULL,
  next_attempt_at BIGINT NOT NULL,
  lease_until BIGINT,
  last_code INTEGER NOT NULL,
  last_reply TEXT NOT NULL,
  sent_at BIGINT,
  created_at BIGINT NOT NULL
);
CREATE INDEX outbox_due ON outbox (state, next_attempt_at, id);
CREATE INDEX outbox_by_ticket ON outbox (ticket_id, id);
CREATE INDEX outbox_automatic_by_recipient ON outbox (first_recipient, created_at) WHERE purpose = 'automatic';
)sql";

constexpr const char* kSqliteV4 = R"sql(
-- The workspace's business calendar: weekly hours (same encoding as users.working_hours) and
-- holidays. The zone is workspace.time_zone.
ALTER TABLE workspace ADD COLUMN business_hours TEXT NOT NULL DEFAULT '';
CREATE TABLE holidays (
  id INTEGER PRIMARY KEY,
  year INTEGER NOT NULL DEFAULT 0,
  month INTEGER NOT NULL,
  day INTEGER NOT NULL,
  name TEXT NOT NULL
);
CREATE UNIQUE INDEX holidays_by_date ON holidays (year, month, day);

-- Response policies per client plan ('' = the default policy), targets per priority in minutes
-- of business time (NULL = no promise of that kind).
CREATE TABLE sla_policies (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  plan TEXT NOT NULL UNIQUE,
  warning_percent INTEGER NOT NULL DEFAULT 75
);
CREATE TABLE sla_targets (
  policy_id BIGINT NOT NULL REFERENCES sla_policies (id) ON DELETE CASCADE,
  priority TEXT NOT NULL,
  first_response_minutes INTEGER,
  next_response_minutes INTEGER,
  resolution_minutes INTEGER,
  PRIMARY KEY (policy_id, priority)
);
ALTER TABLE clients ADD COLUMN plan TEXT NOT NULL DEFAULT '';
-- On call: notices reach this person at any hour, not only inside their working hours.
ALTER TABLE users ADD COLUMN on_call INTEGER NOT NULL DEFAULT 0;

-- What the promise clocks are computed from (core/sla_clock.h): client messages, public replies
-- and status changes, in order. Backfilled below from the messages and current statuses.
CREATE TABLE ticket_events (
  id INTEGER PRIMARY KEY,
  ticket_id BIGINT NOT NULL REFERENCES tickets (id),
  at BIGINT NOT NULL,
  kind TEXT NOT NULL,
  status TEXT
);
CREATE INDEX ticket_events_by_ticket ON ticket_events (ticket_id, at, id);
INSERT INTO ticket_events (ticket_id, at, kind, status)
  SELECT ticket_id, created_at, CASE kind WHEN 'inbound' THEN 'client_message' ELSE 'agent_reply' END, NULL
  FROM messages WHERE kind IN ('inbound', 'reply') ORDER BY ticket_id, created_at, id;
INSERT INTO ticket_events (ticket_id, at, kind, status)
  SELECT id, updated_at, 'status', status FROM tickets WHERE status NOT IN ('new', 'open');

-- The clocks' results, kept on the ticket for listing and sorting; recomputed from ticket_events
-- whenever a ticket, its policy or the calendar changes. sla_due_at is the earliest due time of
-- the running clocks (the inbox's sort key), sla_warning_at the earliest warning time.
ALTER TABLE tickets ADD COLUMN first_response_due_at BIGINT;
ALTER TABLE tickets ADD COLUMN next_response_due_at BIGINT;
ALTER TABLE tickets ADD COLUMN resolution_due_at BIGINT;
ALTER TABLE tickets ADD COLUMN sla_state TEXT NOT NULL DEFAULT 'none';
ALTER TABLE tickets ADD COLUMN sla_warning_at BIGINT;
ALTER TABLE tickets ADD COLUMN sla_due_at BIGINT;
CREATE INDEX tickets_by_due ON tickets (sla_due_at, id);
)sql";

constexpr const char* kSqliteV5 = R"sql(
-- Follow-ups. Notices: in-app (and emailed) messages to one person; (user_id, dedup_key) is unique
-- so that a worker that raises one again after a crash changes nothing.
CREATE TABLE notices (
  id INTEGER PRIMARY KEY,
  user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  kind TEXT NOT NULL,
  ticket_id BIGINT REFERENCES tickets (id) ON DELETE CASCADE,
  client_id BIGINT REFERENCES clients (id) ON DELETE CASCADE,
  title TEXT NOT NULL,
  body TEXT NOT NULL,
  dedup_key TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  deliver_at BIGINT NOT NULL,
  emailed_at BIGINT,
  read_at BIGINT,
  UNIQUE (user_id, dedup_key)
);
CREATE INDEX notices_by_user ON notices (user_id, deliver_at, id);

-- Reminders on a ticket or a client (or neither) for one person.
CREATE TABLE reminders (
  id INTEGER PRIMARY KEY,
  user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  ticket_id BIGINT REFERENCES tickets (id) ON DELETE CASCADE,
  client_id BIGINT REFERENCES clients (id) ON DELETE CASCADE,
  title TEXT NOT NULL,
  note TEXT NOT NULL DEFAULT '',
  due_at BIGINT NOT NULL,
  done_at BIGINT,
  created_by BIGINT NOT NULL REFERENCES users (id),
  created_at BIGINT NOT NULL,
  notified_at BIGINT
);
CREATE INDEX reminders_by_user ON reminders (user_id, due_at, id);
CREATE INDEX reminders_due ON reminders (due_at, id) WHERE done_at IS NULL AND notified_at IS NULL;

-- Meetings with clients; a client's annual review is its one yearly meeting.
CREATE TABLE meetings (
  id INTEGER PRIMARY KEY,
  client_id BIGINT NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
  title TEXT NOT NULL,
  starts_at BIGINT NOT NULL,
  duration_minutes INTEGER NOT NULL,
  recurrence TEXT NOT NULL DEFAULT 'none',
  owner_user_id BIGINT NOT NULL REFERENCES users (id),
  created_at BIGINT NOT NULL
);
CREATE INDEX meetings_by_client ON meetings (client_id, starts_at, id);
CREATE INDEX meetings_by_owner ON meetings (owner_user_id, starts_at, id);
CREATE UNIQUE INDEX meetings_one_review ON meetings (client_id) WHERE recurrence = 'yearly';

-- The secret of each person's calendar feed URL, as a SHA-256 hex hash (one per person).
CREATE TABLE feed_tokens (
  user_id BIGINT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
  token_hash TEXT NOT NULL UNIQUE,
  created_at BIGINT NOT NULL
);
)sql";

constexpr const char* kSqliteV6 = R"sql(
-- Automatic follow-ups (issue 4): acknowledgements, nudges, promise alerts, review packs.
-- Workspace settings: acknowledge new email requests; nudge a client who owes an answer after
-- nudge_after_days business days (0 = never), closing the ticket after nudge_limit unanswered
-- nudges; prepare a client's review pack review_pack_days before the annual review.
ALTER TABLE workspace ADD COLUMN acknowledge_requests INTEGER NOT NULL DEFAULT 1;
ALTER TABLE workspace ADD COLUMN nudge_after_days INTEGER NOT NULL DEFAULT 3;
ALTER TABLE workspace ADD COLUMN nudge_limit INTEGER NOT NULL DEFAULT 2;
ALTER TABLE workspace ADD COLUMN review_pack_days INTEGER NOT NULL DEFAULT 14;
-- The zone the client's people read times in ('' = the workspace's), for acknowledgements.
ALTER TABLE clients ADD COLUMN time_zone TEXT NOT NULL DEFAULT '';

-- Promise alerts raised: once per ticket, level (warning, breach) and due time. A due time that
-- moves (a policy change, a pause) is a new promise and may be alerted again.
CREATE TABLE sla_alerts (
  ticket_id BIGINT NOT NULL REFERENCES tickets (id),
  level TEXT NOT NULL,
  due_at BIGINT NOT NULL,
  raised_at BIGINT NOT NULL,
  PRIMARY KEY (ticket_id, level, due_at)
);
CREATE INDEX tickets_by_warning ON tickets (sla_warning_at, id);

-- Nudges sent to a client who owes an answer, numbered within one waiting period (the instant the
-- ticket started waiting), so that a restart never sends one twice.
CREATE TABLE nudges (
  ticket_id BIGINT NOT NULL REFERENCES tickets (id),
  waiting_since BIGINT NOT NULL,
  number INTEGER NOT NULL,
  sent_at BIGINT NOT NULL,
  PRIMARY KEY (ticket_id, waiting_since, number)
);

-- Review packs prepared before a client's annual review, one per meeting occurrence.
CREATE TABLE review_packs (
  id INTEGER PRIMARY KEY,
  client_id BIGINT NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
  meeting_id BIGINT NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
  meeting_at BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  body TEXT NOT NULL,
  UNIQUE (meeting_id, meeting_at)
);
CREATE INDEX review_packs_by_client ON review_packs (client_id, meeting_at, id);
)sql";

constexpr const char* kSqliteV7 = R"sql(
-- Nudges count from when they were switched on: waiting that began before (history from before the
-- upgrade, an import, the demo) is not nudged at once. Desk::UpdateWorkspace moves it when
-- nudge_after_days goes from 0 to more.
ALTER TABLE workspace ADD COLUMN nudges_since BIGINT NOT NULL DEFAULT 0;
UPDATE workspace SET nudges_since = CAST(strftime('%s', 'now') AS INTEGER);
)sql";

// Search rows are written at commit (search.h, FlushSqliteSearchQueue). FTS5 writes its pending
// index data out as a new segment at every statement savepoint, and SQLite opens one for every
// statement that fires a trigger: with the index rows written by the triggers themselves, a
// transaction that stored 500 messages wrote 500 one-message segments, which FTS5 then kept merging
// (a quarter of `rapport import`'s storing thread). The triggers now queue the rows in a plain
// table; the commit moves them into the FTS5 tables in rowid order, each doc's rows in seq order (a
// contentless table's 'delete' must meet the text it indexed), so a transaction writes one segment
// per table.
constexpr const char* kSqliteV8 = R"sql(
CREATE TABLE search_queue (
  seq INTEGER PRIMARY KEY,
  fts TEXT NOT NULL,   -- 'ticket_text' or 'contact_text'
  command TEXT,        -- NULL: index body under doc; 'delete': take that text of doc out
  doc INTEGER NOT NULL,
  body TEXT NOT NULL
);

DROP TRIGGER tickets_text_insert;
DROP TRIGGER tickets_text_update;
DROP TRIGGER messages_text_insert;
DROP TRIGGER contacts_text_insert;
DROP TRIGGER contacts_text_update;

CREATE TRIGGER tickets_text_insert AFTER INSERT ON tickets BEGIN
  INSERT INTO search_queue (fts, doc, body) VALUES ('ticket_text', new.id * 1048576, new.subject);
END;
CREATE TRIGGER tickets_text_update AFTER UPDATE OF subject ON tickets WHEN old.subject <> new.subject BEGIN
  INSERT INTO search_queue (fts, command, doc, body) VALUES ('ticket_text', 'delete', old.id * 1048576, old.subject);
  INSERT INTO search_queue (fts, doc, body) VALUES ('ticket_text', new.id * 1048576, new.subject);
END;
-- As in version 2: message n of a ticket under ticket_id * 2^20 + n, none past 2^20 - 1.
CREATE TRIGGER messages_text_insert AFTER INSERT ON messages BEGIN
  UPDATE tickets SET search_seq = search_seq + 1 WHERE id = new.ticket_id;
  INSERT INTO search_queue (fts, doc, body)
    SELECT 'ticket_text', new.ticket_id * 1048576 + search_seq, new.body_text FROM tickets
    WHERE id = new.ticket_id AND search_seq < 1048576;
END;
CREATE TRIGGER contacts_text_insert AFTER INSERT ON contacts BEGIN
  INSERT INTO search_queue (fts, doc, body) VALUES ('contact_text', new.id, new.search_text);
END;
CREATE TRIGGER contacts_text_update AFTER UPDATE OF search_text ON contacts
  WHEN old.search_text <> new.search_text BEGIN
  INSERT INTO search_queue (fts, command, doc, body) VALUES ('contact_text', 'delete', old.id, old.search_text);
  INSERT INTO search_queue (fts, doc, body) VALUES ('contact_text', new.id, new.search_text);
END;
)sql";

constexpr Migration kSqliteMigrations[] = {
    {1, "records: workspace, users, credentials, clients, contacts, tickets, messages, audit", kSqliteV1},
    {2, "full-text search (FTS5)", kSqliteV2},
    {3, "email: threading headers, attachments, participants, links, mailboxes, outbox", kSqliteV3},
    {4, "promises: business calendar, holidays, response policies, ticket events and clocks", kSqliteV4},
    {5, "follow-ups: notices, reminders, client meetings, calendar feed tokens", kSqliteV5},
    {6, "automatic follow-ups: acknowledgement and nudge settings, client zone, promise alerts, nudges, review packs", kSqliteV6},
    {7, "nudges count from when they were switched on (workspace.nudges_since)", kSqliteV7},
    {8, "search rows are written at commit, one FTS5 segment per transaction (search_queue)", kSqliteV8},
};

// ---- PostgreSQL -----------------------------------------------------------------------------------

constexpr const char* kPostgresV1 = R"sql(
CREATE TABLE workspace (
  id BIGINT PRIMARY KEY CHECK (id = 1),
  name TEXT NOT NULL DEFAULT '',
  time_zone TEXT NOT NULL DEFAULT 'UTC',
  currency TEXT NOT NULL DEFAULT 'USD'
);
INSERT INTO workspace (id) VALUES (1);

CREATE TABLE users (
  id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  email TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  role TEXT NOT NULL,
  time_zone TEXT NOT NULL,
  working_hours TEXT NOT NULL DEFAULT '',
  password_hash TEXT NOT NULL DEFAULT '',
  active INTEGER NOT NULL DEFAULT 1,
  created_at BIGINT NOT NULL
);
CREATE INDEX users_by_name ON users (name, id);

CREATE TABLE api_tokens (
  token_hash TEXT PRIMARY KEY,
  user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  label TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX api_tokens_by_user ON api_tokens (user_id);

CREATE TABLE web_sessions (
  id_hash TEXT PRIMARY KEY,
  user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  csrf_token TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL
);
CREATE INDEX web_sessions_by_expiry ON web_sessions (expires_at);
CREATE INDEX web_sessions_by_user ON web_sessions (user_id);

CREATE TABLE clients (
  id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  name TEXT NOT NULL,
  email_domains TEXT NOT NULL DEFAULT '',
  notes TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX clients_by_name ON clients (name, id);

CREATE TABLE client_email_domains (
  domain TEXT PRIMARY KEY,
  client_id BIGINT NOT NULL REFERENCES clients (id) ON DELETE CASCADE
);
CREATE INDEX client_email_domains_by_client ON client_email_domains (client_id);

CREATE TABLE contacts (
  id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  client_id BIGINT REFERENCES clients (id),
  name TEXT NOT NULL,
  emails TEXT NOT NULL DEFAULT '',
  phones TEXT NOT NULL DEFAULT '',
  social_ids TEXT NOT NULL DEFAULT '',
  search_text TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX contacts_by_name ON contacts (name, id);
CREATE INDEX contacts_by_client ON contacts (client_id, name, id);

CREATE TABLE contact_identifiers (
  kind TEXT NOT NULL CHECK (kind IN ('email', 'phone', 'social')),
  value TEXT NOT NULL,
  contact_id BIGINT NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
  PRIMARY KEY (kind, value)
);
CREATE INDEX contact_identifiers_by_contact ON contact_identifiers (contact_id);

CREATE SEQUENCE ticket_numbers AS BIGINT;
CREATE TABLE tickets (
  id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  number BIGINT NOT NULL UNIQUE,
  subject TEXT NOT NULL,
  client_id BIGINT REFERENCES clients (id),
  contact_id BIGINT NOT NULL REFERENCES contacts (id),
  channel TEXT NOT NULL,
  status TEXT NOT NULL,
  priority TEXT NOT NULL,
  assignee_id BIGINT REFERENCES users (id),
  tags TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  last_message_at BIGINT NOT NULL,
  resolved_at BIGINT,
  closed_at BIGINT,
  search_seq BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX tickets_by_activity ON tickets (last_message_at, id);
CREATE INDEX tickets_by_created ON tickets (created_at, id);
CREATE INDEX tickets_by_status ON tickets (status, last_message_at, id);
CREATE INDEX tickets_by_assignee ON tickets (assignee_id, last_message_at, id);
CREATE INDEX tickets_by_client ON tickets (client_id, last_message_at, id);
CREATE INDEX tickets_by_contact ON tickets (contact_id, last_message_at, id);

CREATE TABLE ticket_tags (
  tag TEXT NOT NULL,
  ticket_id BIGINT NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
  PRIMARY KEY (tag, ticket_id)
);
CREATE INDEX ticket_tags_by_ticket ON ticket_tags (ticket_id);

CREATE TABLE messages (
  id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  ticket_id BIGINT NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
  kind TEXT NOT NULL,
  channel TEXT NOT NULL,
  author_user_id BIGINT REFERENCES users (id),
  author_contact_id BIGINT REFERENCES contacts (id),
  body_text TEXT NOT NULL,
  body_html TEXT NOT NULL,
  external_id TEXT UNIQUE,
  created_at BIGINT NOT NULL
);
CREATE INDEX messages_by_ticket ON messages (ticket_id, created_at, id);

CREATE TABLE audit (
  id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  actor_id BIGINT,
  entity TEXT NOT NULL,
  entity_id BIGINT NOT NULL,
  action TEXT NOT NULL,
  detail TEXT NOT NULL,
  at BIGINT NOT NULL
);
CREATE INDEX audit_by_entity ON audit (entity, entity_id, at, id);

CREATE TABLE idempotency (
  user_id BIGINT NOT NULL,
  key TEXT NOT NULL,
  request_fingerprint TEXT NOT NULL,
  http_status INTEGER NOT NULL,
  response_body TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (user_id, key)
);
CREATE INDEX idempotency_by_created ON idempotency (created_at);
)sql";

// Search: see search.h. The text searched is capped (a tsvector holds at most 1 MB) so that a huge
// message is stored rather than refused.
constexpr const char* kPostgresV2 = R"sql(
ALTER TABLE tickets ADD COLUMN subject_tsv tsvector
  GENERATED ALWAYS AS (to_tsvector('simple', left(subject, 10000))) STORED;
ALTER TABLE messages ADD COLUMN body_tsv tsvector
  GENERATED ALWAYS AS (to_tsvector('simple', left(body_text, 100000))) STORED;
ALTER TABLE contacts ADD COLUMN search_tsv tsvector
  GENERATED ALWAYS AS (to_tsvector('simple', left(search_text, 10000))) STORED;
CREATE INDEX tickets_subject_search ON tickets USING gin (subject_tsv);
CREATE INDEX messages_body_search ON messages USING gin (body_tsv);
CREATE INDEX contacts_search ON contacts USING gin (search_tsv);
)sql";

// Email: threading headers, blobs and attachments, participants and links, mailboxes, the outbox.
constexpr const char* kPostgresV3 = R"sql(
CREATE TABLE blobs (
  sha256 TEXT PRIMARY KEY,
  size BIGINT NOT NULL,
  data BYTEA NOT NULL
);
CREATE TABLE mailboxes (
  id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  name TEXT NOT NULL,
  address TEXT NOT NULL UNIQUE,
  display_name TEXT NOT NULL,
  is_default INTEGER NOT NULL DEFAULT 0,
  fetch_enabled INTEGER NOT NULL DEFAULT 0,
  imap_host TEXT NOT NULL, imap_port INTEGER NOT NULL, imap_security TEXT NOT NULL,
  imap_user TEXT NOT NULL, imap_password TEXT NOT NULL, imap_folder TEXT NOT NULL,
  imap_processed_folder TEXT NOT NULL, imap_ca_file TEXT NOT NULL,
  smtp_host TEXT NOT NULL, smtp_port INTEGER NOT NULL, smtp_security TEXT NOT NULL,
  smtp_user TEXT NOT NULL, smtp_password TEXT NOT NULL, smtp_ca_file TEXT NOT NULL,
  uid_validity BIGINT NOT NULL DEFAULT 0,
  last_uid BIGINT NOT NULL DEFAULT 0,
  last_error TEXT NOT NULL DEFAULT '',
  last_checked_at BIGINT
);
CREATE TABLE email_messages (
  message_id BIGINT PRIMARY KEY REFERENCES messages (id) ON DELETE CASCADE,
  ticket_id BIGINT NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
  rfc_message_id TEXT NOT NULL,
  in_reply_to TEXT NOT NULL,
  refs TEXT NOT NULL,
  thread_index TEXT NOT NULL,
  thread_index_root TEXT NOT NULL,
  from_name TEXT NOT NULL,
  from_address TEXT NOT NULL,
  to_list TEXT NOT NULL,
  cc_list TEXT NOT NULL,
  subject TEXT NOT NULL,
  mailbox_id BIGINT REFERENCES mailboxes (id) ON DELETE SET NULL,
  auto_reply TEXT NOT NULL,
  raw_sha256 TEXT NOT NULL,
  warnings TEXT NOT NULL
);
CREATE INDEX email_messages_by_ticket ON email_messages (ticket_id, message_id);
CREATE INDEX email_messages_by_thread_index ON email_messages (thread_index_root, message_id)
  WHERE thread_index_root <> '';
CREATE TABLE attachments (
  id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  message_id BIGINT NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
  ticket_id BIGINT NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
  filename TEXT NOT NULL,
  content_type TEXT NOT NULL,
  content_id TEXT NOT NULL,
  is_inline INTEGER NOT NULL,
  size BIGINT NOT NULL,
  sha256 TEXT NOT NULL,
  omitted_reason TEXT NOT NULL
);
CREATE INDEX attachments_by_ticket ON attachments (ticket_id, message_id, id);
CREATE TABLE ticket_participants (
  ticket_id BIGINT NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
  contact_id BIGINT NOT NULL REFERENCES contacts (id),
  PRIMARY KEY (ticket_id, contact_id)
);
CREATE TABLE ticket_links (
  ticket_id BIGINT NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
  linked_ticket_id BIGINT NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
  reason TEXT NOT NULL,
  PRIMARY KEY (ticket_id, linked_ticket_id)
);
CREATE INDEX ticket_links_by_linked ON ticket_links (linked_ticket_id);
CREATE TABLE outbox (
  id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  ticket_id BIGINT REFERENCES tickets (id) ON DELETE SET NULL,
  message_id BIGINT REFERENCES messages (id) ON DELETE SET NULL,
  mailbox_id BIGINT REFERENCES mailboxes (id) ON DELETE SET NULL,
  purpose TEXT NOT NULL,
  rfc_message_id TEXT NOT NULL UNIQUE,
  in_reply_to TEXT NOT NULL,
  refs TEXT NOT NULL,
  thread_index TEXT NOT NULL,
  thread_topic TEXT NOT NULL,
  from_name TEXT NOT NULL,
  from_address TEXT NOT NULL,
  reply_to_list TEXT NOT NULL,
  to_list TEXT NOT NULL,
  cc_list TEXT NOT NULL,
  subject TEXT NOT NULL,
  mail_date BIGINT NOT NULL,
  markdown TEXT NOT NULL,
  auto_submitted INTEGER NOT NULL,
  attachment_ids TEXT NOT NULL,
  envelope_from TEXT NOT NULL,
  recipients TEXT NOT NULL,
  first_recipient TEXT NOT NULL,
  state TEXT NOT NULL,
  attempts INTEGER NOT NULL,
  next_attempt_at BIGINT NOT NULL,
  lease_until BIGINT,
  last_code INTEGER NOT NULL,
  last_reply TEXT NOT NULL,
  sent_at BIGINT,
  created_at BIGINT NOT NULL
);
CREATE INDEX outbox_due ON outbox (state, next_attempt_at, id);
CREATE INDEX outbox_by_ticket ON outbox (ticket_id, id);
CREATE INDEX outbox_automatic_by_recipient ON outbox (first_recipient, created_at) WHERE purpose = 'automatic';
)sql";

constexpr const char* kPostgresV4 = R"sql(
-- The workspace's business calendar: weekly hours (same encoding as users.working_hours) and
-- holidays. The zone is workspace.time_zone.
ALTER TABLE workspace ADD COLUMN business_hours TEXT NOT NULL DEFAULT '';
CREATE TABLE holidays (
  id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  year INTEGER NOT NULL DEFAULT 0,
  month INTEGER NOT NULL,
  day INTEGER NOT NULL,
  name TEXT NOT NULL
);
CREATE UNIQUE INDEX holidays_by_date ON holidays (year, month, day);

-- Response policies per client plan ('' = the default policy), targets per priority in minutes
-- of business time (NULL = no promise of that kind).
CREATE TABLE sla_policies (
  id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  name TEXT NOT NULL,
  plan TEXT NOT NULL UNIQUE,
  warning_percent INTEGER NOT NULL DEFAULT 75
);
CREATE TABLE sla_targets (
  policy_id BIGINT NOT NULL REFERENCES sla_policies (id) ON DELETE CASCADE,
  priority TEXT NOT NULL,
  first_response_minutes INTEGER,
  next_response_minutes INTEGER,
  resolution_minutes INTEGER,
  PRIMARY KEY (policy_id, priority)
);
ALTER TABLE clients ADD COLUMN plan TEXT NOT NULL DEFAULT '';
-- On call: notices reach this person at any hour, not only inside their working hours.
ALTER TABLE users ADD COLUMN on_call INTEGER NOT NULL DEFAULT 0;

-- What the promise clocks are computed from (core/sla_clock.h): client messages, public replies
-- and status changes, in order. Backfilled below from the messages and current statuses.
CREATE TABLE ticket_events (
  id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  ticket_id BIGINT NOT NULL REFERENCES tickets (id),
  at BIGINT NOT NULL,
  kind TEXT NOT NULL,
  status TEXT
);
CREATE INDEX ticket_events_by_ticket ON ticket_events (ticket_id, at, id);
INSERT INTO ticket_events (ticket_id, at, kind, status)
  SELECT ticket_id, created_at, CASE kind WHEN 'inbound' THEN 'client_message' ELSE 'agent_reply' END, NULL
  FROM messages WHERE kind IN ('inbound', 'reply') ORDER BY ticket_id, created_at, id;
INSERT INTO ticket_events (ticket_id, at, kind, status)
  SELECT id, updated_at, 'status', status FROM tickets WHERE status NOT IN ('new', 'open');

-- The clocks' results, kept on the ticket for listing and sorting; recomputed from ticket_events
-- whenever a ticket, its policy or the calendar changes. sla_due_at is the earliest due time of
-- the running clocks (the inbox's sort key), sla_warning_at the earliest warning time.
ALTER TABLE tickets ADD COLUMN first_response_due_at BIGINT;
ALTER TABLE tickets ADD COLUMN next_response_due_at BIGINT;
ALTER TABLE tickets ADD COLUMN resolution_due_at BIGINT;
ALTER TABLE tickets ADD COLUMN sla_state TEXT NOT NULL DEFAULT 'none';
ALTER TABLE tickets ADD COLUMN sla_warning_at BIGINT;
ALTER TABLE tickets ADD COLUMN sla_due_at BIGINT;
CREATE INDEX tickets_by_due ON tickets (sla_due_at, id);
)sql";

constexpr const char* kPostgresV5 = R"sql(
-- Follow-ups. Notices: in-app (and emailed) messages to one person; (user_id, dedup_key) is unique
-- so that a worker that raises one again after a crash changes nothing.
CREATE TABLE notices (
  id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  kind TEXT NOT NULL,
  ticket_id BIGINT REFERENCES tickets (id) ON DELETE CASCADE,
  client_id BIGINT REFERENCES clients (id) ON DELETE CASCADE,
  title TEXT NOT NULL,
  body TEXT NOT NULL,
  dedup_key TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  deliver_at BIGINT NOT NULL,
  emailed_at BIGINT,
  read_at BIGINT,
  UNIQUE (user_id, dedup_key)
);
CREATE INDEX notices_by_user ON notices (user_id, deliver_at, id);

-- Reminders on a ticket or a client (or neither) for one person.
CREATE TABLE reminders (
  id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  ticket_id BIGINT REFERENCES tickets (id) ON DELETE CASCADE,
  client_id BIGINT REFERENCES clients (id) ON DELETE CASCADE,
  title TEXT NOT NULL,
  note TEXT NOT NULL DEFAULT '',
  due_at BIGINT NOT NULL,
  done_at BIGINT,
  created_by BIGINT NOT NULL REFERENCES users (id),
  created_at BIGINT NOT NULL,
  notified_at BIGINT
);
CREATE INDEX reminders_by_user ON reminders (user_id, due_at, id);
CREATE INDEX reminders_due ON reminders (due_at, id) WHERE done_at IS NULL AND notified_at IS NULL;

-- Meetings with clients; a client's annual review is its one yearly meeting.
CREATE TABLE meetings (
  id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  client_id BIGINT NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
  title TEXT NOT NULL,
  starts_at BIGINT NOT NULL,
  duration_minutes INTEGER NOT NULL,
  recurrence TEXT NOT NULL DEFAULT 'none',
  owner_user_id BIGINT NOT NULL REFERENCES users (id),
  created_at BIGINT NOT NULL
);
CREATE INDEX meetings_by_client ON meetings (client_id, starts_at, id);
CREATE INDEX meetings_by_owner ON meetings (owner_user_id, starts_at, id);
CREATE UNIQUE INDEX meetings_one_review ON meetings (client_id) WHERE recurrence = 'yearly';

-- The secret of each person's calendar feed URL, as a SHA-256 hex hash (one per person).
CREATE TABLE feed_tokens (
  user_id BIGINT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
  token_hash TEXT NOT NULL UNIQUE,
  created_at BIGINT NOT NULL
);
)sql";

constexpr const char* kPostgresV6 = R"sql(
-- Automatic follow-ups (issue 4): acknowledgements, nudges, promise alerts, review packs.
-- Workspace settings: acknowledge new email requests; nudge a client who owes an answer after
-- nudge_after_days business days (0 = never), closing the ticket after nudge_limit unanswered
-- nudges; prepare a client's review pack review_pack_days before the annual review.
ALTER TABLE workspace ADD COLUMN acknowledge_requests INTEGER NOT NULL DEFAULT 1;
ALTER TABLE workspace ADD COLUMN nudge_after_days INTEGER NOT NULL DEFAULT 3;
ALTER TABLE workspace ADD COLUMN nudge_limit INTEGER NOT NULL DEFAULT 2;
ALTER TABLE workspace ADD COLUMN review_pack_days INTEGER NOT NULL DEFAULT 14;
-- The zone the client's people read times in ('' = the workspace's), for acknowledgements.
ALTER TABLE clients ADD COLUMN time_zone TEXT NOT NULL DEFAULT '';

-- Promise alerts raised: once per ticket, level (warning, breach) and due time. A due time that
-- moves (a policy change, a pause) is a new promise and may be alerted again.
CREATE TABLE sla_alerts (
  ticket_id BIGINT NOT NULL REFERENCES tickets (id),
  level TEXT NOT NULL,
  due_at BIGINT NOT NULL,
  raised_at BIGINT NOT NULL,
  PRIMARY KEY (ticket_id, level, due_at)
);
CREATE INDEX tickets_by_warning ON tickets (sla_warning_at, id);

-- Nudges sent to a client who owes an answer, numbered within one waiting period (the instant the
-- ticket started waiting), so that a restart never sends one twice.
CREATE TABLE nudges (
  ticket_id BIGINT NOT NULL REFERENCES tickets (id),
  waiting_since BIGINT NOT NULL,
  number INTEGER NOT NULL,
  sent_at BIGINT NOT NULL,
  PRIMARY KEY (ticket_id, waiting_since, number)
);

-- Review packs prepared before a client's annual review, one per meeting occurrence.
CREATE TABLE review_packs (
  id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  client_id BIGINT NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
  meeting_id BIGINT NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
  meeting_at BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  body TEXT NOT NULL,
  UNIQUE (meeting_id, meeting_at)
);
CREATE INDEX review_packs_by_client ON review_packs (client_id, meeting_at, id);
)sql";

constexpr const char* kPostgresV7 = R"sql(
-- Nudges count from when they were switched on: waiting that began before (history from before the
-- upgrade, an import, the demo) is not nudged at once. Desk::UpdateWorkspace moves it when
-- nudge_after_days goes from 0 to more.
ALTER TABLE workspace ADD COLUMN nudges_since BIGINT NOT NULL DEFAULT 0;
UPDATE workspace SET nudges_since = EXTRACT(EPOCH FROM now())::BIGINT;
)sql";

constexpr Migration kPostgresMigrations[] = {
    {1, "records: workspace, users, credentials, clients, contacts, tickets, messages, audit", kPostgresV1},
    {2, "full-text search (tsvector, GIN)", kPostgresV2},
    {3, "email: threading headers, attachments, participants, links, mailboxes, outbox", kPostgresV3},
    {4, "promises: business calendar, holidays, response policies, ticket events and clocks", kPostgresV4},
    {5, "follow-ups: notices, reminders, client meetings, calendar feed tokens", kPostgresV5},
    {6, "automatic follow-ups: acknowledgement and nudge settings, client zone, promise alerts, nudges, review packs", kPostgresV6},
    {7, "nudges count from when they were switched on (workspace.nudges_since)", kPostgresV7},
};

Status IntegrityCheck(sql::Connection& c) {
  RAPPORT_ASSIGN_OR_RETURN(sql::Query q, c.Prepare("PRAGMA quick_check"));
  std::string problems;
  for (;;) {
    RAPPORT_ASSIGN_OR_RETURN(bool row, q->Next());
    if (!row) break;
    std::string line = q->Text(0);
    if (line != "ok") problems += (problems.empty() ? "" : "; ") + line;
  }
  if (!problems.empty()) {
    return Status::Internal("the SQLite database failed its integrity check (" + problems +
                            "); restore it from a backup");
  }
  return Status::Ok();
}

Result<int> LatestApplied(sql::Connection& c) {
  RAPPORT_ASSIGN_OR_RETURN(sql::Query q, c.Prepare("SELECT COALESCE(MAX(version), 0) FROM schema_migrations"));
  RAPPORT_ASSIGN_OR_RETURN(bool row, q->Next());
  return row ? static_cast<int>(q->Int(0)) : 0;
}

Status Apply(sql::Connection& c, const Migration& m) {
  RAPPORT_RETURN_IF_ERROR(c.Begin());
  // On PostgreSQL two processes may migrate at once: the lock makes the second wait and then see
  // the step as done. (SQLite's BEGIN IMMEDIATE already serializes writers.)
  if (c.dialect() == sql::Dialect::kPostgres) {
    Status s = c.Execute("LOCK TABLE schema_migrations IN EXCLUSIVE MODE");
    if (!s.ok()) {
      c.Rollback();
      return s;
    }
  }
  Status s = [&]() -> Status {
    {
      RAPPORT_ASSIGN_OR_RETURN(sql::Query q, c.Prepare("SELECT 1 FROM schema_migrations WHERE version = ?"));
      q->Bind(std::int64_t{m.version});
      RAPPORT_ASSIGN_OR_RETURN(bool done, q->Next());
      if (done) return Status::Ok();
    }
    Status step = c.Execute(m.sql);
    if (!step.ok()) {
      return Status::Internal("migration " + std::to_string(m.version) + " (" + m.description +
                              ") failed: " + step.message());
    }
    RAPPORT_ASSIGN_OR_RETURN(
        sql::Query ins,
        c.Prepare("INSERT INTO schema_migrations (version, description, applied_at) VALUES (?, ?, ?)"));
    ins->Bind(std::int64_t{m.version});
    ins->Bind(m.description);
    ins->Bind(std::chrono::duration_cast<std::chrono::seconds>(
                  std::chrono::system_clock::now().time_since_epoch()).count());
    return ins->Run();
  }();
  if (!s.ok()) {
    c.Rollback();
    return s;
  }
  return c.Commit();
}

}  // namespace

std::span<const Migration> MigrationsFor(sql::Dialect dialect) {
  if (dialect == sql::Dialect::kSqlite) return kSqliteMigrations;
  return kPostgresMigrations;
}

Status Migrate(sql::Connection& c) {
  if (c.dialect() == sql::Dialect::kSqlite) RAPPORT_RETURN_IF_ERROR(IntegrityCheck(c));
  RAPPORT_RETURN_IF_ERROR(
      c.Execute("CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, description TEXT NOT NULL,"
                " applied_at BIGINT NOT NULL)"));
  const auto migrations = MigrationsFor(c.dialect());
  RAPPORT_ASSIGN_OR_RETURN(int latest, LatestApplied(c));
  if (latest > migrations.back().version) {
    return Status::Internal("the database has schema version " + std::to_string(latest) +
                            ", newer than this Rapport knows (" + std::to_string(migrations.back().version) +
                            "); upgrade Rapport");
  }
  for (const Migration& m : migrations) {
    if (m.version <= latest) continue;
    RAPPORT_RETURN_IF_ERROR(Apply(c, m));
  }
  return Status::Ok();
}

}  // namespace rapport::store
