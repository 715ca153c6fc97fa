package dev.genledger.gateway;

import dev.genledger.config.ConfigException;
import dev.genledger.config.ConfigLoader;
import dev.genledger.config.GatewayConfig;
import dev.genledger.ledger.LedgerDatabase;
import dev.genledger.ledger.RepriceReport;
import dev.genledger.ledger.Repricer;
import dev.genledger.pricing.PriceCatalog;
import dev.genledger.proxy.NettyDefaults;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * {@code genledger [--role all|proxy|api] [--config PATH]} starts the gateway;
 * {@code genledger reprice --from DATE [--provider P] [--model M]} re-prices stored rows.
 * Exit codes: 0 on a clean stop (also after SIGTERM/SIGINT), 1 when start-up fails, 2 for bad
 * arguments or configuration.
 */
public final class Main {
    private static final Logger log = LoggerFactory.getLogger(Main.class);

    static final String USAGE = """
            usage: genledger [--role all|proxy|api] [--config PATH]
                   genledger reprice --from YYYY-MM-DD [--provider P] [--model M] [--config PATH]
                   genledger --help | --version

              --role     all (default): proxy, ledger writer, API and dashboard in one process;
                         proxy: the proxy and ledger writer; api: the API and dashboard.
                         proxy and api need an external database (GENLEDGER_DATABASE_URL).
              --config   YAML configuration (default config/gateway.yaml, or GENLEDGER_CONFIG);
                         GENLEDGER_* environment variables override single keys.
              reprice    recompute the cost of stored rows from their stored usage with the current
                         price catalog (bundled + GENLEDGER_PRICING_FILE), from a UTC date on.
            """;

    private Main() {}

    public static void main(String[] args) {
        NettyDefaults.apply();
        System.exit(run(args, System.getenv(), System.out, System.err));
    }

    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        List<String> rest = new ArrayList<>(List.of(args));
        boolean reprice = !rest.isEmpty() && rest.get(0).equals("reprice");
        if (reprice) {
            rest.remove(0);
        }
        Role role = Role.ALL;
        Path configFile = null;
        LocalDate from = null;
        String provider = null;
        String model = null;
        try {
            for (int i = 0; i < rest.size(); i++) {
                String a = rest.get(i);
                switch (a) {
                    case "--help", "-h" -> {
                        out.print(USAGE);
                        return 0;
                    }
                    case "--version" -> {
                        out.println("GenLedger " + version());
                        return 0;
                    }
                    case "--role" -> role = Role.parse(value(rest, ++i, a));
                    case "--config" -> configFile = Path.of(value(rest, ++i, a));
                    case "--from" -> from = parseDate(value(rest, ++i, a));
                    case "--provider" -> provider = value(rest, ++i, a);
                    case "--model" -> model = value(rest, ++i, a);
                    default -> throw new IllegalArgumentException("unknown argument '" + a + "'; see --help");
                }
            }
            if (reprice && from == null) {
                throw new IllegalArgumentException("reprice needs --from YYYY-MM-DD (the first UTC day to re-price)");
            }
            if (!reprice && (from != null || provider != null || model != null)) {
                throw new IllegalArgumentException("--from, --provider and --model go with reprice; see --help");
            }
        } catch (IllegalArgumentException e) {
            err.println("genledger: " + e.getMessage());
            return 2;
        }
        GatewayConfig config;
        try {
            config = ConfigLoader.load(configFile, env);
            if (role != Role.ALL && config.database().embedded()) {
                throw new ConfigException("--role " + role.wire() + " needs an external database shared with the "
                        + "other roles; set GENLEDGER_DATABASE_URL, or run --role all with the embedded one");
            }
        } catch (ConfigException e) {
            err.println("genledger: " + e.getMessage());
            return 2;
        }
        return reprice ? reprice(config, from, provider, model, out, err) : serve(config, role, out, err);
    }

    private static int serve(GatewayConfig config, Role role, PrintStream out, PrintStream err) {
        Gateway gateway;
        try {
            gateway = Gateway.start(config, role);
        } catch (Exception e) {
            log.error("gateway: start-up failed", e);
            err.println("genledger: start-up failed: " + e.getMessage());
            return 1;
        }
        out.print(gateway.banner(version()));
        out.flush();
        Runnable stop = () -> new Thread(gateway::close, "genledger-shutdown").start();
        // SIGTERM and SIGINT stop the gateway in order and end the process with 0, not 143/130.
        Signal.handle(new Signal("TERM"), s -> stop.run());
        Signal.handle(new Signal("INT"), s -> stop.run());
        try {
            while (!gateway.awaitStopped(1, java.util.concurrent.TimeUnit.HOURS)) {
                // serve until stopped
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            gateway.close();
        }
        return 0;
    }

    private static int reprice(GatewayConfig config, LocalDate from, String provider, String model, PrintStream out,
                               PrintStream err) {
        try {
            PriceCatalog catalog = PriceCatalog.load(config.pricing().file(), config.pricing().elevenLabsUsdPerCredit());
            GatewayConfig.Database db = config.database();
            try (LedgerDatabase database = LedgerDatabase.open(db.url(), db.user(), db.password(), 2,
                    config.dataDir().resolve("postgres"))) {
                RepriceReport r = Repricer.run(database.dataSource(), catalog, from, provider, model);
                out.printf("reprice from %s%s%s: %d rows examined, %d changed, total delta %s USD%n", from,
                        provider == null ? "" : " provider " + provider, model == null ? "" : " model " + model,
                        r.rowsExamined(), r.rowsChanged(), r.deltaUsd().toPlainString());
                return 0;
            }
        } catch (Exception e) {
            log.error("reprice failed", e);
            err.println("genledger: reprice failed: " + e.getMessage());
            return 1;
        }
    }

    private static String value(List<String> args, int i, String flag) {
        if (i >= args.size() || args.get(i).startsWith("--")) {
            throw new IllegalArgumentException(flag + " needs a value; see --help");
        }
        return args.get(i);
    }

    private static LocalDate parseDate(String s) {
        try {
            return LocalDate.parse(s);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("--from is '" + s + "' but must be a date like 2026-11-01");
        }
    }

    static String version() {
        String v = Main.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
