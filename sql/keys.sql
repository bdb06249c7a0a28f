-- One cell, one amount (see budget_lines in schema.sql): the warehouse's
-- guard behind load's own check. A unique index rather than a PRIMARY KEY:
-- DuckDB's primary key makes every column NOT NULL, and line is NULL where
-- it is unknown; ALTER TABLE … ADD PRIMARY KEY fails on such rows, and a
-- CREATE UNIQUE INDEX works the same on a new warehouse and on one made
-- before. On a warehouse made before that holds two amounts for one cell
-- (documents loaded before the key), this statement fails: load then
-- leaves the index off, logs a warning naming how many cells and which
-- documents, and tries again at the next open (load/warehouse.go,
-- ensureCellKey); new documents are still refused by load's own check.
CREATE UNIQUE INDEX IF NOT EXISTS budget_lines_cell
    ON budget_lines (document_id, table_key, side, line, item_name, measure);
