package dev.genledger.ledger;

/**
 * A snapshot of the writer, for health and metrics.
 *
 * @param queued     records in memory, on their way to the database or the spool
 * @param spooled    records in the disk spool, waiting for the database
 * @param written    rows this process inserted into the ledger (replays of rows already there excluded)
 * @param finalized  pending rows this process completed
 * @param rejected   records the database refused as invalid, kept in {@code spool/rejected.jsonl}
 * @param databaseUp whether the last contact with the database succeeded
 */
public record LedgerStats(long queued, long spooled, long written, long finalized, long rejected,
                          boolean databaseUp) {}
