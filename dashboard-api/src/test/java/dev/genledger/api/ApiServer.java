package dev.genledger.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariDataSource;
import dev.genledger.ledger.Generation;
import dev.genledger.ledger.LedgerSettings;
import dev.genledger.ledger.LedgerStats;
import dev.genledger.ledger.LedgerWriter;
import dev.genledger.ledger.budget.BudgetTracker;
import dev.genledger.ledger.testing.MutableClock;
import dev.genledger.ledger.testing.TestDatabases;
import dev.genledger.pricing.PriceEntry;
import dev.genledger.pricing.PriceList;
import dev.genledger.pricing.Pricer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * A started dashboard over a fresh embedded ledger, with a writer to put rows in and an HTTP client
 * to ask. Rows go through {@link LedgerWriter}, so the rollups are the writer's own.
 */
final class ApiServer implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    /** A tiny catalog: one price, one model seen unpriced. */
    record FixedPriceList(List<PriceEntry> entries, Set<String> unpricedModelsSeen) implements PriceList {}

    static final PriceList PRICES = new FixedPriceList(List.of(new PriceEntry("openai", "gpt-4o",
            List.of("gpt-4o-2024-08-06"), java.time.LocalDate.parse("2025-01-01"),
            java.util.Map.of("input_per_1m_tokens", new BigDecimal("2.50"),
                    "output_per_1m_tokens", new BigDecimal("10.00")), "https://openai.com/api/pricing", "bundled")),
            Set.of("openai/unknown-model"));

    final MutableClock clock;
    final HikariDataSource ds;
    final LedgerWriter writer;
    final DashboardServer server;
    final HttpClient http = HttpClient.newHttpClient();
    final BudgetTracker budget;

    record Options(String token, BudgetTracker budget, Supplier<String> metrics, boolean withWriter,
                   long exactPercentileMaxRows) {
        static Options defaults() {
            return new Options(null, null, () -> "# HELP genledger_up 1\ngenledger_up 1\n", true,
                    PerformanceQuery.EXACT_MAX_ROWS);
        }

        Options token(String t) {
            return new Options(t, budget, metrics, withWriter, exactPercentileMaxRows);
        }

        Options exactPercentileMaxRows(long n) {
            return new Options(token, budget, metrics, withWriter, n);
        }
    }

    ApiServer(Path dataDir, Instant now) {
        this(dataDir, now, Options.defaults(), null);
    }

    ApiServer(Path dataDir, Instant now, Options options, java.util.function.Function<ApiServer, BudgetTracker> budget) {
        this.clock = new MutableClock(now);
        this.ds = TestDatabases.fresh();
        this.writer = LedgerWriter.start(ds, Pricer.NONE, LedgerSettings.defaults(dataDir).withLingerMs(1));
        this.budget = budget == null ? null : budget.apply(this);
        Supplier<LedgerStats> stats = options.withWriter() ? writer::stats : null;
        this.server = new DashboardServer(new DashboardSettings("127.0.0.1", 0, options.token()), ds, PRICES, stats,
                options.metrics(), this.budget, clock, options.exactPercentileMaxRows()).start();
    }

    /** Writes the rows through the writer, in the order given, and waits until they are in. */
    void write(Generation... rows) {
        write(List.of(rows));
    }

    void write(List<Generation> rows) {
        for (Generation g : rows) {
            writer.offer(g);
        }
        assertThat(writer.drain(Duration.ofSeconds(60))).as("writer drained").isTrue();
    }

    record Reply(int status, java.net.http.HttpHeaders headers, String body) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + body, e);
            }
        }

        String header(String name) {
            return headers.firstValue(name).orElse(null);
        }
    }

    String url(String pathAndQuery) {
        return "http://127.0.0.1:" + server.port() + pathAndQuery;
    }

    Reply send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> r = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(r.statusCode(), r.headers(), r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    Reply get(String pathAndQuery, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url(pathAndQuery)));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return send(b);
    }

    /** GET that must answer 200 with JSON. */
    JsonNode ok(String pathAndQuery) {
        Reply r = get(pathAndQuery);
        assertThat(r.status()).as("status of %s: %s", pathAndQuery, r.body()).isEqualTo(200);
        assertThat(r.header("Content-Type")).startsWith("application/json");
        return r.json();
    }

    Reply put(String path, String json) {
        return send(HttpRequest.newBuilder(URI.create(url(path))).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json)));
    }

    static String q(String v) {
        return URLEncoder.encode(v, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        server.stop();
        if (budget != null) {
            budget.close();
        }
        writer.close();
        ds.close();
    }
}
