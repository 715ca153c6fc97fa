-- GenLedger ledger schema, version 3.
--
-- The latency histogram becomes one row per (UTC day, provider, model, task) holding every bucket's
-- count in an array (element i + 1 counts bucket i, see genledger_latency_bucket), instead of one
-- row per bucket. A batch of 5,000 rows touched about 1,200 bucket rows; it now touches a few dozen
-- histogram rows, and the table is about twenty times smaller. Readers keep the old shape through
-- the view latency_hist_daily (day, provider, model, task, bucket, count), non-empty buckets only.

CREATE TABLE latency_hist (
    day      date   NOT NULL,
    provider text   NOT NULL,
    model    text,
    task     text,
    counts   int[]  NOT NULL,
    CONSTRAINT latency_hist_key UNIQUE NULLS NOT DISTINCT (day, provider, model, task)
) WITH (fillfactor = 50);

-- Element-wise sum of two histograms of any lengths (the shorter is padded with zeros).
CREATE FUNCTION genledger_hist_add(a int[], b int[]) RETURNS int[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT array_agg(coalesce(x, 0) + coalesce(y, 0) ORDER BY i)
      FROM unnest(a, b) WITH ORDINALITY AS t(x, y, i)
$$;

-- A histogram from parallel arrays of buckets and counts (counts may be negative: a delta).
CREATE FUNCTION genledger_hist_of(buckets int[], counts bigint[]) RETURNS int[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT array_agg(coalesce(t.c, 0)::int ORDER BY i)
      FROM generate_series(0, (SELECT max(x) FROM unnest(buckets) AS x)) AS i
      LEFT JOIN (SELECT b, sum(c) AS c FROM unnest(buckets, counts) AS u(b, c) GROUP BY b) t ON t.b = i
$$;

INSERT INTO latency_hist (day, provider, model, task, counts)
SELECT day, provider, model, task, genledger_hist_of(array_agg(bucket::int), array_agg(count))
  FROM latency_hist_daily
 GROUP BY day, provider, model, task;

DROP TABLE latency_hist_daily;

CREATE VIEW latency_hist_daily AS
SELECT h.day, h.provider, h.model, h.task, (b.i - 1)::smallint AS bucket, b.c::bigint AS count
  FROM latency_hist h
 CROSS JOIN LATERAL unnest(h.counts) WITH ORDINALITY AS b(c, i)
 WHERE b.c <> 0;
