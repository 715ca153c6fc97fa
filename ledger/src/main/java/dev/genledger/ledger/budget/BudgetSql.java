package dev.genledger.ledger.budget;

/** Every SQL statement of the budget, as plain SQL with bind parameters. */
final class BudgetSql {
    private BudgetSql() {}

    /**
     * Priced spend of a UTC month. {@code rollup_daily} is maintained in the same transaction as
     * the rows, so it is complete: today's row holds everything written so far today.
     */
    static final String MONTH_TO_DATE = """
            SELECT coalesce(sum(cost_usd), 0) FROM rollup_daily WHERE day >= ? AND day < ?
            """;

    /**
     * Claims a threshold of a month. Of all gateway instances crossing it, exactly one gets a row
     * back and sends the alert; the others get nothing.
     */
    static final String CLAIM_ALERT = """
            INSERT INTO budget_alert (month, threshold, spend_usd) VALUES (?, ?, ?)
            ON CONFLICT (month, threshold) DO NOTHING
            RETURNING threshold
            """;
}
