package dev.genledger.bench;

import dev.genledger.ledger.LedgerDatabase;
import dev.genledger.ledger.LedgerSettings;
import dev.genledger.ledger.LedgerWriter;
import dev.genledger.pricing.PriceCatalog;
import dev.genledger.proxy.Providers;
import dev.genledger.proxy.ProxyServer;
import dev.genledger.proxy.ProxySettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Collectors;

/**
 * Proxy overhead: wrk drives a ~700-byte OpenAI chat completion (non-streamed, with usage) through
 * (a) nothing — straight to the fake upstream, (b) nginx as the reference proxy, (c) GenLedger
 * with its real OpenAI adapter, price catalog and ledger writing every row to an embedded
 * PostgreSQL, at 8 and 64 connections, all on this machine in one run. Realistic: the request and
 * response bodies are those of a real chat completion, and GenLedger does all its per-request
 * work (attribution headers, key id, parsing both bodies, pricing, a ledger row).
 *
 * <p>Beside each target's figures, the garbage-collection pauses of this JVM during its runs (the
 * proxies, the fake upstream and the ledger writer run in it): milliseconds paused per second, and
 * the longest pause. A p99 of several milliseconds is usually one of them.
 *
 * <p>Then the same targets at a fixed offered load (see {@link #paced}).
 *
 * <p>Run: {@code bench/run proxy [--seconds 5] [--rounds 3] [--only genledger,nginx,…]
 * [--paced-delays 4,1 (ms; empty for none)] [--paced-rounds R] [--paced-seconds S]}.
 */
final class ProxyBench implements Bench {
    /** What each request carries besides its body: a credential and the attribution headers. */
    private static final String[] HEADERS = {"Authorization", "Bearer sk-bench-0123456789",
            "X-Article-Id", "a-1042", "X-Task", "article_rewrite", "X-Tags", "team=newsroom"};

    @Override
    public String name() {
        return "proxy";
    }

    @Override
    public String description() {
        return "req/s and latency: direct vs nginx vs GenLedger (ledger on), 8 and 64 connections";
    }

