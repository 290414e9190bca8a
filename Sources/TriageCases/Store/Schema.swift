import GRDB

/// The SQLite schema, as versioned migrations. A migration is never edited once released:
/// changes are new migrations appended here.
enum Schema {
    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()

        m.registerMigration("1 accounts") { db in
            try db.execute(sql: """
                CREATE TABLE users (
                  id            INTEGER PRIMARY KEY AUTOINCREMENT,
                  username      TEXT NOT NULL UNIQUE COLLATE NOCASE,
                  display_name  TEXT NOT NULL,
                  password_hash TEXT NOT NULL,
                  role          TEXT NOT NULL CHECK (role IN ('staff', 'admin')),
                  created_at    INTEGER NOT NULL,
                  disabled      INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1))
                );
                CREATE TABLE sessions (
                  token_hash TEXT PRIMARY KEY,
                  user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                  csrf_token TEXT NOT NULL,
                  created_at INTEGER NOT NULL,
                  expires_at INTEGER NOT NULL
                ) WITHOUT ROWID;
                CREATE INDEX sessions_user ON sessions(user_id);
                CREATE INDEX sessions_expiry ON sessions(expires_at);
                CREATE TABLE api_tokens (
                  id           INTEGER PRIMARY KEY AUTOINCREMENT,
                  name         TEXT NOT NULL UNIQUE,
                  token_hash   TEXT NOT NULL UNIQUE,
                  scopes       TEXT NOT NULL,
                  created_at   INTEGER NOT NULL,
                  last_used_at INTEGER,
                  revoked_at   INTEGER
                );
                """)
        }

