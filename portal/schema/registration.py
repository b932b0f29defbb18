"""Submissions, pushes and the worker's columns: the registration's own tables.

Each ``V<n>`` is migration n of ``portal.migrations.MIGRATIONS``: applied once, in order,
never edited after it shipped (a change is a new migration)."""

# 1: the foundation tables.
V1 = """
    CREATE TABLE partners (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        disabled INTEGER NOT NULL DEFAULT 0,
        created_at REAL NOT NULL
    );
    CREATE TABLE users (
        id INTEGER PRIMARY KEY,
        username TEXT NOT NULL UNIQUE,
        password_hash TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('admin', 'staff', 'partner')),
        partner_id INTEGER REFERENCES partners(id),
        disabled INTEGER NOT NULL DEFAULT 0,
        created_at REAL NOT NULL
    );
    CREATE TABLE submissions (
        id INTEGER PRIMARY KEY,
        public_id TEXT NOT NULL UNIQUE,
        flavor TEXT NOT NULL,
        name TEXT NOT NULL,
        code TEXT NOT NULL,
        code_type INTEGER,
        legal_persona_wechat TEXT,
        legal_persona_name TEXT,
        component_phone TEXT,
        contact_phone TEXT,
        match_key TEXT NOT NULL,
        state TEXT NOT NULL,
        errcode INTEGER,
        errmsg TEXT,
        push_status INTEGER,
        push_msg TEXT,
        appid TEXT,
        auth_code TEXT,
        taskid TEXT,
        authorize_url TEXT,
        previous_id INTEGER REFERENCES submissions(id),
        partner_id INTEGER REFERENCES partners(id),
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at REAL,
        claimed_until REAL,
        sent_at REAL,
        deadline_at REAL,
        last_activity_at REAL,
        next_search_at REAL,
        searches INTEGER NOT NULL DEFAULT 0,
        last_search_errcode INTEGER,
        created_at REAL NOT NULL,
        updated_at REAL NOT NULL
    );
    CREATE INDEX submissions_state ON submissions(state, next_attempt_at);
    CREATE INDEX submissions_match ON submissions(match_key, state);
    CREATE TABLE submission_events (
        id INTEGER PRIMARY KEY,
        submission_id INTEGER NOT NULL REFERENCES submissions(id),
        at REAL NOT NULL,
        from_state TEXT,
        to_state TEXT NOT NULL,
        detail TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX submission_events_sub ON submission_events(submission_id, at);
    CREATE TABLE api_calls (
        id INTEGER PRIMARY KEY,
        at REAL NOT NULL,
        endpoint TEXT NOT NULL,
        http_status INTEGER,
        errcode INTEGER,
        errmsg TEXT,
        latency_ms REAL NOT NULL,
        error TEXT,
        submission_id INTEGER REFERENCES submissions(id)
    );
    CREATE INDEX api_calls_at ON api_calls(at);
    CREATE INDEX api_calls_sub ON api_calls(submission_id);
    CREATE TABLE pushes (
        id INTEGER PRIMARY KEY,
        received_at REAL NOT NULL,
        fingerprint TEXT NOT NULL UNIQUE,
        info_type TEXT NOT NULL,
        create_time INTEGER,
        xml TEXT NOT NULL,
        fields TEXT NOT NULL,
        submission_id INTEGER REFERENCES submissions(id),
        outcome TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX pushes_sub ON pushes(submission_id);
    CREATE TABLE credentials (
        name TEXT PRIMARY KEY,
        value TEXT NOT NULL,
        expires_at REAL,
        updated_at REAL NOT NULL
    );
    CREATE TABLE locks (
        name TEXT PRIMARY KEY,
        holder TEXT NOT NULL,
        until REAL NOT NULL
    );
    CREATE TABLE authorizers (
        appid TEXT PRIMARY KEY,
        submission_id INTEGER REFERENCES submissions(id),
        access_token TEXT,
        expires_at REAL,
        refresh_token TEXT,
        func_info TEXT,
        state TEXT NOT NULL,
        updated_at REAL NOT NULL
    );
    """

