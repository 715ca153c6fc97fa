package dev.genledger.ledger;

/**
 * What the ledger writer accepts: a new row, or the final state of a pending row. Both travel the
 * same queue and the same spool, so their relative order is kept.
 */
public sealed interface LedgerRecord permits Generation, Finalization {}
