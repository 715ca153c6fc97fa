package dev.genledger.api;

/** The relation a unit is read from. */
enum Source {
    /** A daily rollup (rollup_daily, latency_hist_daily, article_daily, tag_daily). */
    DAILY,
    /** rollup_hourly. */
    HOURLY,
    /** The raw generation rows of the unit's time range. */
    RAW
}
