/**
 * Ordered schema migrations. Each runs once, in its own transaction, and bumps
 * the version recorded in `schema_version`. Never edit a released migration:
 * add a new one.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
  /** Rows the migration leaves to copy after its schema change, in batches that survive a kill. */
  copy?: RowCopy;
}

/**
 * A data copy too large for one transaction. `step` moves the next batch and is run, each time in
 * its own transaction, until it changes no row; its progress is the data it has written, so a run
 * killed between batches goes on where it stopped. `finish` runs in the transaction of the last,
 * empty step and must make `pending` find nothing.
 */
export interface RowCopy {
  /** A query that returns a row while the copy is unfinished. */
  pending: string;
  step: string;
  finish: string;
}

/** Rows per transaction of a copy: big enough that commits are a small part of it, small enough to lose little. */
const COPY_BATCH = 20_000;

const STAGE_COLUMNS = ['identity', 'taxonomy', 'content', 'media', 'pricing', 'attributes', 'seo'];

/** `json_extract`, not `->>`: a view must parse in the sqlite3 shells people open the file with. */
const fromResult = (path: string) => `json_extract(result, '$.${path}')`;

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'bronze layer',
    sql: `
      CREATE TABLE products (
        seq INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        stage TEXT NOT NULL DEFAULT 'bronze',
        bronze TEXT NOT NULL,
        bronze_hash TEXT NOT NULL,
        source_file TEXT NOT NULL,
        source_line INTEGER NOT NULL,
        loaded_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        load_id INTEGER NOT NULL,
        prev_hash TEXT
      );
      CREATE TABLE meta (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) WITHOUT ROWID;
      CREATE TABLE loads (
        id INTEGER PRIMARY KEY,
        files TEXT NOT NULL,
        started_at INTEGER NOT NULL,
        finished_at INTEGER,
        summary TEXT
      );
    `,
  },
  {
    version: 2,
    name: 'silver layer, brands, duplicate keys and URL cache',
    sql: `
      CREATE TABLE silver (
        seq INTEGER PRIMARY KEY REFERENCES products(seq) ON DELETE CASCADE,
        record TEXT,
        result TEXT NOT NULL,
        context TEXT,
        status TEXT NOT NULL,
        duplicate_of TEXT,
        broken_urls INTEGER NOT NULL DEFAULT 0,
        bronze_hash TEXT NOT NULL,
        config_hash TEXT NOT NULL,
        silver_hash TEXT NOT NULL,
        normalized_at INTEGER NOT NULL
      );
      CREATE TABLE product_keys (
        seq INTEGER PRIMARY KEY REFERENCES products(seq) ON DELETE CASCADE,
        bronze_hash TEXT NOT NULL,
        config_hash TEXT NOT NULL,
        brand TEXT,
        brand_key TEXT,
        keys TEXT NOT NULL
      );
      CREATE TABLE dup_keys (
        key TEXT NOT NULL,
        seq INTEGER NOT NULL,
        PRIMARY KEY (key, seq)
      ) WITHOUT ROWID;
      CREATE INDEX dup_keys_seq ON dup_keys(seq);
      CREATE TABLE brands (
        key TEXT PRIMARY KEY,
        canonical TEXT NOT NULL,
        source TEXT NOT NULL,
        aliases TEXT NOT NULL
      ) WITHOUT ROWID;
      CREATE TABLE url_cache (
        url TEXT PRIMARY KEY,
        state TEXT NOT NULL,
        reason TEXT,
        status INTEGER,
        content_type TEXT,
        width INTEGER,
        height INTEGER,
        detail TEXT,
        checked_at INTEGER NOT NULL
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 3,
    name: 'gold layer',
    sql: `
      CREATE TABLE gold (
        seq INTEGER PRIMARY KEY REFERENCES products(seq) ON DELETE CASCADE,
        result TEXT NOT NULL,
        status TEXT NOT NULL,
        score INTEGER,
        band TEXT,
        feed_ready INTEGER,
        top_gap TEXT,
        duplicate INTEGER NOT NULL DEFAULT 0,
        broken_urls INTEGER NOT NULL DEFAULT 0,
        silver_hash TEXT NOT NULL,
        rubric_version TEXT NOT NULL,
        analyzed_at INTEGER NOT NULL
      );
      CREATE INDEX gold_score ON gold(score);
      CREATE TABLE rubrics (
        version TEXT PRIMARY KEY,
        weights TEXT NOT NULL,
        bands TEXT NOT NULL
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 4,
    name: 'jobs',
    sql: `
      CREATE TABLE jobs (
        id INTEGER PRIMARY KEY,
        stage TEXT NOT NULL,
        scope TEXT NOT NULL,
        options TEXT NOT NULL,
        status TEXT NOT NULL,
        total INTEGER NOT NULL DEFAULT 0,
        done INTEGER NOT NULL DEFAULT 0,
        errors INTEGER NOT NULL DEFAULT 0,
        started_at INTEGER NOT NULL,
        finished_at INTEGER,
        heartbeat_at INTEGER NOT NULL,
        pid INTEGER NOT NULL,
        host TEXT NOT NULL,
        cancel_requested INTEGER NOT NULL DEFAULT 0,
        log_file TEXT,
        summary TEXT,
        error TEXT
      );
      CREATE TABLE job_items (
        job_id INTEGER NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
        seq INTEGER NOT NULL,
        done INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (job_id, seq)
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 5,
    name: 'covering indexes for stale checks',
    // Products, silver and gold rows carry whole records, so a check of their hashes read
    // every page of the three tables (6.4 s on 1,000,000 products for nothing stale); these
    // indexes hold only what the checks compare, in load order (0.5 s).
    sql: `
      CREATE INDEX products_seq_hash ON products(seq, bronze_hash);
      CREATE INDEX silver_hashes ON silver(seq, bronze_hash, config_hash, silver_hash);
      CREATE INDEX gold_hashes ON gold(seq, silver_hash, rubric_version);
    `,
  },
  {
    version: 6,
    name: 'stage derived from the layers',
    // Keeping a stage column current rewrote each product's row at every normalize and
    // analyze; the stage is now computed from the layers where it is read (STAGE_SQL).
    sql: `
      ALTER TABLE products DROP COLUMN stage;
    `,
  },
  {
    version: 7,
    name: 'staged duplicate keys',
    // New keys are appended here and moved into dup_keys in key order (see saveKeys); the
    // index on seq went with it: a product's old keys are found in product_keys instead.
    sql: `
      DROP INDEX dup_keys_seq;
      CREATE TABLE dup_keys_new (
        key TEXT NOT NULL,
        seq INTEGER NOT NULL
      );
    `,
  },
  {
    version: 8,
    name: 'job process identity',
    // A live pid may be another process's (a reboot, a container where every run is pid 1):
    // the claiming process's start time and the boot it ran in tell them apart.
    sql: `
      ALTER TABLE jobs ADD COLUMN start_time INTEGER;
      ALTER TABLE jobs ADD COLUMN boot_id TEXT;
    `,
  },
  {
    version: 9,
    name: 'stale silver',
    // silver_stale: products whose silver may no longer be what a fresh run gives though their own
    // bronze did not change (a product they share a key or a duplicate link with changed, or their
    // brand's canonical spelling did). dup_keys_changed: keys whose holders changed, kept until
    // their holders are marked, so a run killed in between still marks them.
    sql: `
      CREATE TABLE silver_stale (
        seq INTEGER PRIMARY KEY REFERENCES products(seq) ON DELETE CASCADE
      );
      CREATE TABLE dup_keys_changed (
        key TEXT PRIMARY KEY,
        min_seq INTEGER NOT NULL,
        changes INTEGER NOT NULL
      ) WITHOUT ROWID;
      CREATE INDEX silver_duplicate_of ON silver(duplicate_of) WHERE duplicate_of IS NOT NULL;
      CREATE INDEX product_keys_brand ON product_keys(brand_key);
    `,
  },
  {
    version: 10,
    name: 'feed validators',
    // What a feed URL's server answered last time, sent back so an unchanged feed is not downloaded again.
    sql: `
      CREATE TABLE feed_sources (
        url TEXT PRIMARY KEY,
        etag TEXT,
        last_modified TEXT,
        loaded_at INTEGER NOT NULL
      );
    `,
  },
  {
    version: 11,
    name: 'similar titles',
    // similar_links: mutual best similar titles over the whole catalog, the later product to the
    // earlier, recomputed when keys change. similar_pass: one row once a pass has run.
    sql: `
      CREATE TABLE similar_links (
        seq INTEGER PRIMARY KEY REFERENCES products(seq) ON DELETE CASCADE,
        target INTEGER NOT NULL,
        score REAL NOT NULL
      );
      CREATE TABLE similar_pass (done INTEGER NOT NULL);
    `,
  },
  {
    version: 12,
    name: 'typed gold',
    // Gold was one JSON text per product that every reader parsed and every analyze wrote whole.
    // Its parts are columns now, with JSON only for the lists; the views are the public face of
    // them (docs/sql-gold.md). The old table is copied in load order and dropped once copied; the
    // indexes are built after the copy, in one sort each.
    sql: `
      DROP INDEX gold_score;
      DROP INDEX gold_hashes;
      ALTER TABLE gold RENAME TO gold_v11;
      CREATE TABLE gold (
        seq INTEGER PRIMARY KEY REFERENCES products(seq) ON DELETE CASCADE,
        status TEXT NOT NULL,
        error TEXT,
        score INTEGER,
        band TEXT,
        feed_ready INTEGER,
        channel TEXT,
        ${STAGE_COLUMNS.map((stage) => `${stage} REAL`).join(', ')},
        capped_by TEXT,
        top_gap TEXT,
        gaps TEXT,
        missing_fields TEXT,
        category_classes TEXT,
        blockers TEXT,
        lost_by_reason TEXT,
        duplicate INTEGER NOT NULL DEFAULT 0,
        broken_urls INTEGER NOT NULL DEFAULT 0,
        silver_hash TEXT NOT NULL,
        rubric_version TEXT NOT NULL,
        analyzed_at INTEGER NOT NULL
      );
      CREATE VIEW assay_scores AS
        SELECT p.id, g.score, g.band, g.feed_ready, g.channel, ${STAGE_COLUMNS.map((stage) => `g.${stage}`).join(', ')},
               g.capped_by, g.top_gap, g.status, g.error, g.rubric_version,
               strftime('%Y-%m-%dT%H:%M:%fZ', g.analyzed_at / 1000.0, 'unixepoch') AS analyzed_at
        FROM gold g JOIN products p ON p.seq = g.seq;
      CREATE VIEW assay_gaps AS
        SELECT p.id, gap.key + 1 AS rank, json_extract(gap.value, '$.field') AS field,
               json_extract(gap.value, '$.pointsLost') AS points_lost, json_extract(gap.value, '$.reasons') AS reasons
        FROM gold g JOIN products p ON p.seq = g.seq, json_each(g.gaps) gap;
      CREATE VIEW assay_blockers AS
        SELECT p.id, g.channel, json_extract(b.value, '$.code') AS code, json_extract(b.value, '$.field') AS field,
               json_extract(b.value, '$.attribute') AS attribute, json_extract(b.value, '$.message') AS message
        FROM gold g JOIN products p ON p.seq = g.seq, json_each(g.blockers) b;
    `,
    copy: {
      pending: "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'gold_v11'",
      step: `
        INSERT INTO gold (seq, status, error, score, band, feed_ready, channel, ${STAGE_COLUMNS.join(', ')}, capped_by, top_gap,
                          gaps, missing_fields, category_classes, blockers, lost_by_reason, duplicate, broken_urls, silver_hash, rubric_version, analyzed_at)
        SELECT seq, status, ${fromResult('error')}, score, band, feed_ready, ${fromResult('channel')},
               ${STAGE_COLUMNS.map((stage) => fromResult(`stages.${stage}`)).join(', ')}, ${fromResult('cappedBy')}, top_gap,
               ${['gaps', 'missingFields', 'categoryClasses', 'blockers', 'lostByReason'].map(fromResult).join(', ')},
               duplicate, broken_urls, silver_hash, rubric_version, analyzed_at
        FROM gold_v11 WHERE seq > (SELECT coalesce(max(seq), 0) FROM gold) ORDER BY seq LIMIT ${COPY_BATCH}`,
      finish: `
        DROP TABLE gold_v11;
        CREATE INDEX gold_score ON gold(score);
        CREATE INDEX gold_hashes ON gold(seq, silver_hash, rubric_version);
      `,
    },
  },
];

export const LATEST_VERSION = MIGRATIONS[MIGRATIONS.length - 1].version;
