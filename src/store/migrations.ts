/**
 * Ordered schema migrations. Each runs once, in its own transaction, and bumps
 * the version recorded in `schema_version`. Never edit a released migration:
 * add a new one.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
  /** Rows moved to a new table before `sql` runs, a batch per transaction (see RowCopy). */
  copy?: RowCopy;
}

/**
 * A copy too large for one transaction. `prepare` creates the target if it is missing; each
 * `batch` (bound to `limit`) copies the next rows in seq order after the last one the target
 * holds, so the target itself records how far the copy got: a migration killed between two
 * batches goes on from there when the catalog is opened again. `position` and `end` give the
 * last seq copied and the last seq to copy, for progress.
 */
export interface RowCopy {
  prepare: string;
  batch: string;
  position: string;
  end: string;
}

const STAGE_COLUMNS = ['identity', 'taxonomy', 'content', 'media', 'pricing', 'attributes', 'seo'];

/** `json_extract`, not `->>`: a view must parse in the sqlite3 shells people open the file with. */
const fromResult = (path: string) => `json_extract(result, '$.${path}')`;

/** SQL: the ISO 8601 text of a time kept in milliseconds, as `--json` documents give times. */
const iso = (ms: string) => `strftime('%Y-%m-%dT%H:%M:%S', ${ms} / 1000, 'unixepoch') || printf('.%03dZ', ${ms} % 1000)`;

/** assay_products: made with the other views, and again when a later migration swaps a table it reads. */
const VIEWS_PRODUCTS = `
  CREATE VIEW assay_products AS
    SELECT p.id, p.seq,
      CASE
        WHEN s.status = 'success' AND s.bronze_hash = p.bronze_hash AND NOT EXISTS (SELECT 1 FROM silver_stale m WHERE m.seq = p.seq)
          AND g.status = 'success' AND g.silver_hash = s.silver_hash THEN 'gold'
        WHEN s.status = 'success' AND s.bronze_hash = p.bronze_hash AND NOT EXISTS (SELECT 1 FROM silver_stale m WHERE m.seq = p.seq) THEN 'silver'
        ELSE 'bronze' END AS stage,
      p.source_file, p.source_line, ${iso('p.loaded_at')} AS loaded_at,
      s.status, s.error, s.sku, s.gtin, s.mpn, s.title, s.description, s.short_description, s.brand, s.category_path, s.taxonomy_id,
      s.price, s.original_price, s.currency, s.availability, s.condition, s.identifier_exists, s.primary_image_url,
      s.additional_image_urls, s.product_url, s.attributes, s.fields_normalized, s.urls_validated, s.brand_linked,
      s.duplicate_of, s.duplicate_reason, s.duplicate_value, s.broken_urls AS broken_url_count, s.broken_url_list AS broken_urls, s.issues,
      CASE WHEN s.seq IS NULL THEN NULL ELSE s.bronze_hash = p.bronze_hash AND NOT EXISTS (SELECT 1 FROM silver_stale m WHERE m.seq = p.seq) END AS silver_current,
      CASE WHEN s.seq IS NULL THEN NULL ELSE ${iso('s.normalized_at')} END AS normalized_at
    FROM products p LEFT JOIN silver s ON s.seq = p.seq LEFT JOIN gold g ON g.seq = p.seq;
`;

/**
 * The read-only views, views version 1 (docs/sql.md): those of silver here, those of gold with
 * typed gold (schema 13). Within a views version, columns are only ever added at the end;
 * renaming, removing or retyping one is a new version.
 */
