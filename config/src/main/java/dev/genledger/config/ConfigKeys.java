package dev.genledger.config;

import java.math.BigDecimal;
import java.net.URI;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every setting GenLedger reads, in documentation order. Adding a setting means adding one
 * constant here and reading it in {@link ConfigLoader#assemble}; the README table is checked
 * against this list by a test.
 */
public final class ConfigKeys {
    private ConfigKeys() {}

    /** The providers the proxy routes to; also the first path segment of a proxied request. */
    public static final List<String> PROVIDERS = List.of("openai", "gemini", "elevenlabs", "replicate");

    private static final int MAX_PORT = 65535;
    private static final int MAX_MS = 24 * 60 * 60 * 1000;

    public static final ConfigKey<String> BIND = new ConfigKey<>("bind", "GENLEDGER_BIND", ValueType.host(),
            "127.0.0.1", "Listen address of the proxy and the API. Any non-loopback address requires api.token.");

    public static final ConfigKey<Integer> PROXY_PORT = new ConfigKey<>("proxy.port", "GENLEDGER_PROXY_PORT",
            ValueType.intRange(0, MAX_PORT), "8080", "Proxy listen port (0 picks a free port).");
    public static final ConfigKey<Long> PROXY_MAX_REQUEST_BODY_BYTES = new ConfigKey<>(
            "proxy.max_request_body_bytes", "GENLEDGER_PROXY_MAX_REQUEST_BODY_BYTES",
            ValueType.longRange(1024, 4L * 1024 * 1024 * 1024), "67108864",
            "Largest request body forwarded, in bytes; larger requests get 413.");
    public static final ConfigKey<Integer> PROXY_MAX_HEADER_BYTES = new ConfigKey<>(
            "proxy.max_header_bytes", "GENLEDGER_PROXY_MAX_HEADER_BYTES", ValueType.intRange(1024, 1024 * 1024),
            "65536", "Largest request head (request line plus headers), in bytes; larger heads get 431.");
    public static final ConfigKey<Integer> PROXY_CONNECT_TIMEOUT_MS = new ConfigKey<>(
            "proxy.connect_timeout_ms", "GENLEDGER_PROXY_CONNECT_TIMEOUT_MS", ValueType.intRange(100, 600_000),
            "10000", "Upstream connect timeout (TCP and TLS), in milliseconds; exceeded gives 502. Also how long a "
                    + "request waits for a connection when all `proxy.max_connections_per_upstream` are in use; exceeded "
                    + "gives 503.");
    public static final ConfigKey<Integer> PROXY_IDLE_TIMEOUT_MS = new ConfigKey<>(
            "proxy.idle_timeout_ms", "GENLEDGER_PROXY_IDLE_TIMEOUT_MS", ValueType.intRange(1000, MAX_MS),
            "300000", "Upstream idle-read timeout in milliseconds: the time allowed with no byte from the "
                    + "provider. A stream that keeps sending is never cut. Exceeded before the response gives 504.");
    public static final ConfigKey<Integer> PROXY_CLIENT_TIMEOUT_MS = new ConfigKey<>(
            "proxy.client_timeout_ms", "GENLEDGER_PROXY_CLIENT_TIMEOUT_MS", ValueType.intRange(1000, MAX_MS),
            "60000", "Time a client may take between bytes of its request, in milliseconds (slow-loris guard); "
                    + "exceeded gives 408.");
    public static final ConfigKey<Integer> PROXY_MAX_CONNECTIONS_PER_UPSTREAM = new ConfigKey<>(
            "proxy.max_connections_per_upstream", "GENLEDGER_PROXY_MAX_CONNECTIONS_PER_UPSTREAM",
            ValueType.intRange(1, 100_000), "1024", "Bound of the keep-alive connection pool per provider.");
    public static final ConfigKey<Integer> PROXY_POOL_IDLE_MS = new ConfigKey<>("proxy.pool_idle_ms",
            "GENLEDGER_PROXY_POOL_IDLE_MS", ValueType.intRange(1000, MAX_MS), "60000",
            "An idle pooled upstream connection is closed after this many milliseconds.");
    public static final ConfigKey<Integer> PROXY_DRAIN_TIMEOUT_MS = new ConfigKey<>("proxy.drain_timeout_ms",
            "GENLEDGER_PROXY_DRAIN_TIMEOUT_MS", ValueType.intRange(0, MAX_MS), "30000",
            "On shutdown, how long in-flight requests may take to finish, in milliseconds.");

    public static final Map<String, ConfigKey<URI>> UPSTREAM_URL = upstreamUrls();
    public static final ConfigKey<Boolean> OPENAI_INJECT_STREAM_USAGE = new ConfigKey<>(
            "upstreams.openai.inject_stream_usage", "GENLEDGER_UPSTREAM_OPENAI_INJECT_STREAM_USAGE",
            ValueType.bool(), "true",
            "Ask OpenAI for usage on chat-completion streams whose client did not, and withhold the usage chunk "
                    + "from that client. Turn off for OpenAI-compatible servers that reject stream_options.");

    public static final ConfigKey<Integer> API_PORT = new ConfigKey<>("api.port", "GENLEDGER_API_PORT",
            ValueType.intRange(0, MAX_PORT), "8081", "Dashboard API, web page and /metrics port (0 picks a free port).");
    public static final ConfigKey<String> API_TOKEN = new ConfigKey<>("api.token", "GENLEDGER_API_TOKEN",
            ValueType.secret(16), null, "Bearer token required on /api and /metrics. Required when bind is not "
                    + "a loopback address.");

    public static final ConfigKey<String> DATABASE_URL = new ConfigKey<>("database.url", "GENLEDGER_DATABASE_URL",
            ValueType.jdbcPostgresUrl(), null,
            "PostgreSQL JDBC URL. Unset: an embedded PostgreSQL is started under data_dir/postgres.");
    public static final ConfigKey<String> DATABASE_USER = new ConfigKey<>("database.user", "GENLEDGER_DATABASE_USER",
            ValueType.text(256), null, "Database user (with database.url).");
    public static final ConfigKey<String> DATABASE_PASSWORD = new ConfigKey<>("database.password",
            "GENLEDGER_DATABASE_PASSWORD", ValueType.secret(0), null, "Database password (with database.url).");
    public static final ConfigKey<Integer> DATABASE_POOL_SIZE = new ConfigKey<>("database.pool_size",
            "GENLEDGER_DATABASE_POOL_SIZE", ValueType.intRange(2, 200), "10",
            "Connections in the pool shared by the API and the ledger writer.");

    public static final ConfigKey<Path> DATA_DIR = new ConfigKey<>("data_dir", "GENLEDGER_DATA_DIR",
            ValueType.path(), "./data", "Directory for the embedded PostgreSQL, the ledger spool and the key-id secret.");

    public static final ConfigKey<Integer> LEDGER_QUEUE_CAPACITY = new ConfigKey<>("ledger.queue_capacity",
            "GENLEDGER_LEDGER_QUEUE_CAPACITY", ValueType.intRange(16, 10_000_000), "65536",
            "Rows held in memory on their way to the database (as binary COPY tuples, at most 1 GiB); beyond that rows go to the disk spool.");
    public static final ConfigKey<Integer> LEDGER_BATCH_MAX_ROWS = new ConfigKey<>("ledger.batch_max_rows",
            "GENLEDGER_LEDGER_BATCH_MAX_ROWS", ValueType.intRange(1, 100_000), "5000",
            "Most rows written in one database transaction.");
    public static final ConfigKey<Integer> LEDGER_LINGER_MS = new ConfigKey<>("ledger.linger_ms",
            "GENLEDGER_LEDGER_LINGER_MS", ValueType.intRange(0, 60_000), "100",
            "Longest time a row waits for its batch to fill, in milliseconds.");
    public static final ConfigKey<Integer> LEDGER_SPOOL_FSYNC_INTERVAL_MS = new ConfigKey<>(
            "ledger.spool_fsync_interval_ms", "GENLEDGER_LEDGER_SPOOL_FSYNC_INTERVAL_MS",
            ValueType.intRange(1, 60_000), "100", "The spool file is fsynced at least this often, in milliseconds.");
    public static final ConfigKey<Integer> LEDGER_SPOOL_FSYNC_ROWS = new ConfigKey<>("ledger.spool_fsync_rows",
            "GENLEDGER_LEDGER_SPOOL_FSYNC_ROWS", ValueType.intRange(1, 1_000_000), "1000",
            "The spool file is fsynced at least every this many rows.");
    public static final ConfigKey<Integer> LEDGER_SHUTDOWN_TIMEOUT_MS = new ConfigKey<>(
            "ledger.shutdown_timeout_ms", "GENLEDGER_LEDGER_SHUTDOWN_TIMEOUT_MS", ValueType.intRange(0, MAX_MS),
            "30000", "On shutdown, how long the writer may flush to the database before the rest goes to the spool.");

    public static final ConfigKey<Path> PRICING_FILE = new ConfigKey<>("pricing.file", "GENLEDGER_PRICING_FILE",
            ValueType.path(), null, "Extra or overriding prices (GenLedger YAML/JSON or LiteLLM's "
                    + "model_prices_and_context_window.json), merged over the bundled catalog.");
    public static final ConfigKey<BigDecimal> ELEVENLABS_USD_PER_CREDIT = new ConfigKey<>(
            "pricing.elevenlabs_usd_per_credit", "GENLEDGER_ELEVENLABS_USD_PER_CREDIT", ValueType.positiveDecimal(),
            "0.0001", "US dollars per ElevenLabs credit; depends on your plan (API pay-as-you-go: 0.0001).");

    public static final ConfigKey<BigDecimal> BUDGET_MONTHLY_USD = new ConfigKey<>("budget.monthly_usd",
            "GENLEDGER_MONTHLY_BUDGET_USD", ValueType.positiveDecimal(), null,
            "Monthly AI budget in US dollars: utilisation, alerts and the optional hard cap.");
    public static final ConfigKey<String> BUDGET_ALERT_THRESHOLDS = new ConfigKey<>("budget.alert_thresholds",
            "GENLEDGER_BUDGET_ALERT_THRESHOLDS", ValueType.percentListText(), "50,80,100", "Percentages of the budget at which an alert is logged and posted, once per month each.");
    public static final ConfigKey<URI> BUDGET_WEBHOOK_URL = new ConfigKey<>("budget.webhook_url",
            "GENLEDGER_BUDGET_WEBHOOK_URL", ValueType.httpUrl(), null,
            "URL that receives each budget alert as a JSON POST.");
    public static final ConfigKey<Boolean> BUDGET_HARD_CAP = new ConfigKey<>("budget.hard_cap",
            "GENLEDGER_BUDGET_HARD_CAP", ValueType.bool(), "false",
            "When true, the proxy answers 429 (in the provider's error shape) once month-to-date spend reaches the budget.");
    public static final ConfigKey<Integer> BUDGET_REFRESH_MS = new ConfigKey<>("budget.refresh_ms",
            "GENLEDGER_BUDGET_REFRESH_MS", ValueType.intRange(100, 3_600_000), "5000",
            "How often month-to-date spend is re-read from the ledger, in milliseconds.");

    public static final ConfigKey<String> KEY_ID_SECRET = new ConfigKey<>("security.key_id_secret",
            "GENLEDGER_KEY_ID_SECRET", ValueType.secret(16), null,
            "Secret for key_id = HMAC-SHA256(secret, credential). Unset: generated once into data_dir/key-id.secret. "
                    + "Instances sharing a database should share it.");

    private static Map<String, ConfigKey<URI>> upstreamUrls() {
        Map<String, String> defaults = Map.of(
                "openai", "https://api.openai.com",
                "gemini", "https://generativelanguage.googleapis.com",
                "elevenlabs", "https://api.elevenlabs.io",
                "replicate", "https://api.replicate.com");
        Map<String, ConfigKey<URI>> out = new LinkedHashMap<>();
        for (String p : PROVIDERS) {
            out.put(p, new ConfigKey<>("upstreams." + p + ".url", "GENLEDGER_UPSTREAM_" + p.toUpperCase(),
                    ValueType.httpUrl(), defaults.get(p), "Upstream base URL for /" + p + "/… requests."));
        }
        return Map.copyOf(out);
    }

    /** All keys, in documentation order. */
    public static List<ConfigKey<?>> all() {
        List<ConfigKey<?>> keys = new java.util.ArrayList<>(List.of(BIND, PROXY_PORT, API_PORT, API_TOKEN,
                DATABASE_URL, DATABASE_USER, DATABASE_PASSWORD, DATABASE_POOL_SIZE, DATA_DIR));
        for (String p : PROVIDERS) {
            keys.add(UPSTREAM_URL.get(p));
        }
        keys.addAll(List.of(OPENAI_INJECT_STREAM_USAGE,
                PROXY_MAX_REQUEST_BODY_BYTES, PROXY_MAX_HEADER_BYTES, PROXY_CONNECT_TIMEOUT_MS, PROXY_IDLE_TIMEOUT_MS,
                PROXY_CLIENT_TIMEOUT_MS, PROXY_MAX_CONNECTIONS_PER_UPSTREAM, PROXY_POOL_IDLE_MS, PROXY_DRAIN_TIMEOUT_MS,
                LEDGER_QUEUE_CAPACITY, LEDGER_BATCH_MAX_ROWS, LEDGER_LINGER_MS, LEDGER_SPOOL_FSYNC_INTERVAL_MS,
                LEDGER_SPOOL_FSYNC_ROWS, LEDGER_SHUTDOWN_TIMEOUT_MS,
                PRICING_FILE, ELEVENLABS_USD_PER_CREDIT,
                BUDGET_MONTHLY_USD, BUDGET_ALERT_THRESHOLDS, BUDGET_WEBHOOK_URL, BUDGET_HARD_CAP, BUDGET_REFRESH_MS,
                KEY_ID_SECRET));
        return List.copyOf(keys);
    }

    /** Whether a key's value must never be printed. */
    public static boolean isSecret(ConfigKey<?> key) {
        return key == API_TOKEN || key == DATABASE_PASSWORD || key == KEY_ID_SECRET;
    }
}
