-- gongkai warehouse schema. The names here are the contract of
-- ../shared/contract/WAREHOUSE.md: add, never rename or drop.
-- Amounts are DECIMAL(18,2) in yuan; codes are VARCHAR.

-- One row per document. A document is one file, or the files of a split
-- disclosure (document_files): its id is the lowercase hex SHA-256 of its
-- file's bytes, as the contract says; for a document merged from several
-- files (Beijing's 附件1 narrative + 附件2 tables) it is the SHA-256 of the
-- files' SHA-256 hex strings, sorted and joined by "\n" — order-free, so the
-- same files give the same id whichever arrived first. source_path,
-- source_format and encoding are then the tables file's; pages and
-- byte_size the files' sums.
CREATE TABLE IF NOT EXISTS documents (
    document_id     VARCHAR PRIMARY KEY,   -- see above
    source_path     VARCHAR NOT NULL,      -- the path as given to ingest
    source_format   VARCHAR NOT NULL,      -- text | pdf | scanned_pdf | xlsx | xls | docx | doc | html
    encoding        VARCHAR,               -- utf-8 | utf-8-bom | gb18030 (text exports)
    region          VARCHAR,
    department_code VARCHAR,
    department_name VARCHAR,
    fiscal_year     INTEGER,
    stage           VARCHAR,               -- budget | final_account
    is_current      BOOLEAN NOT NULL,
    ingested_at     TIMESTAMP NOT NULL,
    superseded_by   VARCHAR,               -- document_id of the newer file, when not current
    pages           INTEGER,
    byte_size       BIGINT
);

-- budget_lines: one amount per cell. The cell is (document_id, table_key,
-- side, line, item_name, measure): item_name is part of it because a line
-- of one side can print two items, each with its own amount (Jiangsu's
-- 收支预算总表 prints a 功能分类 item and a 支出用途 item on one line of the
-- expenditure side). load refuses a document with two amounts for one cell
-- before writing anything of it (load.DuplicateCellError), and the unique
-- index budget_lines_cell (sql/keys.sql) backs that in the warehouse. A row
-- whose line is unknown (NULL) is in no cell of the index: SQL's NULLs are
-- distinct, and such a row cannot be told from another one anyway.
CREATE TABLE IF NOT EXISTS budget_lines (
    document_id VARCHAR NOT NULL,
    table_key   VARCHAR NOT NULL,
    side        VARCHAR NOT NULL CHECK (side IN ('income', 'expenditure', '')),
    item_code   VARCHAR NOT NULL,
    item_name   VARCHAR NOT NULL,
    item_level  SMALLINT NOT NULL,         -- 1 类, 2 款, 3 项; 0 totals and uncoded rows
    measure     VARCHAR NOT NULL,
    amount_yuan DECIMAL(18,2) NOT NULL,
    raw         VARCHAR NOT NULL,
    page        INTEGER,
    line        INTEGER
);

CREATE TABLE IF NOT EXISTS source_tables (
    document_id VARCHAR NOT NULL,
    table_key   VARCHAR NOT NULL,
    title       VARCHAR NOT NULL,
    page        INTEGER,
    line        INTEGER,
    status      VARCHAR NOT NULL,          -- present | empty
    row_count   INTEGER NOT NULL,          -- body rows holding at least one amount
    unit        VARCHAR                    -- as printed: 万元 | 元
);

CREATE TABLE IF NOT EXISTS projects (
    document_id                VARCHAR NOT NULL,
    funding                    VARCHAR NOT NULL,  -- current | carryover
    project_name               VARCHAR NOT NULL,
    project_name_raw           VARCHAR NOT NULL,
    unit_name                  VARCHAR,           -- the unit subtotal row it is listed under
    amount_yuan                DECIMAL(18,2) NOT NULL,
    general_public_budget_yuan DECIMAL(18,2),
    has_performance_target     BOOLEAN NOT NULL,
    page                       INTEGER,
    line                       INTEGER
);

CREATE TABLE IF NOT EXISTS performance_forms (
    document_id         VARCHAR NOT NULL,
    scope               VARCHAR NOT NULL CHECK (scope IN ('department', 'project')),
    project_name        VARCHAR,           -- canonical, linked to projects; NULL for the department form
    project_name_raw    VARCHAR,           -- as printed in the form
    linked              BOOLEAN NOT NULL,  -- found in the project tables
    department_code     VARCHAR,           -- canonical (see corrections for the printed variants)
    department_code_raw VARCHAR,           -- the printed 主管部门及代码 / 部门名称 cell
    implementing_unit   VARCHAR,           -- 实施单位
    project_attribute   VARCHAR,           -- 项目属性
    project_period      VARCHAR,           -- 项目期 as printed
    total_funding_yuan  DECIMAL(18,2),     -- 实施期资金总额 (department form: 年度预算 合计)
    annual_funding_yuan DECIMAL(18,2),     -- 年度资金总额
    overview            VARCHAR,           -- 项目概况
    basis               VARCHAR,           -- 立项依据
    necessity           VARCHAR,           -- 项目设立必要性
    measures            VARCHAR,           -- 保证项目实施的制度、措施
    plan                VARCHAR,           -- 项目实施计划
    goal_implementation VARCHAR,           -- 总体目标, 实施期
    goal_annual         VARCHAR,           -- 总体目标 / 年度绩效目标, 年度
    filed_at            TIMESTAMP,         -- 填报日期
    page                INTEGER,
    line                INTEGER
);

-- 资金来源 lines of the forms, per horizon.
CREATE TABLE IF NOT EXISTS performance_form_funding (
    document_id  VARCHAR NOT NULL,
    project_name VARCHAR,                  -- NULL for the department form
    horizon      VARCHAR NOT NULL,         -- implementation | annual
    source       VARCHAR NOT NULL,         -- 中央财政资金, 省级财政资金, 市县(区)财政资金, 单位自筹, 其他资金
    amount_yuan  DECIMAL(18,2),            -- NULL when the cell is empty
    raw          VARCHAR,
    line         INTEGER
);

CREATE TABLE IF NOT EXISTS performance_indicators (
    document_id  VARCHAR NOT NULL,
    project_name VARCHAR,                  -- NULL for the department form
    horizon      VARCHAR NOT NULL CHECK (horizon IN ('implementation', 'annual')),
    level1       VARCHAR,
    level2       VARCHAR,
    level3       VARCHAR,
    target_raw   VARCHAR,
    target_op    VARCHAR,                  -- >=, <=, >, <, = ; NULL when the target is words (及时, 合理)
    target_value DECIMAL(18,4),
    target_unit  VARCHAR,                  -- %, 万元, 元/人/天, 人 …
    page         INTEGER,
    line         INTEGER
);

-- Figures the document states in words: narrative (说明), profile, 绩效 text.
-- Keys and units are documented in transform/facts.go.
CREATE TABLE IF NOT EXISTS document_facts (
    document_id VARCHAR NOT NULL,
    fact_key    VARCHAR NOT NULL,
    value       DECIMAL(18,4) NOT NULL,
    unit        VARCHAR NOT NULL,          -- yuan | pct | person | vehicle | m2 | count
    raw         VARCHAR,
    page        INTEGER,
    line        INTEGER
);

CREATE TABLE IF NOT EXISTS corrections (
    document_id      VARCHAR NOT NULL,
    field            VARCHAR NOT NULL,
    raw_value        VARCHAR,
    normalized_value VARCHAR,
    rule             VARCHAR NOT NULL,
    evidence         VARCHAR,
    page             INTEGER,
    line             INTEGER
);

CREATE TABLE IF NOT EXISTS findings (
    document_id VARCHAR NOT NULL,
    check_id    VARCHAR NOT NULL,
    severity    VARCHAR NOT NULL CHECK (severity IN ('error', 'warning', 'info')),
    table_key   VARCHAR,
    message     VARCHAR NOT NULL,
    expected    VARCHAR,
    actual      VARCHAR,
    page        INTEGER,
    line        INTEGER
);
-- The other document of a cross-document finding (xdoc.*); NULL otherwise.
-- Added after the first release, so warehouses made before get it here.
ALTER TABLE findings ADD COLUMN IF NOT EXISTS related_document_id VARCHAR;
-- Scanned documents: Tesseract's confidence in the cell, 0–100 (NULL for a
-- text layer or text export). Every document: whether the sums of its table
-- that the amount takes part in hold ('holds'), one does not ('broken'), or
-- it takes part in none (NULL). Added after the first release.
ALTER TABLE budget_lines ADD COLUMN IF NOT EXISTS ocr_confidence SMALLINT;
ALTER TABLE budget_lines ADD COLUMN IF NOT EXISTS sum_check VARCHAR;

