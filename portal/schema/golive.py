"""The go-live setup: steps, files, events, the operator's platform work, actions, ICP.

Each ``V<n>`` is migration n of ``portal.migrations.MIGRATIONS``: applied once, in order,
never edited after it shipped (a change is a new migration)."""

# 12: the go-live steps (docs/golive.md): one setup per authorized mini program, its
# steps with the merchant's input and WeChat's answers, the files the merchant gave,
# and a timeline. The setup's lease makes one WeChat call at a time per appid.
V12 = """
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
    """

# 13: the operator's go-live setup (portal/golive/platform.py, docs/golive.md): its
# settings as JSON values by key, the platform's code templates and drafts as the
# worker last fetched them, and the platform-level work the admin page asks the
# worker for (fetch the lists, add a draft, register domains, learn permission sets).
# An authorizer's func_info '[]' came from a recovery that could not learn it: unknown.
V13 = """
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
    """

# 14: staff's actions on a code audit (portal/golive/actions.py): undo or speed it up,
# asked on the staff console and carried out once by the worker's golive.actions kind
# (at most one open per setup; started_at set before the call, so an unanswered undo
# is resolved before it is sent again). And the platform's monthly submit quota as
# queryquota last answered (portal/golive/quota.py, one row), for the health page.
V14 = """
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
    """

# 19: ICP filing (备案) state per setup (portal/golive/icp.py, issue 20 step 8): WeChat's
# get_icp_entrance_info status as last read (NULL until read), the rejection reasons,
# and the worker's budget for reading it again (next_at; failed reads in a row).
V19 = """
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
    """

# 20: held go-live steps by reason, for the staff dashboard (portal/golive/held.py) and
# the operator's held-work alert: an index, so neither scans every step of every setup.
V20 = """
    CREATE INDEX IF NOT EXISTS setup_steps_state ON setup_steps(state, errcode);
    """

# 21: every setup whose filing may be read has its setup_icp row (the worker's due list
# reads only that table: portal/golive/icp.py due); rows for setups from before.
V21 = """
    INSERT OR IGNORE INTO setup_icp (setup_id, next_at)
    SELECT u.id, 0 FROM setups u
    WHERE (SELECT count(*) FROM setup_steps s WHERE s.setup_id = u.id
           AND s.step IN ('name', 'avatar', 'intro', 'category') AND s.state = 'done') = 4
       OR EXISTS (SELECT 1 FROM setup_steps s WHERE s.setup_id = u.id
                  AND s.step IN ('deploy', 'audit', 'release') AND s.state != 'todo');
    """
