-- GenLedger ledger schema, version 2.
--
-- rollup_version: per UTC hour, a counter the writer bumps in the same transaction as any change
-- to that hour's rows or rollups (new rows, late rows, finalised jobs, article re-attribution).
-- The dashboard caches aggregates of closed hours and days and revalidates them with one indexed
-- read of these counters, so a cached answer is never staler than the snapshot it is served in.
-- An hour without a row here has version 0.
CREATE TABLE rollup_version (
    hour    timestamptz NOT NULL PRIMARY KEY,
    version bigint      NOT NULL
);
