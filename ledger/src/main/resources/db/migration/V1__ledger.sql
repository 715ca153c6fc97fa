-- GenLedger ledger schema, version 1.
--
-- generation: one row per call through the gateway, range-partitioned by month on started_at.
-- Partitions are created ahead by the writer and on demand for a row in any month
-- (genledger_ensure_partition). Ids are UUIDv7 made by the gateway; the primary key includes the
-- partition key, as PostgreSQL requires, and a replayed row (same id and started_at) is ignored.

CREATE TABLE article (
    article_id      text PRIMARY KEY,
    title           text,
    category        text,
    content_product text,
    url             text,
    published_at    timestamptz,
    first_seen_at   timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE generation (
    id                  uuid             NOT NULL,
    started_at          timestamptz      NOT NULL,
    provider            text             NOT NULL,
    operation           text             NOT NULL,
    endpoint            text,
    model               text,
    modality            text             NOT NULL CHECK (modality IN ('text', 'embedding', 'image', 'audio', 'video', 'none')),
    task                text,
    article_id          text,
    -- the X-Category / X-Content-Product headers as sent; the effective value falls back to the article's
    category            text,
    content_product     text,
    pipeline_step       text,
    parent_id           uuid,
    tags                jsonb            NOT NULL DEFAULT '{}',
    key_id              text,
    status              integer          NOT NULL,
    error               text,
    streamed            boolean          NOT NULL,
    state               text             NOT NULL CHECK (state IN ('complete', 'pending')),
    estimated           boolean          NOT NULL DEFAULT false,
    incomplete          boolean          NOT NULL DEFAULT false,
    input_tokens        bigint           NOT NULL DEFAULT 0,
    cached_input_tokens bigint           NOT NULL DEFAULT 0,
    output_tokens       bigint           NOT NULL DEFAULT 0,
    reasoning_tokens    bigint           NOT NULL DEFAULT 0,
    characters          bigint           NOT NULL DEFAULT 0,
    images              bigint           NOT NULL DEFAULT 0,
    media_seconds       numeric          NOT NULL DEFAULT 0,
    -- audio/image token splits, provider credits, price attributes (size, quality, tier, ...):
    -- with the columns above, everything needed to re-price the row
    usage_detail        jsonb            NOT NULL DEFAULT '{}',
    cost_usd            numeric,
    input_cost_usd      numeric,
    output_cost_usd     numeric,
    other_cost_usd      numeric,
    priced              boolean          NOT NULL,
    price_ref           text,
    latency_ms          double precision NOT NULL,
    ttfb_ms             double precision,
    request_bytes       bigint           NOT NULL,
    response_bytes      bigint           NOT NULL,
    upstream_request_id text,
    completed_at        timestamptz,
    PRIMARY KEY (id, started_at)
) PARTITION BY RANGE (started_at);

-- Window scans and newest-first cursor pagination.
CREATE INDEX generation_started_idx ON generation (started_at, id);
-- An article's lineage.
CREATE INDEX generation_article_idx ON generation (article_id, started_at) WHERE article_id IS NOT NULL;
-- Finalising async jobs: find the pending row by the provider's job id.
CREATE INDEX generation_pending_idx ON generation (provider, upstream_request_id) WHERE state = 'pending';

-- Creates the month partition holding ts, if it does not exist. Safe to race with another writer.
CREATE FUNCTION genledger_ensure_partition(ts timestamptz) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    lo   timestamptz := date_trunc('month', ts AT TIME ZONE 'UTC') AT TIME ZONE 'UTC';
    hi   timestamptz := (date_trunc('month', ts AT TIME ZONE 'UTC') + interval '1 month') AT TIME ZONE 'UTC';
    name text := 'generation_y' || to_char(ts AT TIME ZONE 'UTC', 'YYYY') || 'm' || to_char(ts AT TIME ZONE 'UTC', 'MM');
BEGIN
    IF to_regclass(name) IS NULL THEN
        BEGIN
            EXECUTE format('CREATE TABLE %I PARTITION OF generation FOR VALUES FROM (%L) TO (%L)', name, lo, hi);
        EXCEPTION WHEN duplicate_table OR unique_violation THEN
            NULL; -- another writer created it first
        END;
    END IF;
    RETURN name;
END;
$$;

-- Rollups, maintained by the ledger writer in the same transaction as the rows they count
-- (and by finalisation and article re-attribution, as signed deltas). Only generations count:
-- rows of modality 'none' (polls, listings) are left out. Dimension values are the effective
-- ones (category/content product from the headers, else the article's).
CREATE TABLE rollup_daily (
    day                 date             NOT NULL,
    provider            text             NOT NULL,
    model               text,
    modality            text             NOT NULL,
    task                text,
    category            text,
    content_product     text,
    key_id              text,
    generations         bigint           NOT NULL,
    errors              bigint           NOT NULL,
    unpriced            bigint           NOT NULL,
    pending             bigint           NOT NULL,
    estimated           bigint           NOT NULL,
    cost_usd            numeric          NOT NULL,
    input_cost_usd      numeric          NOT NULL,
    output_cost_usd     numeric          NOT NULL,
    other_cost_usd      numeric          NOT NULL,
    input_tokens        bigint           NOT NULL,
    cached_input_tokens bigint           NOT NULL,
    output_tokens       bigint           NOT NULL,
    reasoning_tokens    bigint           NOT NULL,
    characters          bigint           NOT NULL,
    images              bigint           NOT NULL,
    media_seconds       numeric          NOT NULL,
    latency_ms_sum      double precision NOT NULL,
    ttfb_ms_sum         double precision NOT NULL,
    -- sum of (latency - ttfb): generation time, for output tokens per second
    gen_ms_sum          double precision NOT NULL,
    CONSTRAINT rollup_daily_key UNIQUE NULLS NOT DISTINCT
        (day, provider, model, modality, task, category, content_product, key_id)
) WITH (fillfactor = 50);

-- The same, by UTC hour: window edges (7d is the last 168 hours, not whole days) and daily
-- buckets in a time zone other than UTC.
CREATE TABLE rollup_hourly (
    hour                timestamptz      NOT NULL,
    provider            text             NOT NULL,
    model               text,
    modality            text             NOT NULL,
    task                text,
    category            text,
    content_product     text,
    key_id              text,
    generations         bigint           NOT NULL,
    errors              bigint           NOT NULL,
    unpriced            bigint           NOT NULL,
    pending             bigint           NOT NULL,
    estimated           bigint           NOT NULL,
    cost_usd            numeric          NOT NULL,
    input_cost_usd      numeric          NOT NULL,
    output_cost_usd     numeric          NOT NULL,
    other_cost_usd      numeric          NOT NULL,
    input_tokens        bigint           NOT NULL,
    cached_input_tokens bigint           NOT NULL,
    output_tokens       bigint           NOT NULL,
    reasoning_tokens    bigint           NOT NULL,
    characters          bigint           NOT NULL,
    images              bigint           NOT NULL,
    media_seconds       numeric          NOT NULL,
    latency_ms_sum      double precision NOT NULL,
    ttfb_ms_sum         double precision NOT NULL,
    gen_ms_sum          double precision NOT NULL,
    CONSTRAINT rollup_hourly_key UNIQUE NULLS NOT DISTINCT
        (hour, provider, model, modality, task, category, content_product, key_id)
) WITH (fillfactor = 50);
CREATE INDEX rollup_hourly_hour_idx ON rollup_hourly (hour);

-- Latency histogram per UTC day: bucket b holds latencies in [1.05^b - 1, 1.05^(b+1) - 1) ms,
-- so a percentile read from it is within 2.5% of the exact value (see genledger_latency_bucket).
CREATE TABLE latency_hist_daily (
    day      date     NOT NULL,
    provider text     NOT NULL,
    model    text,
    task     text,
    bucket   smallint NOT NULL,
    count    bigint   NOT NULL,
    CONSTRAINT latency_hist_daily_key UNIQUE NULLS NOT DISTINCT (day, provider, model, task, bucket)
) WITH (fillfactor = 50);

CREATE FUNCTION genledger_latency_bucket(ms double precision) RETURNS smallint
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT least(floor(ln(greatest(ms, 0) + 1) / ln(1.05)), 32767)::smallint
$$;

-- Per article per UTC day: content cost over any window without scanning rows.
CREATE TABLE article_daily (
    day             date    NOT NULL,
    article_id      text    NOT NULL,
    category        text,
    content_product text,
    generations     bigint  NOT NULL,
    unpriced        bigint  NOT NULL,
    cost_usd        numeric NOT NULL,
    input_tokens    bigint  NOT NULL,
    output_tokens   bigint  NOT NULL,
    CONSTRAINT article_daily_key UNIQUE NULLS NOT DISTINCT (day, article_id, category, content_product)
) WITH (fillfactor = 50);
CREATE INDEX article_daily_article_idx ON article_daily (article_id);

-- Spend by tag per UTC day: one row per (key, value) a generation carries.
CREATE TABLE tag_daily (
    day         date    NOT NULL,
    tag_key     text    NOT NULL,
    tag_value   text    NOT NULL,
    generations bigint  NOT NULL,
    unpriced    bigint  NOT NULL,
    cost_usd    numeric NOT NULL,
    CONSTRAINT tag_daily_key UNIQUE (day, tag_key, tag_value)
) WITH (fillfactor = 50);

-- A finalisation that arrived before its pending row (another instance's row still in its spool):
-- applied when the row arrives.
CREATE TABLE pending_finalization (
    provider            text        NOT NULL,
    upstream_request_id text        NOT NULL,
    record              jsonb       NOT NULL,
    received_at         timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (provider, upstream_request_id)
);

-- Budget alerts sent, so that each threshold is posted once per month across instances.
CREATE TABLE budget_alert (
    month     date        NOT NULL,
    threshold numeric     NOT NULL,
    spend_usd numeric     NOT NULL,
    sent_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (month, threshold)
);
