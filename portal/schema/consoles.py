"""Accounts, sessions, the audit log, notes, webhooks and the consoles' indexes.

Each ``V<n>`` is migration n of ``portal.migrations.MIGRATIONS``: applied once, in order,
never edited after it shipped (a change is a new migration)."""

# 2: consoles: sessions that can be revoked, login throttling, audit, notes,
# partners' signup links and their funnel.
V2 = """
    ALTER TABLE users ADD COLUMN session_version INTEGER NOT NULL DEFAULT 1;
    CREATE TABLE login_attempts (
        id INTEGER PRIMARY KEY,
        at REAL NOT NULL,
        username TEXT NOT NULL,
        address TEXT NOT NULL,
        succeeded INTEGER NOT NULL
    );
    CREATE INDEX login_attempts_user ON login_attempts(username, at);
    CREATE INDEX login_attempts_address ON login_attempts(address, at);
    CREATE TABLE audit_log (
        id INTEGER PRIMARY KEY,
        at REAL NOT NULL,
        user_id INTEGER REFERENCES users(id),
        username TEXT NOT NULL,
        action TEXT NOT NULL,
        target TEXT NOT NULL DEFAULT '',
        detail TEXT NOT NULL DEFAULT '',
        address TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX audit_log_at ON audit_log(at);
    CREATE TABLE notes (
        id INTEGER PRIMARY KEY,
        submission_id INTEGER NOT NULL REFERENCES submissions(id),
        user_id INTEGER REFERENCES users(id),
        username TEXT NOT NULL,
        body TEXT NOT NULL,
        at REAL NOT NULL
    );
    CREATE INDEX notes_sub ON notes(submission_id);
    CREATE TABLE signup_links (
        id INTEGER PRIMARY KEY,
        partner_id INTEGER NOT NULL REFERENCES partners(id),
        slug TEXT NOT NULL UNIQUE,
        label TEXT NOT NULL,
        contact_phone TEXT NOT NULL DEFAULT '',
        expires_at REAL,
        disabled INTEGER NOT NULL DEFAULT 0,
        created_at REAL NOT NULL
    );
    CREATE INDEX signup_links_partner ON signup_links(partner_id);
    CREATE TABLE link_events (
        id INTEGER PRIMARY KEY,
        link_id INTEGER NOT NULL REFERENCES signup_links(id),
        kind TEXT NOT NULL CHECK (kind IN ('open', 'start')),
        at REAL NOT NULL
    );
    CREATE INDEX link_events_link ON link_events(link_id, kind);
    ALTER TABLE submissions ADD COLUMN link_id INTEGER REFERENCES signup_links(id);
    CREATE INDEX submissions_partner ON submissions(partner_id, created_at);
    CREATE INDEX submissions_created ON submissions(created_at);
    """

# 6: each console login is a row, so logging out ends that session on the server.
V6 = """
    CREATE TABLE console_sessions (
        token TEXT PRIMARY KEY,
        user_id INTEGER NOT NULL REFERENCES users(id),
        created_at REAL NOT NULL,
        expires_at REAL NOT NULL
    );
    CREATE INDEX console_sessions_user ON console_sessions(user_id);
    """

# 9: the platform's own systems: webhook endpoints with an outbox of events and
# their deliveries, API keys (hashed) and the answers kept for Idempotency-Key.
V9 = """
    CREATE TABLE webhook_endpoints (
        id INTEGER PRIMARY KEY,
        url TEXT NOT NULL,
        secret TEXT NOT NULL,
        event_types TEXT NOT NULL,
        personal_data INTEGER NOT NULL DEFAULT 0,
        description TEXT NOT NULL DEFAULT '',
        disabled INTEGER NOT NULL DEFAULT 0,
        created_at REAL NOT NULL
    );
    CREATE TABLE webhook_events (
        id INTEGER PRIMARY KEY,
        type TEXT NOT NULL,
        subject TEXT NOT NULL,
        submission_id INTEGER REFERENCES submissions(id),
        snapshot TEXT NOT NULL,
        created_at REAL NOT NULL
    );
    CREATE TABLE webhook_deliveries (
        id INTEGER PRIMARY KEY,
        event_id INTEGER NOT NULL REFERENCES webhook_events(id),
        endpoint_id INTEGER NOT NULL REFERENCES webhook_endpoints(id),
        subject TEXT NOT NULL,
        state TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at REAL,
        claimed_until REAL,
        last_status INTEGER,
        last_error TEXT,
        delivered_at REAL,
        created_at REAL NOT NULL
    );
    CREATE INDEX webhook_deliveries_due ON webhook_deliveries(state, next_attempt_at);
    CREATE INDEX webhook_deliveries_order ON webhook_deliveries(endpoint_id, subject, state);
    CREATE TABLE webhook_attempts (
        id INTEGER PRIMARY KEY,
        delivery_id INTEGER NOT NULL REFERENCES webhook_deliveries(id),
        at REAL NOT NULL,
        status INTEGER,
        response TEXT NOT NULL DEFAULT '',
        error TEXT NOT NULL DEFAULT '',
        ms INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX webhook_attempts_delivery ON webhook_attempts(delivery_id);
    CREATE TABLE api_keys (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        prefix TEXT NOT NULL,
        key_hash TEXT NOT NULL UNIQUE,
        scopes TEXT NOT NULL,
        created_by INTEGER REFERENCES users(id),
        created_at REAL NOT NULL,
        last_used_at REAL,
        revoked_at REAL
    );
    CREATE TABLE idempotency_keys (
        api_key_id INTEGER NOT NULL REFERENCES api_keys(id),
        key TEXT NOT NULL,
        request_hash TEXT NOT NULL,
        status INTEGER NOT NULL,
        body TEXT NOT NULL,
        created_at REAL NOT NULL,
        PRIMARY KEY (api_key_id, key)
    );
    """

# 16: Staff search by contact phone (portal/staff/filters.py): the phone as digits, whole
# or its last 4, each on an expression index.
V16 = """
    CREATE INDEX IF NOT EXISTS submissions_phone_key
        ON submissions(replace(replace(contact_phone, '-', ''), '+', ''));
    CREATE INDEX IF NOT EXISTS submissions_phone_tail
        ON submissions(substr(replace(replace(contact_phone, '-', ''), '+', ''), -4));
    """

# 17: The admin's audit log filtered by its subject (portal/audit.py, filtered).
V17 = """
    CREATE INDEX IF NOT EXISTS audit_log_target ON audit_log(target);
    """