# 3: staff search by exact code or WeChat ID without a table scan.
V3 = """
    CREATE INDEX submissions_code_key ON submissions(replace(code, '-', ''));
    CREATE INDEX submissions_wechat_key ON submissions(lower(legal_persona_wechat));
    """

# 4: a rate limit on the public form, so nobody can spend the platform's quota.
V4 = """
    CREATE TABLE rate_events (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL,
        key TEXT NOT NULL,
        at REAL NOT NULL
    );
    CREATE INDEX rate_events_key ON rate_events(kind, key, at);
    """

# 5: bounded retries and holds; unanswered creates; searches staff ask for.
V5 = """
    ALTER TABLE submissions ADD COLUMN retries INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE submissions ADD COLUMN held_from TEXT;
    ALTER TABLE submissions ADD COLUMN maybe_sent INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE submissions ADD COLUMN search_requested_at REAL;
    ALTER TABLE submissions ADD COLUMN last_search_at REAL;
    CREATE INDEX submissions_taskid ON submissions(taskid);
    CREATE INDEX submissions_previous ON submissions(previous_id);
    CREATE INDEX submissions_search_requested ON submissions(search_requested_at)
        WHERE search_requested_at IS NOT NULL;
    ALTER TABLE authorizers ADD COLUMN failures INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE authorizers ADD COLUMN next_try_at REAL;
    ALTER TABLE authorizers ADD COLUMN last_error TEXT;
    UPDATE authorizers SET state = 'authorized' WHERE state = 'updateauthorized';
    """

# 7: personal data is purged a while after a submission ended (retention).
V7 = """
    ALTER TABLE submissions ADD COLUMN purged_at REAL;
    CREATE INDEX submissions_ended ON submissions(state, updated_at) WHERE purged_at IS NULL;
    """

# 8: the staff dashboard at 100,000 submissions: each list reads one index in order.
V8 = """
    CREATE INDEX submissions_state_created ON submissions(state, created_at);
    CREATE INDEX submissions_deadline ON submissions(state, deadline_at);
    CREATE INDEX submissions_activity ON submissions(state, last_activity_at);
    CREATE INDEX submissions_outcomes
        ON submissions(state, updated_at, flavor, push_status, errcode);
    """

# 10: the worker's tasks (docs/worker.md): when a create was first sent (which pushes
# may apply), retries counted per failure class, the lost-success look-up, and work
# waiting for the platform's component token. Quiet tasks whose search schedule had
# ended search again on the tail.
V10 = """
    ALTER TABLE submissions ADD COLUMN first_sent_at REAL;
    ALTER TABLE submissions ADD COLUMN retry_counts TEXT NOT NULL DEFAULT '{}';
    ALTER TABLE submissions ADD COLUMN recover_at REAL;
    ALTER TABLE submissions ADD COLUMN recover_tries INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE submissions ADD COLUMN waiting_for TEXT;
    UPDATE submissions SET first_sent_at = sent_at WHERE sent_at IS NOT NULL;
    UPDATE submissions SET deadline_at = coalesce(sent_at, created_at) + 86400
        WHERE state IN ('checking', 'awaiting_legal_person') AND deadline_at IS NULL;
    UPDATE submissions SET next_search_at = updated_at
        WHERE state IN ('checking', 'awaiting_legal_person') AND next_search_at IS NULL;
    CREATE INDEX submissions_recover ON submissions(recover_at) WHERE recover_at IS NOT NULL;
    CREATE INDEX submissions_search ON submissions(next_search_at)
        WHERE next_search_at IS NOT NULL;
    CREATE INDEX submissions_waiting ON submissions(waiting_for) WHERE waiting_for IS NOT NULL;
    """