-- Whose disclosure it is, as the document states it (added after the first
-- release; NULL in warehouses made before, and when transform did not say):
-- scope 'department' for a 部门预算/决算 (the department with its units),
-- 'unit' for a 单位预算/决算 (one unit alone); identity_source 'document'
-- when the document's own text gave department, year and stage, 'file_name'
-- when it states no department or year at all and its file name supplied
-- them (a last resort; such a document also has an identity.file_name
-- warning in findings).
ALTER TABLE documents ADD COLUMN IF NOT EXISTS scope VARCHAR;
ALTER TABLE documents ADD COLUMN IF NOT EXISTS identity_source VARCHAR;

-- The files of each document. A file's role is what it holds: 'tables' when
-- it has standard tables with amounts and no narrative facts, 'narrative'
-- when it has narrative facts (document_facts) but no table amounts,
-- 'whole' otherwise (the usual disclosure, everything in one file). A
-- narrative and a tables file that state the same region, department,
-- fiscal year and stage are one document (file names never group them: a
-- file identified by its file name joins only a file whose own text states
-- that identity, as Beijing's tables join their narrative): in one
-- run they merge before loading; when one arrives after the other was
-- loaded, the loaded one is re-read from source_path (only if its bytes
-- still have this sha256), the two merge, and the merged document
-- supersedes the partial one. In a merged document, budget_lines, projects
-- and the forms come from the tables file and document_facts from the
-- narrative file: their page and line are of that file. Warehouses made
-- before get one row per document here (the backfill below).
CREATE TABLE IF NOT EXISTS document_files (
    document_id   VARCHAR NOT NULL,
    source_path   VARCHAR NOT NULL,        -- the path as given to ingest
    sha256        VARCHAR NOT NULL,        -- lowercase hex SHA-256 of the file's bytes
    role          VARCHAR NOT NULL CHECK (role IN ('whole', 'tables', 'narrative')),
    source_format VARCHAR NOT NULL,        -- text | pdf | scanned_pdf | xlsx | xls | docx | doc | html
    encoding      VARCHAR,
    pages         INTEGER,
    byte_size     BIGINT,
    PRIMARY KEY (document_id, sha256)
);
INSERT INTO document_files (document_id, source_path, sha256, role, source_format, encoding, pages, byte_size)
SELECT d.document_id, d.source_path, d.document_id,
       CASE WHEN EXISTS (SELECT 1 FROM budget_lines b WHERE b.document_id = d.document_id)
                 AND NOT EXISTS (SELECT 1 FROM document_facts x WHERE x.document_id = d.document_id) THEN 'tables'
            WHEN EXISTS (SELECT 1 FROM document_facts x WHERE x.document_id = d.document_id)
                 AND NOT EXISTS (SELECT 1 FROM budget_lines b WHERE b.document_id = d.document_id) THEN 'narrative'
            ELSE 'whole' END,
       d.source_format, d.encoding, d.pages, d.byte_size
FROM documents d
WHERE NOT EXISTS (SELECT 1 FROM document_files f WHERE f.document_id = d.document_id);

CREATE TABLE IF NOT EXISTS ingest_runs (
    run_id          VARCHAR PRIMARY KEY,
    started_at      TIMESTAMP NOT NULL,
    finished_at     TIMESTAMP,             -- NULL while running or when the run was killed
    files_seen      INTEGER NOT NULL DEFAULT 0,
    files_loaded    INTEGER NOT NULL DEFAULT 0,
    files_unchanged INTEGER NOT NULL DEFAULT 0,
    files_failed    INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE IF NOT EXISTS ingest_files (
    run_id      VARCHAR NOT NULL,
    source_path VARCHAR NOT NULL,
    document_id VARCHAR,                   -- NULL when the file could not be read
    outcome     VARCHAR NOT NULL,          -- loaded | unchanged | failed
    error       VARCHAR,
    recorded_at TIMESTAMP NOT NULL
);
-- Size and modification time as seen by the run: a file whose size and
-- mtime are unchanged since it was last loaded is skipped without reading.
-- The file of a merged document each row was read from (document_files.sha256):
-- a disclosure published as one workbook per table and a narrative keeps,
-- for every amount, table, project, form and fact, the file it came from,
-- whose page and line its page and line are. NULL when the document is one
-- file (its document_id is that file's SHA-256).
ALTER TABLE budget_lines ADD COLUMN IF NOT EXISTS file_sha256 VARCHAR;
ALTER TABLE source_tables ADD COLUMN IF NOT EXISTS file_sha256 VARCHAR;
ALTER TABLE projects ADD COLUMN IF NOT EXISTS file_sha256 VARCHAR;
ALTER TABLE performance_forms ADD COLUMN IF NOT EXISTS file_sha256 VARCHAR;
ALTER TABLE document_facts ADD COLUMN IF NOT EXISTS file_sha256 VARCHAR;

ALTER TABLE ingest_files ADD COLUMN IF NOT EXISTS byte_size BIGINT;
ALTER TABLE ingest_files ADD COLUMN IF NOT EXISTS modified_at TIMESTAMP;
-- The shard a run was made on, when `gongkai merge` brought it here from a
-- shard warehouse (or its Parquet export): the shard as named to merge.
-- NULL for a run on this warehouse itself. Added for merge (issue 16).
ALTER TABLE ingest_runs ADD COLUMN IF NOT EXISTS shard VARCHAR;

-- Catalog of table keys and their Chinese names.
CREATE TABLE IF NOT EXISTS catalog_tables (
    table_key VARCHAR PRIMARY KEY,
    name_zh   VARCHAR NOT NULL,
    ordinal   INTEGER NOT NULL
);

-- The schema version, for the tools that read a warehouse whole (gongkai
-- merge): the version of this file the warehouse was last opened with. It
-- is raised only by a change that a merge cannot carry across by column
-- name (a column whose meaning or type changed, a table split); additive
-- changes (the ALTER … ADD COLUMN IF NOT EXISTS above) keep it, and a
-- shard of an older gongkai merges with its missing columns NULL.
-- load.SchemaVersion is the same number; merge refuses a shard whose
-- version is higher. A view, not a table, so that it needs no row kept up
-- to date and every export lists it; a warehouse made before it has none
-- until its next open (merge takes one without it by its columns).
CREATE OR REPLACE VIEW warehouse_schema AS SELECT 1 AS schema_version;
