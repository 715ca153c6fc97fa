package dev.genledger.api;

import dev.genledger.ledger.LedgerStats;

/**
 * GET /api/v1/health.
 *
 * @param status   {@code ok}; {@code degraded} when the database answers but ledger rows wait in the
 *                 spool or were rejected; {@code down} when the database does not answer (HTTP 503)
 * @param database {@code up} or {@code down}
 * @param ledger   the writer of this process; null in an API-only process, which has none
 */
record HealthView(String status, String database, Ledger ledger) {

    record Ledger(long queued, long spooled, long written, long finalized, long rejected, boolean databaseUp) {
        static Ledger of(LedgerStats s) {
            return s == null ? null : new Ledger(s.queued(), s.spooled(), s.written(), s.finalized(), s.rejected(),
                    s.databaseUp());
        }
    }

    static HealthView of(boolean databaseUp, LedgerStats stats) {
        String status = !databaseUp ? "down"
                : stats != null && (stats.spooled() > 0 || stats.rejected() > 0 || !stats.databaseUp()) ? "degraded"
                : "ok";
        return new HealthView(status, databaseUp ? "up" : "down", Ledger.of(stats));
    }
}