    /**
     * The proxy's own view of the same requests, from the ledger rows: time from the request's
     * first byte to the response's last byte handed to the socket, and to the first upstream byte.
     * Set against wrk's numbers, it tells time spent inside GenLedger from time spent waiting for
     * a core (wrk, the fake upstream, Postgres and the proxy share two).
     */
    private static void printInsideLatency(LedgerDatabase db, String which, Instant from,
                                           Instant to) throws java.sql.SQLException {
        String sql = "SELECT count(*), percentile_cont(0.5) WITHIN GROUP (ORDER BY latency_ms), "
                + "percentile_cont(0.99) WITHIN GROUP (ORDER BY latency_ms), "
                + "percentile_cont(0.99) WITHIN GROUP (ORDER BY ttfb_ms) FROM generation "
                + "WHERE started_at >= ? AND started_at < ?";
        try (java.sql.Connection c = db.dataSource().getConnection();
             java.sql.PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, OffsetDateTime.ofInstant(from, ZoneOffset.UTC));
            ps.setObject(2, OffsetDateTime.ofInstant(to, ZoneOffset.UTC));
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                rs.next();
                if (rs.getLong(1) > 0) {
                    System.out.printf("inside GenLedger, %s, from its %d ledger rows: latency p50 %.3f ms, p99 %.3f ms; "
                            + "ttfb p99 %.3f ms%n", which, rs.getLong(1), rs.getDouble(2), rs.getDouble(3),
                            rs.getDouble(4));
                }
            }
        }
    }

    /** Waits until every row served so far is in the ledger. */
    private static void drain(LedgerWriter writer) {
        if (!writer.drain(Duration.ofMinutes(5))) {
            throw new IllegalStateException("the ledger did not drain: " + writer.stats());
        }
    }

    private static double median(List<Wrk.Result> list, java.util.function.ToDoubleFunction<Wrk.Result> f) {
        return Stats.median(list.stream().mapToDouble(f).toArray());
    }

    /**
     * CPU time per request of each part of the run (see {@link CpuMeter}), summed over the rounds,
     * and, at 64 connections, what is left for GenLedger's event loops if it is to serve 0.7 of
     * nginx's req/s: on two busy cores a request may take 2 s / req/s of CPU in all, and wrk, the
     * fake upstream and the ledger (PostgreSQL and the writer) take their share of it first.
     */
    private static void printCpu(Map<String, Map<String, Double>> cpu, Map<String, Double> requests,
                                 Map<String, Wrk.Result> results) {
        if (cpu.isEmpty()) {
            return;
        }
        List<String> header = new ArrayList<>(List.of("target", "connections"));
        header.addAll(CpuMeter.PARTS);
        header.add("busy");
        Table t = new Table(header.toArray(String[]::new));
        Map<String, Map<String, Double>> perRequest = new LinkedHashMap<>();
        cpu.forEach((k, parts) -> {
            double n = requests.get(k);
            Map<String, Double> us = new LinkedHashMap<>();
            parts.forEach((part, s) -> us.put(part, s * 1e6 / n));
            perRequest.put(k, us);
            List<Object> row = new ArrayList<>(List.of(k.split(" ")[0], k.split(" c")[1]));
            CpuMeter.PARTS.forEach(p -> row.add(String.format("%.1f", us.get(p))));
            row.add(String.format("%.1f", us.entrySet().stream().filter(x -> !x.getKey().equals("idle"))
                    .mapToDouble(Map.Entry::getValue).sum()));
            t.row(row.toArray());
        });
        System.out.println();
        System.out.println("CPU per request, microseconds (/proc accounting, user + system, summed over the rounds)");
        t.print();
        Map<String, Double> g = perRequest.get("genledger c64");
        Map<String, Double> n = perRequest.get("nginx c64");
        Wrk.Result nginx = results.get("nginx c64");
        if (g == null || n == null || nginx == null) {
            return;
        }
        double budget = 2 * 1e6 / (0.7 * nginx.rps());
        double others = g.get("wrk") + g.get("fake upstream") + g.get("postgres") + g.get("ledger threads");
        System.out.printf("at 0.7 of nginx's req/s (%,.0f) two cores give %.1f us per request; wrk, the fake upstream "
                + "and the ledger took %.1f of it in GenLedger's run, leaving %.1f for the proxy's event loops "
                + "and the rest of the JVM; they took %.1f and %.1f (nginx's workers take %.1f)%n", 0.7 * nginx.rps(),
                budget, others, budget - others, g.get("proxy loops"), g.get("jvm other"), n.get("nginx"));
    }

    /**
     * The same targets under a fixed offered load instead of as many requests as they can serve:
     * 8 connections, each waiting a few milliseconds before each request (wrk's delay hook), so
     * that the machine has idle time, as a gateway in service does. The saturated runs measure
     * throughput, and their p99 mostly the queue for the two cores: every core is busy, and any
     * work beside the forwarding (the ledger's database and writer) makes the event loops wait.
     * These runs measure what the path itself adds. Returns the p99 added over direct per target
     * and delay.
     */
    private Map<String, Double> paced(Args args, String body, Map<String, String> targets, int rounds, int seconds,
                                      Runnable settle) throws Exception {
        String delays = args.get("paced-delays", "4,1");
        Map<String, Double> added = new LinkedHashMap<>();
        if (delays.isBlank()) {
            return added;
        }
        Map<String, List<Wrk.Result>> runs = new LinkedHashMap<>();
        for (int round = 0; round < rounds; round++) {
            for (String d : delays.split(",")) {
                int delay = Integer.parseInt(d.trim());
                Path script = Wrk.postScript(delay, body, HEADERS);
                for (Map.Entry<String, String> e : targets.entrySet()) {
                    settle.run();
                    runs.computeIfAbsent(e.getKey() + " " + delay, k -> new ArrayList<>())
                            .add(Wrk.run(e.getValue(), script, 8, seconds));
                }
            }
        }
        Table t = new Table("target", "delay ms", "req/s", "p50 ms", "p99 ms", "p99 added ms", "errors",
                "p99 per round");
        runs.forEach((k, list) -> {
            String target = k.split(" ")[0];
            String delay = k.split(" ")[1];
            double p99 = median(list, Wrk.Result::p99Ms);
            List<Wrk.Result> direct = runs.get("direct " + delay);
            double add = direct == null ? Double.NaN : p99 - median(direct, Wrk.Result::p99Ms);
            if (!target.equals("direct")) {
                added.put(target + ", delay " + delay + " ms (" + Table.fmt(median(list, Wrk.Result::rps)) + " req/s)",
                        add);
            }
            t.row(target, delay, Table.fmt(median(list, Wrk.Result::rps)),
                    String.format("%.3f", median(list, Wrk.Result::p50Ms)), String.format("%.3f", p99),
                    direct == null ? "" : String.format("%.3f", add),
                    list.stream().mapToLong(Wrk.Result::errors).sum(),
                    list.stream().map(x -> String.format("%.3f", x.p99Ms())).collect(Collectors.joining(" ")));
        });
        System.out.println();
        System.out.println("paced: 8 connections, each waiting the delay before each request");
        t.print();
        return added;
    }

    @Override
    public void run(Args args) throws Exception {
        int seconds = args.getInt("seconds", 5);
        int rounds = args.getInt("rounds", 3);
        Wrk.ensureInstalled("wrk", "wrk");
        Path dir = Scratch.dir("genledger-bench-proxy");
        String body = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"system\",\"content\":\"You rewrite news "
                + "articles.\"},{\"role\":\"user\",\"content\":\"Rewrite this headline: Council approves new bike lanes "
                + "downtown\"}],\"temperature\":0.2}";
        Path script = Wrk.postScript(body, HEADERS);
        try (FakeUpstream upstream = new FakeUpstream();
             Nginx nginx = new Nginx(upstream.port());
             LedgerDatabase db = LedgerDatabase.open(null, null, null, 4, dir.resolve("postgres"))) {
            LedgerWriter writer = LedgerWriter.start(db.dataSource(), PriceCatalog.bundled(),
                    LedgerSettings.defaults(dir).withLingerMs(args.getInt("linger-ms", 100)));
            Map<String, URI> upstreams = new LinkedHashMap<>();
            for (String p : new String[] {"openai", "gemini", "elevenlabs", "replicate"}) {
                upstreams.put(p, URI.create("http://127.0.0.1:" + upstream.port()));
            }
            ProxyServer proxy = ProxyServer.start(ProxySettings.defaults(upstreams,
                            "bench-key-id-secret-0123456789".getBytes(StandardCharsets.UTF_8)),
                    Providers.all(true), PriceCatalog.bundled(), writer::offer, new SimpleMeterRegistry(), null);
            // The same proxy with the rows counted and dropped: separates the cost of forwarding and
            // extraction from the cost of the ledger (Postgres shares these two cores).
            LongAdder dropped = new LongAdder();
            ProxyServer noLedger = ProxyServer.start(ProxySettings.defaults(upstreams,
                            "bench-key-id-secret-0123456789".getBytes(StandardCharsets.UTF_8)),
                    Providers.all(true), PriceCatalog.bundled(), g -> dropped.increment(), new SimpleMeterRegistry(), null);
            String only = args.get("only", "");
            try {
                String direct = "http://127.0.0.1:" + upstream.port() + "/v1/chat/completions";
                String viaNginx = "http://127.0.0.1:" + nginx.port() + "/v1/chat/completions";
                String viaGenLedger = "http://127.0.0.1:" + proxy.port() + "/openai/v1/chat/completions";
                String viaNoLedger = "http://127.0.0.1:" + noLedger.port() + "/openai/v1/chat/completions";
                Map<String, String> targets = new LinkedHashMap<>();
                targets.put("direct", direct);
                targets.put("nginx", viaNginx);
                targets.put("genledger", viaGenLedger);
                targets.put("genledger-no-ledger", viaNoLedger);
                if (!only.isEmpty()) {
                    targets.keySet().retainAll(java.util.List.of(only.split(",")));
                }
                // the pauses of the collector of this JVM, where the proxies, the fake upstream and the
                // writer run: the p99 of a run is often one of them
                GcPauses pauses = new GcPauses();
                // warm-up: JIT, pools, the ledger's partitions
                for (String url : targets.values()) {
                    Wrk.run(url, script, 16, 6);
                }
                // what one target's run leaves behind is not charged to the next: the ledger's backlog is
                // written and the collector starts from a clean heap (as JMH's -gc) before every run, so
                // that the objects made at start-up, which G1 copies at each young pause until they are
                // old enough to promote, are promoted before the first run instead of during it
                Runnable settle = () -> {
                    drain(writer);
                    System.gc();
                    try {
                        Thread.sleep(300); // the collector's notification of that pause comes after it
                    } catch (InterruptedException ie) {
                        Thread.currentThread().interrupt();
                    }
                };
                // the ledger's backlog when a GenLedger run ends: rows served but not yet written
                Map<String, Long> backlog = new LinkedHashMap<>();

                Instant measuredFrom = Instant.now();
                // Rounds interleave the targets, so a slow minute of this shared machine falls on all of
                // them; each figure is the median over the rounds.
                Map<String, List<Wrk.Result>> runs = new LinkedHashMap<>();
                Map<String, GcPauses.Summary> gc = new LinkedHashMap<>();
                CpuMeter meter = new CpuMeter(nginx.process(), dir);
                Map<String, Map<String, Double>> cpu = new LinkedHashMap<>();
                Map<String, Double> requests = new LinkedHashMap<>();
                for (int round = 0; round < rounds; round++) {
                    for (int c : new int[] {8, 64}) {
                        for (Map.Entry<String, String> e : targets.entrySet()) {
                            String key = e.getKey() + " c" + c;
                            settle.run();
                            int mark = pauses.mark();
                            Map<String, Double> before = meter.snapshot();
                            Wrk.Result result = Wrk.run(e.getValue(), script, c, seconds);
                            cpu.merge(key, CpuMeter.minus(meter.snapshot(), before), CpuMeter::plus);
                            requests.merge(key, result.rps() * seconds, Double::sum);
                            runs.computeIfAbsent(key, k -> new ArrayList<>()).add(result);
                            gc.merge(key, pauses.since(mark), GcPauses.Summary::plus);
                            if (e.getKey().equals("genledger")) {
                                backlog.merge(key, writer.stats().queued() + writer.stats().spooled(), Math::max);
                            }
                        }
                    }
                }
                Table t = new Table("target", "connections", "req/s", "p50 ms", "p99 ms", "errors",
                        "GC pauses ms/s", "longest ms", "req/s per round");
                Map<String, Wrk.Result> r = new LinkedHashMap<>();
                runs.forEach((k, list) -> {
                    Wrk.Result m = new Wrk.Result(median(list, Wrk.Result::rps), median(list, Wrk.Result::p50Ms),
                            median(list, Wrk.Result::p99Ms), list.stream().mapToLong(Wrk.Result::errors).sum());
                    r.put(k, m);
                    GcPauses.Summary p = gc.getOrDefault(k, GcPauses.NONE);
                    t.row(k.split(" ")[0], k.split(" c")[1], Table.fmt(m.rps()), String.format("%.3f", m.p50Ms()),
                            String.format("%.3f", m.p99Ms()), m.errors(),
                            String.format("%.1f", p.totalMs() / (seconds * (double) list.size())),
                            String.format("%.0f", p.maxMs()),
                            list.stream().map(x -> Table.fmt(x.rps())).collect(Collectors.joining(" ")));
                });
                t.print();
                printCpu(cpu, requests, r);
                Instant pacedFrom = Instant.now();
                Map<String, Double> pacedAdded = paced(args, body, targets, args.getInt("paced-rounds", rounds),
                        args.getInt("paced-seconds", seconds), settle);
                drain(writer);
                printInsideLatency(db, "saturated runs", measuredFrom, pacedFrom);
                printInsideLatency(db, "paced runs", pacedFrom, Instant.now());
                backlog.forEach((k, n) -> System.out.printf("ledger backlog when the %s run ended (largest over the "
                        + "rounds): %d rows queued or spooled, then written%n", k, n));
                if (!only.isEmpty()) {
                    return;
                }
                long rows = writer.stats().written();
                Wrk.Result g64 = r.get("genledger c64");
                Wrk.Result n64 = r.get("nginx c64");
                double ratio = g64.rps() / n64.rps();
                double added = r.get("genledger c8").p99Ms() - r.get("direct c8").p99Ms();
                System.out.printf("ledger rows written during the run: %d (every GenLedger request)%n", rows);
                System.out.printf("genledger/nginx req/s at 64 connections: %.2f (goal >= 0.7); p99 added over "
                        + "direct at 8 connections: %.3f ms (goal <= 0.5)%n", ratio, added);
                pacedAdded.forEach((k, v) -> System.out.printf("paced p99 added over direct, %s: "
                        + "%.3f ms%n", k, v));
                System.out.printf("proxy: genledger_rps=%.0f nginx_rps=%.0f ratio=%.2f c8_p99_added_ms=%.3f%n",
                        g64.rps(), n64.rps(), ratio, added);
            } finally {
                proxy.close();
                noLedger.close();
                writer.close();
            }
        }
    }
}