const VIEWS_12 = `
  CREATE VIEW assay_schema AS
    SELECT (SELECT max(version) FROM schema_version) AS schema_version, 1 AS views_version;
  ${VIEWS_PRODUCTS}
  CREATE VIEW assay_duplicates AS
    SELECT p.id, p.seq, s.title, s.duplicate_of, d.seq AS duplicate_of_seq, ds.title AS duplicate_of_title,
      s.duplicate_reason AS reason, s.duplicate_value AS value
    FROM silver s JOIN products p ON p.seq = s.seq LEFT JOIN products d ON d.id = s.duplicate_of LEFT JOIN silver ds ON ds.seq = d.seq
    WHERE s.duplicate_of IS NOT NULL;
`;

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
    name: 'typed silver',
    // Each Silver field gets a column of its own (lists and open-ended maps stay JSON), so readers
    // and SQL users stop parsing three JSON documents per product; the views assay_products and
    // assay_duplicates are the documented way to read them (docs/sql.md). silver_hash is copied
    // as it is: gold scored from a row stays current, as its silver did not change.
    copy: {
      prepare: `
        DROP INDEX IF EXISTS silver_hashes;
        DROP INDEX IF EXISTS silver_duplicate_of;
        CREATE TABLE IF NOT EXISTS silver_typed (
          seq INTEGER PRIMARY KEY REFERENCES products(seq) ON DELETE CASCADE,
          status TEXT NOT NULL,
          error TEXT,
          sku TEXT,
          gtin TEXT,
          mpn TEXT,
          title TEXT,
          description TEXT,
          short_description TEXT,
          brand TEXT,
          category_path TEXT,
          taxonomy_id TEXT,
          price REAL,
          original_price REAL,
          currency TEXT,
          availability TEXT,
          primary_image_url TEXT,
          additional_image_urls TEXT,
          product_url TEXT,
          condition TEXT,
          identifier_exists INTEGER,
          attributes TEXT,
          fields_normalized INTEGER NOT NULL,
          urls_validated INTEGER NOT NULL,
          duplicate_of TEXT,
          duplicate_reason TEXT,
          duplicate_value TEXT,
          broken_urls INTEGER NOT NULL,
          broken_url_list TEXT NOT NULL,
          brand_linked INTEGER,
          image_states TEXT,
          issues TEXT,
          from_store TEXT,
          bronze_hash TEXT NOT NULL,
          config_hash TEXT NOT NULL,
          silver_hash TEXT NOT NULL,
          normalized_at INTEGER NOT NULL
        );
        CREATE INDEX IF NOT EXISTS silver_hashes ON silver_typed(seq, bronze_hash, config_hash, silver_hash);
        CREATE INDEX IF NOT EXISTS silver_duplicate_of ON silver_typed(duplicate_of) WHERE duplicate_of IS NOT NULL;
      `,
      batch: `
        INSERT INTO silver_typed
        SELECT seq, status, json_extract(result, '$.error'),
          json_extract(record, '$.sku'), json_extract(record, '$.gtin'), json_extract(record, '$.mpn'), json_extract(record, '$.title'),
          json_extract(record, '$.description'), json_extract(record, '$.shortDescription'), json_extract(record, '$.brand'),
          json_extract(record, '$.categoryPath'), json_extract(record, '$.taxonomyId'), json_extract(record, '$.price'),
          json_extract(record, '$.originalPrice'), json_extract(record, '$.currency'), json_extract(record, '$.availability'),
          json_extract(record, '$.primaryImageUrl'), CASE WHEN record IS NOT NULL THEN coalesce(json_extract(record, '$.additionalImageUrls'), '[]') END,
          json_extract(record, '$.productUrl'), json_extract(record, '$.condition'), json_extract(record, '$.identifierExists'),
          CASE WHEN record IS NOT NULL THEN coalesce(json_extract(record, '$.attributes'), '{}') END,
          coalesce(json_extract(result, '$.fieldsNormalized'), 0), coalesce(json_extract(result, '$.urlsValidated'), 0),
          duplicate_of, json_extract(result, '$.duplicateReason'), json_extract(result, '$.duplicateValue'),
          broken_urls, coalesce(json_extract(result, '$.brokenUrls'), '[]'),
          json_extract(context, '$.brandLinked'), json_extract(context, '$.imageStates'),
          CASE WHEN context IS NOT NULL THEN coalesce(json_extract(context, '$.issues'), '[]') END, json_extract(context, '$.fromStore'),
          bronze_hash, config_hash, silver_hash, normalized_at
        FROM silver WHERE seq > (SELECT coalesce(max(seq), 0) FROM silver_typed) ORDER BY seq LIMIT @limit
      `,
      position: 'SELECT coalesce(max(seq), 0) FROM silver_typed',
      end: 'SELECT coalesce(max(seq), 0) FROM silver',
    },
    sql: `
      DROP TABLE silver;
      ALTER TABLE silver_typed RENAME TO silver;
      ${VIEWS_12}
    `,
  },
  {
    version: 13,
    name: 'typed gold',
    // Gold was one JSON text per product that every reader parsed and every analyze wrote whole.
    // Its parts are columns now, with JSON only for the lists; the views assay_scores, assay_gaps
    // and assay_blockers are the public face of them (docs/sql.md). The rows are copied in load
    // order before the old table goes; the indexes are built after the copy, in one sort each.
    copy: {
      prepare: `
      CREATE TABLE IF NOT EXISTS gold_typed (
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
      `,
      batch: `
        INSERT INTO gold_typed (seq, status, error, score, band, feed_ready, channel, ${STAGE_COLUMNS.join(', ')}, capped_by, top_gap,
                          gaps, missing_fields, category_classes, blockers, lost_by_reason, duplicate, broken_urls, silver_hash, rubric_version, analyzed_at)
        SELECT seq, status, ${fromResult('error')}, score, band, feed_ready, ${fromResult('channel')},
               ${STAGE_COLUMNS.map((stage) => fromResult(`stages.${stage}`)).join(', ')}, ${fromResult('cappedBy')}, top_gap,
               ${['gaps', 'missingFields', 'categoryClasses', 'blockers', 'lostByReason'].map(fromResult).join(', ')},
               duplicate, broken_urls, silver_hash, rubric_version, analyzed_at
        FROM gold WHERE seq > (SELECT coalesce(max(seq), 0) FROM gold_typed) ORDER BY seq LIMIT @limit
      `,
      position: 'SELECT coalesce(max(seq), 0) FROM gold_typed',
      end: 'SELECT coalesce(max(seq), 0) FROM gold',
    },
    // assay_products reads gold: it goes while the table is swapped, and comes back as it was.
    sql: `
      DROP VIEW assay_products;
      DROP TABLE gold;
      ALTER TABLE gold_typed RENAME TO gold;
      CREATE INDEX gold_score ON gold(score);
      CREATE INDEX gold_hashes ON gold(seq, silver_hash, rubric_version);
      ${VIEWS_PRODUCTS}
      CREATE VIEW assay_scores AS
        SELECT p.id, g.score, g.band, g.feed_ready, g.channel, ${STAGE_COLUMNS.map((stage) => `g.${stage}`).join(', ')},
               g.capped_by, g.top_gap, g.status, g.error, g.rubric_version,
               ${iso('g.analyzed_at')} AS analyzed_at
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
  },
];

export const LATEST_VERSION = MIGRATIONS[MIGRATIONS.length - 1].version;