        m.registerMigration("2 cases") { db in
            try db.execute(sql: """
                CREATE TABLE cases (
                  id                   INTEGER PRIMARY KEY AUTOINCREMENT,
                  message_id           TEXT,
                  channel              TEXT NOT NULL CHECK (channel IN ('online', 'window')),
                  text                 TEXT NOT NULL,
                  received_at          INTEGER NOT NULL,
                  created_at           INTEGER NOT NULL,
                  status               TEXT NOT NULL
                                       CHECK (status IN ('awaiting_review', 'dispatched', 'rejected', 'replied')),
                  ruleset_version      TEXT NOT NULL,
                  result_json          TEXT NOT NULL,
                  evidence_rules       TEXT NOT NULL,
                  complexity           TEXT CHECK (complexity IN ('simple', 'complex')),
                  proposed_category    TEXT,
                  proposed_lead        TEXT,
                  proposed_co_handlers TEXT NOT NULL,
                  proposed_screening   TEXT NOT NULL,
                  proposed_vague       INTEGER NOT NULL,
                  proposed_multi_department INTEGER NOT NULL,
                  proposed_leader_report    INTEGER NOT NULL,
                  proposed_coordination     INTEGER NOT NULL,
                  proposed_woodpecker_candidate INTEGER NOT NULL,
                  category             TEXT,
                  lead                 TEXT,
                  co_handlers          TEXT NOT NULL,
                  screening            TEXT NOT NULL,
                  vague                INTEGER NOT NULL,
                  multi_department     INTEGER NOT NULL,
                  leader_report        INTEGER NOT NULL,
                  coordination         INTEGER NOT NULL,
                  woodpecker_candidate INTEGER NOT NULL,
                  pre_review_due       TEXT,
                  reply_due            TEXT,
                  proposed_reply_due   TEXT,
                  pre_review_deadline  INTEGER,
                  reply_deadline       INTEGER,
                  decision             TEXT CHECK (decision IN ('accept', 'correct')),
                  decision_reason      TEXT,
                  decided_by           INTEGER REFERENCES users(id),
                  decided_at           INTEGER,
                  replied_at           INTEGER,
                  CHECK ((decision IS NULL) = (decided_at IS NULL)),
                  CHECK ((status = 'awaiting_review') = (decision IS NULL))
                );
                CREATE UNIQUE INDEX cases_message ON cases(channel, message_id) WHERE message_id IS NOT NULL;
                CREATE INDEX cases_review_queue ON cases(status, pre_review_deadline, id);
                CREATE INDEX cases_reply_queue ON cases(status, reply_deadline, id);
                CREATE INDEX cases_category_queue ON cases(status, category, pre_review_deadline, reply_deadline);
                -- One small partial index per worklist flag: a flag filter reads only flagged rows, and the
                -- page and its counts come from the index alone.
                CREATE INDEX cases_flag_vague ON cases(status, pre_review_deadline, reply_deadline) WHERE vague = 1;
                CREATE INDEX cases_flag_multi_department ON cases(status, pre_review_deadline, reply_deadline) WHERE multi_department = 1;
                CREATE INDEX cases_flag_leader_report ON cases(status, pre_review_deadline, reply_deadline) WHERE leader_report = 1;
                CREATE INDEX cases_flag_coordination ON cases(status, pre_review_deadline, reply_deadline) WHERE coordination = 1;
                CREATE INDEX cases_flag_woodpecker ON cases(status, pre_review_deadline, reply_deadline) WHERE woodpecker_candidate = 1;
                CREATE INDEX cases_flag_needs_review ON cases(status, pre_review_deadline, reply_deadline) WHERE screening = 'needs_review';
                CREATE INDEX cases_flag_rejected ON cases(status, pre_review_deadline, reply_deadline) WHERE screening LIKE 'reject:%';
                CREATE INDEX cases_flag_corrected ON cases(status, pre_review_deadline, reply_deadline) WHERE decision = 'correct';
                CREATE INDEX cases_decided ON cases(decided_at) WHERE decided_at IS NOT NULL;
                CREATE INDEX cases_received ON cases(received_at);

                -- The departments in force (lead and co-handlers), one row each, for the department filter.
                -- Status and deadlines are copied from the case so that "department X, awaiting review, by
                -- deadline" is one index range; every write that changes them rewrites these rows.
                CREATE TABLE case_departments (
                  case_id             INTEGER NOT NULL REFERENCES cases(id),
                  department          TEXT NOT NULL,
                  role                TEXT NOT NULL CHECK (role IN ('lead', 'co')),
                  status              TEXT NOT NULL,
                  pre_review_deadline INTEGER,
                  reply_deadline      INTEGER,
                  PRIMARY KEY (case_id, department)
                ) WITHOUT ROWID;
                CREATE INDEX case_departments_queue ON case_departments(department, status, pre_review_deadline, reply_deadline);

                CREATE TABLE case_events (
                  id          INTEGER PRIMARY KEY AUTOINCREMENT,
                  case_id     INTEGER NOT NULL REFERENCES cases(id),
                  at          INTEGER NOT NULL,
                  actor       TEXT NOT NULL,
                  user_id     INTEGER REFERENCES users(id),
                  kind        TEXT NOT NULL CHECK (kind IN ('created', 'decided', 'replied')),
                  from_status TEXT,
                  to_status   TEXT NOT NULL,
                  data        TEXT NOT NULL
                );
                CREATE INDEX case_events_case ON case_events(case_id, id);
                CREATE TRIGGER case_events_append_only_update BEFORE UPDATE ON case_events
                  BEGIN SELECT RAISE(ABORT, 'case history is append-only'); END;
                CREATE TRIGGER case_events_append_only_delete BEFORE DELETE ON case_events
                  BEGIN SELECT RAISE(ABORT, 'case history is append-only'); END;
                """)
        }

        m.registerMigration("3 text search") { db in
            // FTS5 with the trigram tokenizer finds any substring of 3 or more characters, which is
            // what Chinese needs (the default tokenizer would take a whole run of Han characters as
            // one word). Debian's SQLite 3.40 has both. Where a SQLite lacks them the store falls
            // back to LIKE, so the migration still succeeds.
            guard (try? db.execute(sql: "CREATE VIRTUAL TABLE temp.fts_probe USING fts5(x, tokenize = 'trigram')")) != nil else { return }
            try db.execute(sql: """
                DROP TABLE temp.fts_probe;
                CREATE VIRTUAL TABLE cases_fts USING fts5(text, content = 'cases', content_rowid = 'id', tokenize = 'trigram');
                CREATE TRIGGER cases_fts_insert AFTER INSERT ON cases
                  BEGIN INSERT INTO cases_fts(rowid, text) VALUES (new.id, new.text); END;
                INSERT INTO cases_fts(rowid, text) SELECT id, text FROM cases;
                """)
        }
        return m
    }
}
