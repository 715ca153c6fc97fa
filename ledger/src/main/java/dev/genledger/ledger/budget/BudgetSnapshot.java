package dev.genledger.ledger.budget;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;

/**
 * Month-to-date spend against the budget, as last read from the ledger.
 *
 * @param month             the UTC calendar month
 * @param monthlyUsd        the budget
 * @param monthToDateUsd    priced spend of the month so far (unpriced generations cost nothing here:
 *                          the dashboard counts them separately)
 * @param utilization       month-to-date / budget, e.g. 0.8125 for 81.25 %
 * @param projectedMonthUsd month-to-date / elapsed fraction of the month: the month's spend if it
 *                          goes on at the same rate; null in the first second of a month
 * @param hardCapReached    the cap is on and month-to-date has reached the budget
 * @param readAt            when the spend was read
 */
public record BudgetSnapshot(YearMonth month, BigDecimal monthlyUsd, BigDecimal monthToDateUsd,
                             BigDecimal utilization, BigDecimal projectedMonthUsd, boolean hardCapReached,
                             Instant readAt) {

    private static final MathContext MC = MathContext.DECIMAL64;

    /** Computes the derived values from month-to-date spend at {@code now}. */
    static BudgetSnapshot of(BigDecimal monthlyUsd, BigDecimal monthToDateUsd, boolean hardCap, Instant now) {
        YearMonth month = YearMonth.from(now.atOffset(ZoneOffset.UTC));
        Instant start = month.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
        Instant end = month.plusMonths(1).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
        BigDecimal elapsedMs = BigDecimal.valueOf(Duration.between(start, now).toMillis());
        BigDecimal monthMs = BigDecimal.valueOf(Duration.between(start, end).toMillis());
        BigDecimal projected = elapsedMs.signum() <= 0
                ? null
                : monthToDateUsd.multiply(monthMs).divide(elapsedMs, MC).setScale(6, RoundingMode.HALF_EVEN);
        BigDecimal utilization = monthToDateUsd.divide(monthlyUsd, MC).setScale(6, RoundingMode.HALF_EVEN);
        return new BudgetSnapshot(month, monthlyUsd, monthToDateUsd, utilization, projected,
                hardCap && monthToDateUsd.compareTo(monthlyUsd) >= 0, now);
    }
}
