"""The schema, as numbered migrations: append, never edit one that has shipped."""

MIGRATIONS: list[str] = [
    # 1: the foundation tables.
    """
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
    """,
    # 2: consoles: sessions that can be revoked, login throttling, audit, notes,
    # partners' signup links and their funnel.
    """
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
    """,
    # 3: staff search by exact code or WeChat ID without a table scan.
    """
    CREATE INDEX submissions_code_key ON submissions(replace(code, '-', ''));
    CREATE INDEX submissions_wechat_key ON submissions(lower(legal_persona_wechat));
    """,
    # 4: a rate limit on the public form, so nobody can spend the platform's quota.
    """
    CREATE TABLE rate_events (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL,
        key TEXT NOT NULL,
        at REAL NOT NULL
    );
    CREATE INDEX rate_events_key ON rate_events(kind, key, at);
    """,
    # 5: bounded retries and holds; unanswered creates; searches staff ask for.
    """
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
    """,
    # 6: each console login is a row, so logging out ends that session on the server.
    """
    CREATE TABLE console_sessions (
        token TEXT PRIMARY KEY,
        user_id INTEGER NOT NULL REFERENCES users(id),
        created_at REAL NOT NULL,
        expires_at REAL NOT NULL
    );
    CREATE INDEX console_sessions_user ON console_sessions(user_id);
    """,
    # 7: personal data is purged a while after a submission ended (retention).
    """
    ALTER TABLE submissions ADD COLUMN purged_at REAL;
    CREATE INDEX submissions_ended ON submissions(state, updated_at) WHERE purged_at IS NULL;
    """,
    # 8: the staff dashboard at 100,000 submissions: each list reads one index in order.
    """
    CREATE INDEX submissions_state_created ON submissions(state, created_at);
    CREATE INDEX submissions_deadline ON submissions(state, deadline_at);
    CREATE INDEX submissions_activity ON submissions(state, last_activity_at);
    CREATE INDEX submissions_outcomes
        ON submissions(state, updated_at, flavor, push_status, errcode);
    """,
    # 9: the platform's own systems: webhook endpoints with an outbox of events and
    # their deliveries, API keys (hashed) and the answers kept for Idempotency-Key.
    """
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
    """,
    # 10: the worker's tasks (docs/worker.md): when a create was first sent (which pushes
    # may apply), retries counted per failure class, the lost-success look-up, and work
    # waiting for the platform's component token. Quiet tasks whose search schedule had
    # ended search again on the tail.
    """
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
    """,
    # 11: pushes to the message and event URL (POST /wechat/messages/<appid>): a mini
    # program's audit and name/category results, recorded once by the SHA-256 of the
    # decrypted XML. appid is the URL's ($APPID$), to_user the XML's ToUserName (gh_...).
    # applied_at stays NULL until a go-live step has acted on the row.
    """
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
    """,
    # 12: the go-live steps (docs/golive.md): one setup per authorized mini program, its
    # steps with the merchant's input and WeChat's answers, the files the merchant gave,
    # and a timeline. The setup's lease makes one WeChat call at a time per appid.
    """
    CREATE TABLE setups (
        id INTEGER PRIMARY KEY,
        submission_id INTEGER NOT NULL UNIQUE REFERENCES submissions(id),
        appid TEXT NOT NULL UNIQUE,
        claimed_until REAL,
        auditid INTEGER,
        released_at REAL,
        created_at REAL NOT NULL,
        updated_at REAL NOT NULL
    );
    CREATE TABLE setup_steps (
        id INTEGER PRIMARY KEY,
        setup_id INTEGER NOT NULL REFERENCES setups(id),
        step TEXT NOT NULL,
        state TEXT NOT NULL DEFAULT 'todo',
        input TEXT NOT NULL DEFAULT '{}',
        result TEXT NOT NULL DEFAULT '{}',
        phase TEXT,
        errcode INTEGER,
        reason TEXT,
        retry_counts TEXT NOT NULL DEFAULT '{}',
        due_at REAL,
        given_at REAL,
        done_at REAL,
        updated_at REAL NOT NULL,
        UNIQUE (setup_id, step)
    );
    CREATE INDEX setup_steps_due ON setup_steps(due_at) WHERE due_at IS NOT NULL;
    CREATE TABLE setup_files (
        id INTEGER PRIMARY KEY,
        setup_id INTEGER NOT NULL REFERENCES setups(id),
        step TEXT NOT NULL,
        role TEXT NOT NULL,
        content_type TEXT NOT NULL,
        content BLOB NOT NULL,
        sha256 TEXT NOT NULL,
        media_id TEXT,
        media_at REAL,
        created_at REAL NOT NULL
    );
    CREATE INDEX setup_files_step ON setup_files(setup_id, step);
    CREATE TABLE setup_events (
        id INTEGER PRIMARY KEY,
        setup_id INTEGER NOT NULL REFERENCES setups(id),
        at REAL NOT NULL,
        step TEXT NOT NULL,
        from_state TEXT,
        to_state TEXT NOT NULL,
        detail TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX setup_events_setup ON setup_events(setup_id, at);
    """,
    # 13: the operator's go-live setup (portal/golive/platform.py, docs/golive.md): its
    # settings as JSON values by key, the platform's code templates and drafts as the
    # worker last fetched them, and the platform-level work the admin page asks the
    # worker for (fetch the lists, add a draft, register domains, learn permission sets).
    # An authorizer's func_info '[]' came from a recovery that could not learn it: unknown.
    """
    CREATE TABLE golive_platform (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL,
        updated_at REAL NOT NULL
    );
    CREATE TABLE golive_templates (
        kind TEXT NOT NULL CHECK (kind IN ('template', 'draft')),
        id INTEGER NOT NULL,
        user_version TEXT NOT NULL DEFAULT '',
        user_desc TEXT NOT NULL DEFAULT '',
        create_time INTEGER,
        template_type INTEGER,
        draft_id INTEGER,
        source_miniprogram TEXT NOT NULL DEFAULT '',
        fetched_at REAL NOT NULL,
        PRIMARY KEY (kind, id)
    );
    CREATE TABLE golive_platform_work (
        name TEXT PRIMARY KEY,
        requested_at REAL,
        requested_by TEXT NOT NULL DEFAULT '',
        detail TEXT NOT NULL DEFAULT '',
        not_before REAL,
        claimed_until REAL,
        done_at REAL,
        endpoint TEXT,
        errcode INTEGER,
        error TEXT,
        result TEXT NOT NULL DEFAULT '{}'
    );
    UPDATE authorizers SET func_info = NULL WHERE func_info IN ('[]', '', 'null');
    """,
    # 14: staff's actions on a code audit (portal/golive/actions.py): undo or speed it up,
    # asked on the staff console and carried out once by the worker's golive.actions kind
    # (at most one open per setup; started_at set before the call, so an unanswered undo
    # is resolved before it is sent again). And the platform's monthly submit quota as
    # queryquota last answered (portal/golive/quota.py, one row), for the health page.
    """
    CREATE TABLE setup_actions (
        id INTEGER PRIMARY KEY,
        setup_id INTEGER NOT NULL REFERENCES setups(id),
        action TEXT NOT NULL CHECK (action IN ('undo', 'speedup')),
        auditid INTEGER,
        requested_at REAL NOT NULL,
        requested_by TEXT NOT NULL DEFAULT '',
        due_at REAL,
        tries INTEGER NOT NULL DEFAULT 0,
        started_at REAL,
        done_at REAL,
        outcome TEXT,
        errcode INTEGER,
        detail TEXT NOT NULL DEFAULT ''
    );
    CREATE UNIQUE INDEX setup_actions_open ON setup_actions(setup_id) WHERE done_at IS NULL;
    CREATE INDEX setup_actions_due ON setup_actions(due_at) WHERE due_at IS NOT NULL;
    CREATE TABLE golive_quota (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        rest INTEGER,
        monthly_limit INTEGER,
        speedup_rest INTEGER,
        speedup_limit INTEGER,
        answered_at REAL,
        appid TEXT,
        asked_at REAL,
        claimed_until REAL,
        error TEXT
    );
    """,
    # The same company, twice (portal/registration/same_company.py): a company is found
    # by its code (submissions_code_key, migration 3) or by its name; names hold only Han
    # characters and ASCII letters, so SQLite's ASCII lower() is the whole case fold.
    """
    CREATE INDEX IF NOT EXISTS submissions_name_key ON submissions(lower(name));
    """,
    # Staff search by contact phone (portal/staff/filters.py): the phone as digits, whole
    # or its last 4, each on an expression index.
    """
    CREATE INDEX IF NOT EXISTS submissions_phone_key
        ON submissions(replace(replace(contact_phone, '-', ''), '+', ''));
    CREATE INDEX IF NOT EXISTS submissions_phone_tail
        ON submissions(substr(replace(replace(contact_phone, '-', ''), '+', ''), -4));
    """,
    # The admin's audit log filtered by its subject (portal/admin/audit_log.py).
    """
    CREATE INDEX IF NOT EXISTS audit_log_target ON audit_log(target);
    """,
    # SMS notifications and operator alerts (portal/notify/): the merchant's consent with
    # its time, the outbox (one row per moment: a unique key; state, tries, next try and
    # the provider's answer), and one alert episode per operator condition.
    """
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
    """,
    # ICP filing (备案) state per setup (portal/golive/icp.py, issue 20 step 8): WeChat's
    # get_icp_entrance_info status as last read (NULL until read), the rejection reasons,
    # and the worker's budget for reading it again (next_at; failed reads in a row).
    """
    CREATE TABLE IF NOT EXISTS setup_icp (
        setup_id INTEGER PRIMARY KEY REFERENCES setups(id),
        status INTEGER,
        rejections TEXT NOT NULL DEFAULT '[]',
        sms_verify_status INTEGER,
        checked_at REAL,
        changed_at REAL,
        next_at REAL NOT NULL,
        tries INTEGER NOT NULL DEFAULT 0,
        error TEXT,
        errcode INTEGER
    );
    CREATE INDEX IF NOT EXISTS setup_icp_due ON setup_icp(next_at) WHERE status IS NOT 6;
    """,
]
