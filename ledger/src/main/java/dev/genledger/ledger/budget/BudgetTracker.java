package dev.genledger.ledger.budget;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Month-to-date spend against the monthly budget (issue 6): the alert thresholds and the hard cap.
 *
 * <p>The spend of the current UTC month is read from {@code rollup_daily} every
 * {@code refreshMs} on one daemon thread and kept in a volatile snapshot. Every gateway instance
 * reads the same ledger, so all of them agree within one refresh interval. {@link #hardCapReached}
 * is a plain volatile read: the proxy calls it on Netty event loops for every request.
 *
 * <p>Each threshold is alerted once per month across all instances: the instance whose
 * {@code INSERT … ON CONFLICT DO NOTHING RETURNING} into {@code budget_alert} returns a row is the
 * one that logs the alert at WARN and posts it to the webhook; the others see the conflict and
 * stay silent. A threshold a process has seen claimed is not asked for again that month.
 *
 * <p>The cache is this one volatile value rather than a Caffeine cache: there is exactly one key
 * (the current month), and a loading cache would put a map lookup where the proxy needs a single
 * field read.
 */
public final class BudgetTracker implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(BudgetTracker.class);
    private static final BigDecimal HUNDRED = new BigDecimal("100");
    private static final Duration WEBHOOK_TIMEOUT = Duration.ofSeconds(10);

    private final DataSource dataSource;
    private final BudgetSettings settings;
    private final BudgetWebhook webhook;
    private final ScheduledExecutorService scheduler;

    private volatile boolean hardCapReached;
    private volatile BudgetSnapshot snapshot;

    // guarded by this (refreshes run one at a time)
    private final Set<String> settledThresholds = new HashSet<>();
    private boolean readFailing;
    /** Completes when every webhook post sent so far has finished. */
    private CompletableFuture<Void> posting = CompletableFuture.completedFuture(null);

    private BudgetTracker(DataSource dataSource, BudgetSettings settings) {
        this.dataSource = dataSource;
        this.settings = settings;
        this.webhook = settings.webhookUrl() == null ? null : new BudgetWebhook(settings.webhookUrl(), WEBHOOK_TIMEOUT);
        this.scheduler = settings.monthlyUsd() == null ? null : Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "genledger-budget");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Reads month-to-date spend once (so the cap is right from the first request), then keeps
     * refreshing it in the background. Without a budget nothing is read and nothing runs.
     */
    public static BudgetTracker start(DataSource dataSource, BudgetSettings settings) {
        BudgetTracker t = new BudgetTracker(dataSource, settings);
        if (t.scheduler != null) {
            t.refreshNow();
            t.scheduler.scheduleWithFixedDelay(t::refreshNow, settings.refreshMs(), settings.refreshMs(),
                    TimeUnit.MILLISECONDS);
            log.info("budget: {} USD per month, alerts at {} %{}{}, refreshed every {} ms",
                    settings.monthlyUsd().toPlainString(),
                    settings.alertThresholdsPercent().stream().map(BigDecimal::toPlainString).toList(),
                    settings.webhookUrl() == null ? "" : " posted to " + settings.webhookUrl().getHost(),
                    settings.hardCap() ? ", hard cap on" : "", settings.refreshMs());
        }
        return t;
    }

    /** Whether requests must be refused: the cap is on and month-to-date spend reached the budget. */
    public boolean hardCapReached() {
        return hardCapReached;
    }

    /** The last reading; null without a budget, or before the ledger could be read once. */
    public BudgetSnapshot snapshot() {
        return snapshot;
    }

    public BudgetSettings settings() {
        return settings;
    }

    /**
     * Reads month-to-date spend now and sends the alerts it makes due. The background thread calls
     * this every refresh interval; tests call it directly instead of waiting.
     *
     * @return the alerts this call claimed, completing once every webhook post sent so far (by this
     *         call or an earlier one) is done, posted or failed; empty when the ledger could not be read
     */
    public synchronized CompletableFuture<List<BudgetAlert>> refreshNow() {
        if (settings.monthlyUsd() == null) {
            return posting.thenApply(v -> List.of());
        }
        try {
            Instant now = settings.clock().instant();
            YearMonth month = YearMonth.from(now.atZone(java.time.ZoneOffset.UTC));
            BigDecimal mtd = monthToDate(month);
            BudgetSnapshot s = BudgetSnapshot.of(settings.monthlyUsd(), mtd, settings.hardCap(), now);
            snapshot = s;
            if (s.hardCapReached() != hardCapReached) {
                if (s.hardCapReached()) {
                    log.warn("budget: month-to-date spend {} USD reached the monthly budget of {} USD; the hard cap "
                            + "now refuses generations until the month ends or the budget is raised",
                            mtd.toPlainString(), settings.monthlyUsd().toPlainString());
                } else {
                    log.info("budget: month-to-date spend {} USD is below the monthly budget of {} USD; the hard "
                            + "cap is open", mtd.toPlainString(), settings.monthlyUsd().toPlainString());
                }
            }
            hardCapReached = s.hardCapReached();
            if (readFailing) {
                log.info("budget: month-to-date spend is read from the ledger again");
                readFailing = false;
            }
            return alert(s);
        } catch (SQLException | RuntimeException e) {
            if (!readFailing) {
                log.warn("budget: cannot read month-to-date spend from the ledger; keeping the last reading "
                        + "(hard cap {}) and retrying every {} ms", hardCapReached ? "closed" : "open",
                        settings.refreshMs(), e);
                readFailing = true;
            }
            return posting.thenApply(v -> List.of());
        }
    }

    private BigDecimal monthToDate(YearMonth month) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(BudgetSql.MONTH_TO_DATE)) {
            ps.setObject(1, month.atDay(1));
            ps.setObject(2, month.plusMonths(1).atDay(1));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBigDecimal(1);
            }
        }
    }

    private CompletableFuture<List<BudgetAlert>> alert(BudgetSnapshot s) throws SQLException {
        List<BudgetAlert> claimed = new ArrayList<>();
        for (BigDecimal threshold : settings.alertThresholdsPercent()) {
            String key = s.month() + "@" + threshold.toPlainString();
            BigDecimal due = settings.monthlyUsd().multiply(threshold).divide(HUNDRED);
            if (s.monthToDateUsd().compareTo(due) < 0 || settledThresholds.contains(key)) {
                continue;
            }
            boolean mine = claim(s, threshold);
            settledThresholds.add(key);
            if (!mine) {
                continue; // another instance alerted this threshold this month
            }
            BudgetAlert a = new BudgetAlert(threshold, s);
            claimed.add(a);
            log.warn("budget: month-to-date spend {} USD reached {}% of the monthly budget of {} USD for {} "
                    + "(projected month: {} USD)", s.monthToDateUsd().toPlainString(), threshold.toPlainString(),
                    s.monthlyUsd().toPlainString(), s.month(),
                    s.projectedMonthUsd() == null ? "n/a" : s.projectedMonthUsd().toPlainString());
            if (webhook != null) {
                posting = CompletableFuture.allOf(posting, webhook.post(a));
            }
        }
        List<BudgetAlert> result = List.copyOf(claimed);
        return posting.thenApply(v -> result);
    }

    private boolean claim(BudgetSnapshot s, BigDecimal threshold) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(BudgetSql.CLAIM_ALERT)) {
            ps.setObject(1, s.month().atDay(1));
            ps.setBigDecimal(2, threshold);
            ps.setBigDecimal(3, s.monthToDateUsd());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** Stops the refresh thread, gives webhook posts in flight a few seconds, then stops the client. */
    @Override
    public void close() {
        CompletableFuture<Void> pending;
        synchronized (this) {
            pending = posting;
        }
        try {
            pending.get(5, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            log.warn("budget: a webhook post was still in flight after 5 s at shutdown; abandoning it");
        } catch (java.util.concurrent.ExecutionException e) {
            // BudgetWebhook.post never completes exceptionally; nothing to add to its log line
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (scheduler != null) {
            scheduler.shutdownNow();
            try {
                if (!scheduler.awaitTermination(5, TimeUnit.SECONDS)) {
                    log.warn("budget: the refresh thread did not stop within 5 s; leaving it (daemon)");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (webhook != null) {
            webhook.close();
        }
    }
}
