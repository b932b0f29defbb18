"""SMS notifications and operator alerts (portal/notify/).

Each ``V<n>`` is migration n of ``portal.migrations.MIGRATIONS``: applied once, in order,
never edited after it shipped (a change is a new migration)."""

# 18: SMS notifications and operator alerts (portal/notify/): the merchant's consent with
# its time, the outbox (one row per moment: a unique key; state, tries, next try and
# the provider's answer), and one alert episode per operator condition.
V18 = """
    CREATE TABLE IF NOT EXISTS sms_consents (
        submission_id INTEGER PRIMARY KEY REFERENCES submissions(id),
        granted_at REAL NOT NULL,
        revoked_at REAL
    );
    CREATE TABLE IF NOT EXISTS sms_messages (
        id INTEGER PRIMARY KEY,
        key TEXT NOT NULL UNIQUE,
        moment TEXT NOT NULL,
        audience TEXT NOT NULL CHECK (audience IN ('merchant', 'operator')),
        submission_id INTEGER REFERENCES submissions(id),
        phone TEXT NOT NULL,
        params TEXT NOT NULL DEFAULT '[]',
        state TEXT NOT NULL CHECK (state IN ('queued', 'sending', 'sent', 'failed', 'dropped')),
        tries INTEGER NOT NULL DEFAULT 0,
        next_try_at REAL NOT NULL,
        claimed_until REAL,
        provider TEXT,
        answer TEXT,
        serial TEXT,
        text TEXT,
        created_at REAL NOT NULL,
        sent_at REAL,
        updated_at REAL NOT NULL
    );
    CREATE INDEX IF NOT EXISTS sms_messages_due ON sms_messages(state, next_try_at);
    CREATE INDEX IF NOT EXISTS sms_messages_phone ON sms_messages(phone, sent_at);
    CREATE INDEX IF NOT EXISTS sms_messages_submission ON sms_messages(submission_id);
    CREATE TABLE IF NOT EXISTS sms_alerts (
        condition TEXT PRIMARY KEY,
        raised_at REAL NOT NULL,
        detail TEXT NOT NULL DEFAULT '',
        cleared_at REAL
    );
    """