# 11: pushes to the message and event URL (POST /wechat/messages/<appid>): a mini
# program's audit and name/category results, recorded once by the SHA-256 of the
# decrypted XML. appid is the URL's ($APPID$), to_user the XML's ToUserName (gh_...).
# applied_at stays NULL until a go-live step has acted on the row.
V11 = """
    CREATE TABLE message_pushes (
        id INTEGER PRIMARY KEY,
        received_at REAL NOT NULL,
        fingerprint TEXT NOT NULL UNIQUE,
        appid TEXT NOT NULL,
        to_user TEXT NOT NULL,
        msg_type TEXT NOT NULL,
        event TEXT NOT NULL,
        create_time INTEGER,
        xml TEXT NOT NULL,
        fields TEXT NOT NULL,
        outcome TEXT NOT NULL DEFAULT '',
        applied_at REAL
    );
    CREATE INDEX message_pushes_appid ON message_pushes(appid, to_user);
    CREATE INDEX message_pushes_to_user ON message_pushes(to_user, appid);
    CREATE INDEX message_pushes_unapplied ON message_pushes(event, received_at)
        WHERE applied_at IS NULL;
    """

# 15: The same company, twice (portal/registration/same_company.py): a company is found
# by its code (submissions_code_key, migration 3) or by its name; names hold only Han
# characters and ASCII letters, so SQLite's ASCII lower() is the whole case fold.
V15 = """
    CREATE INDEX IF NOT EXISTS submissions_name_key ON submissions(lower(name));
    """

# 22: A classic "not confirmed" (100003) that came well before the 24 hours were over is
# the legal person's refusal (codes.ended_early). The outcome module now decides it once,
# when the result arrives, and stores it, so the status page, webhooks, the JSON API and
# the merchant's SMS all say "refused". Older rows are backfilled by the same rule: the
# push that ended the task (the latest result push, applied as an expiry) made more than
# an hour before the deadline; with no push at all (a query found it ended), when the row
# last changed. The staff dashboard's failures by code count refusals on their own line.
V22 = """
    ALTER TABLE submissions ADD COLUMN refused INTEGER NOT NULL DEFAULT 0;
    UPDATE submissions SET refused = 1
        WHERE state = 'expired' AND push_status = 100003 AND deadline_at IS NOT NULL
        AND CASE WHEN (SELECT p.id FROM pushes p WHERE p.submission_id = submissions.id
                       AND p.info_type = 'notify_third_fasteregister' LIMIT 1) IS NULL
            THEN deadline_at - updated_at > 3600
            ELSE (SELECT p.outcome = 'expired'
                         AND deadline_at - coalesce(p.create_time, p.received_at) > 3600
                  FROM pushes p WHERE p.submission_id = submissions.id
                  AND p.info_type = 'notify_third_fasteregister' ORDER BY p.id DESC LIMIT 1)
        END;
    DROP INDEX submissions_outcomes;
    CREATE INDEX submissions_outcomes
        ON submissions(state, updated_at, flavor, push_status, errcode, refused);
    """

# 23: match_key leaves out ". · -" and spaces (portal.normalize.match_key): a minority
# name typed with "-" or "." is now stored with "·", a foreign name keeps one space
# between words. Stored keys are recomputed the same way, so a result push repeating
# an older submission's facts still finds it, and the same person typed again matches.
# Stored mobile numbers become their 11 digits, as the form now stores them
# (normalize.contact_phone): +86 13800138000, 86…, 138-0013-8000 → 13800138000.
V23 = """
    UPDATE submissions
        SET match_key = replace(replace(replace(replace(match_key, '-', ''), '.', ''),
                                        '·', ''), ' ', '')
        WHERE match_key GLOB '*[-.· ]*';
    UPDATE submissions SET contact_phone = substr(replace(contact_phone, '-', ''), -11)
        WHERE replace(contact_phone, '-', '') GLOB '1[3-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]'
        OR replace(contact_phone, '-', '') GLOB '+861[3-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]'
        OR replace(contact_phone, '-', '') GLOB '861[3-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]';
    """
