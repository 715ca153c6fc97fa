package dev.genledger.ledger.budget;

import java.math.BigDecimal;
import java.net.URI;
import java.time.Clock;
import java.util.List;

/**
 * The monthly budget (GENLEDGER_MONTHLY_BUDGET_USD and friends), validated here so that a wrong
 * value fails at start-up.
 *
 * @param monthlyUsd              the budget per UTC calendar month in US dollars; null: no budget
 *                                (nothing is alerted, the cap never closes, {@code /spend} shows
 *                                {@code budget: null})
 * @param alertThresholdsPercent  percentages of the budget at which an alert is logged and posted,
 *                                once per month each; null means the default 50, 80, 100
 * @param webhookUrl              receives each alert as a JSON POST; null: alerts are only logged
 * @param hardCap                 whether {@link BudgetTracker#hardCapReached()} may turn true
 * @param refreshMs               how often month-to-date spend is re-read from the ledger
 * @param clock                   the time source (a fixed clock in tests); null means UTC system time
 */
public record BudgetSettings(BigDecimal monthlyUsd, List<BigDecimal> alertThresholdsPercent, URI webhookUrl,
                             boolean hardCap, long refreshMs, Clock clock) {

    public static final List<BigDecimal> DEFAULT_THRESHOLDS =
            List.of(new BigDecimal("50"), new BigDecimal("80"), new BigDecimal("100"));
    public static final long DEFAULT_REFRESH_MS = 5_000;

    public BudgetSettings {
        if (monthlyUsd != null && monthlyUsd.signum() <= 0) {
            throw new IllegalArgumentException("GENLEDGER_MONTHLY_BUDGET_USD: " + monthlyUsd.toPlainString()
                    + " (expected: a positive amount in US dollars, or unset for no budget)");
        }
        alertThresholdsPercent = alertThresholdsPercent == null
                ? DEFAULT_THRESHOLDS
                : alertThresholdsPercent.stream().sorted().distinct().toList();
        for (BigDecimal t : alertThresholdsPercent) {
            if (t.signum() <= 0 || t.compareTo(new BigDecimal("1000")) > 0) {
                throw new IllegalArgumentException("GENLEDGER_BUDGET_ALERT_THRESHOLDS: " + t.toPlainString()
                        + " (expected: percentages above 0 and at most 1000, e.g. 50,80,100)");
            }
        }
        if (webhookUrl != null && !("http".equalsIgnoreCase(webhookUrl.getScheme())
                || "https".equalsIgnoreCase(webhookUrl.getScheme()))) {
            throw new IllegalArgumentException("GENLEDGER_BUDGET_WEBHOOK_URL: " + webhookUrl
                    + " (expected: an http:// or https:// URL)");
        }
        if (hardCap && monthlyUsd == null) {
            throw new IllegalArgumentException("GENLEDGER_BUDGET_HARD_CAP is true but GENLEDGER_MONTHLY_BUDGET_USD "
                    + "is unset; set a budget or turn the cap off");
        }
        if (refreshMs <= 0) {
            throw new IllegalArgumentException("GENLEDGER_BUDGET_REFRESH_MS: " + refreshMs + " (expected: > 0)");
        }
        clock = clock == null ? Clock.systemUTC() : clock;
    }

    /** No budget: spend is not tracked against anything. */
    public static BudgetSettings none() {
        return new BudgetSettings(null, null, null, false, DEFAULT_REFRESH_MS, null);
    }

    /** A budget with the default thresholds and refresh interval, no webhook and no cap. */
    public static BudgetSettings monthly(BigDecimal monthlyUsd) {
        return new BudgetSettings(monthlyUsd, null, null, false, DEFAULT_REFRESH_MS, null);
    }

    public BudgetSettings withWebhookUrl(URI v) {
        return new BudgetSettings(monthlyUsd, alertThresholdsPercent, v, hardCap, refreshMs, clock);
    }

    public BudgetSettings withHardCap(boolean v) {
        return new BudgetSettings(monthlyUsd, alertThresholdsPercent, webhookUrl, v, refreshMs, clock);
    }

    public BudgetSettings withThresholds(List<BigDecimal> v) {
        return new BudgetSettings(monthlyUsd, v, webhookUrl, hardCap, refreshMs, clock);
    }

    public BudgetSettings withRefreshMs(long v) {
        return new BudgetSettings(monthlyUsd, alertThresholdsPercent, webhookUrl, hardCap, v, clock);
    }

    public BudgetSettings withClock(Clock v) {
        return new BudgetSettings(monthlyUsd, alertThresholdsPercent, webhookUrl, hardCap, refreshMs, v);
    }
}
