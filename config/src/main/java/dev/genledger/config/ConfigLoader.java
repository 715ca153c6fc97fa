package dev.genledger.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads {@link GatewayConfig}: defaults, then the YAML file, then {@code GENLEDGER_*} environment
 * variables, each later source overriding single keys. Unknown YAML keys, unparsable values and
 * inconsistent combinations stop loading with a {@link ConfigException} whose one-line message
 * names the key, the value and what is allowed.
 */
public final class ConfigLoader {
    private static final Logger log = LoggerFactory.getLogger(ConfigLoader.class);

    /** The file read when neither {@code --config} nor {@code GENLEDGER_CONFIG} names one. */
    public static final Path DEFAULT_FILE = Path.of("config", "gateway.yaml");
    public static final String CONFIG_ENV = "GENLEDGER_CONFIG";

    private ConfigLoader() {}

    /**
     * @param file     the YAML file, or null to use {@code GENLEDGER_CONFIG} or the default
     * @param env      the environment (normally {@link System#getenv()})
     */
    public static GatewayConfig load(Path file, Map<String, String> env) {
        boolean explicit = file != null || env.get(CONFIG_ENV) != null;
        Path path = file != null ? file : env.get(CONFIG_ENV) != null ? Path.of(env.get(CONFIG_ENV)) : DEFAULT_FILE;
        Map<String, String> fromFile = readYaml(path, explicit);
        return assemble(fromFile, path.toString(), env);
    }

    /** Builds the config from raw values already flattened to dotted keys. */
    static GatewayConfig assemble(Map<String, String> fromFile, String fileName, Map<String, String> env) {
        Values v = new Values(fromFile, fileName, env);
        Map<String, GatewayConfig.Upstream> upstreams = new LinkedHashMap<>();
        for (String p : ConfigKeys.PROVIDERS) {
            boolean inject = p.equals("openai") && v.get(ConfigKeys.OPENAI_INJECT_STREAM_USAGE);
            upstreams.put(p, new GatewayConfig.Upstream(v.get(ConfigKeys.UPSTREAM_URL.get(p)), inject));
        }
        GatewayConfig config = new GatewayConfig(
                v.get(ConfigKeys.BIND),
                new GatewayConfig.Proxy(v.get(ConfigKeys.PROXY_PORT), v.get(ConfigKeys.PROXY_MAX_REQUEST_BODY_BYTES),
                        v.get(ConfigKeys.PROXY_MAX_HEADER_BYTES), v.get(ConfigKeys.PROXY_CONNECT_TIMEOUT_MS),
                        v.get(ConfigKeys.PROXY_IDLE_TIMEOUT_MS), v.get(ConfigKeys.PROXY_CLIENT_TIMEOUT_MS),
                        v.get(ConfigKeys.PROXY_MAX_CONNECTIONS_PER_UPSTREAM), v.get(ConfigKeys.PROXY_POOL_IDLE_MS),
                        v.get(ConfigKeys.PROXY_DRAIN_TIMEOUT_MS)),
                upstreams,
                new GatewayConfig.Api(v.get(ConfigKeys.API_PORT), v.get(ConfigKeys.API_TOKEN)),
                new GatewayConfig.Database(v.get(ConfigKeys.DATABASE_URL), v.get(ConfigKeys.DATABASE_USER),
                        v.get(ConfigKeys.DATABASE_PASSWORD), v.get(ConfigKeys.DATABASE_POOL_SIZE)),
                v.get(ConfigKeys.DATA_DIR),
                new GatewayConfig.Ledger(v.get(ConfigKeys.LEDGER_QUEUE_CAPACITY), v.get(ConfigKeys.LEDGER_BATCH_MAX_ROWS),
                        v.get(ConfigKeys.LEDGER_LINGER_MS), v.get(ConfigKeys.LEDGER_SPOOL_FSYNC_INTERVAL_MS),
                        v.get(ConfigKeys.LEDGER_SPOOL_FSYNC_ROWS), v.get(ConfigKeys.LEDGER_SHUTDOWN_TIMEOUT_MS)),
                new GatewayConfig.Pricing(v.get(ConfigKeys.PRICING_FILE), v.get(ConfigKeys.ELEVENLABS_USD_PER_CREDIT)),
                new GatewayConfig.Budget(v.get(ConfigKeys.BUDGET_MONTHLY_USD),
                        ValueType.percentList().parse(v.get(ConfigKeys.BUDGET_ALERT_THRESHOLDS)),
                        v.get(ConfigKeys.BUDGET_WEBHOOK_URL), v.get(ConfigKeys.BUDGET_HARD_CAP),
                        v.get(ConfigKeys.BUDGET_REFRESH_MS)),
                v.get(ConfigKeys.KEY_ID_SECRET));
        validate(config, v);
        v.warnUnknownEnv();
        return config;
    }

    private static void validate(GatewayConfig c, Values v) {
        if (!c.bindIsLoopback() && c.api().token() == null) {
            throw new ConfigException("GENLEDGER_BIND (bind) is %s but GENLEDGER_API_TOKEN (api.token) is unset; "
                    .formatted(c.bind()) + "set a token of at least 16 characters or bind to 127.0.0.1");
        }
        if (c.proxy().port() != 0 && c.proxy().port() == c.api().port()) {
            throw new ConfigException("GENLEDGER_PROXY_PORT (proxy.port) and GENLEDGER_API_PORT (api.port) are both "
                    + c.proxy().port() + "; give them different ports");
        }
        if (c.budget().hardCap() && c.budget().monthlyUsd() == null) {
            throw new ConfigException("GENLEDGER_BUDGET_HARD_CAP (budget.hard_cap) is true but "
                    + "GENLEDGER_MONTHLY_BUDGET_USD (budget.monthly_usd) is unset; set a budget or turn the cap off");
        }
        if (c.database().url() == null && (c.database().user() != null || c.database().password() != null)) {
            throw new ConfigException("GENLEDGER_DATABASE_USER/_PASSWORD are set but GENLEDGER_DATABASE_URL "
                    + "(database.url) is unset; set the URL too, or unset them to use the embedded database");
        }
        if (c.budget().webhookUrl() != null && c.budget().monthlyUsd() == null) {
            log.warn("config: budget.webhook_url is set but budget.monthly_usd is not; no alert will ever be sent");
        }
    }

    private static Map<String, String> readYaml(Path path, boolean explicit) {
        JsonNode root;
        try {
            byte[] bytes = Files.readAllBytes(path);
            // Decimals stay exact: 0.0001 must not become a double on its way to a BigDecimal.
            root = YAMLMapper.builder()
                    .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                    .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
                    .build().readTree(bytes);
        } catch (NoSuchFileException e) {
            if (explicit) {
                throw new ConfigException("config file " + path + " does not exist; pass an existing file to "
                        + "--config (or GENLEDGER_CONFIG), or omit it to use the defaults");
            }
            log.info("config: no {} here, using defaults and GENLEDGER_* environment variables", path);
            return Map.of();
        } catch (JacksonException e) {
            String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr();
            throw new ConfigException("config file " + path + " is not valid YAML" + where + ": "
                    + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ConfigException("config file " + path + " cannot be read: " + e.getMessage());
        }
        Map<String, String> flat = new LinkedHashMap<>();
        if (root == null || root.isNull() || root.isMissingNode()) {
            return flat;
        }
        if (!root.isObject()) {
            throw new ConfigException("config file " + path + " must be a YAML mapping of keys (such as proxy: {port: 8080})");
        }
        flatten("", root, flat, path);
        return flat;
    }

    private static void flatten(String prefix, JsonNode node, Map<String, String> out, Path file) {
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
            JsonNode value = e.getValue();
            if (value.isNull() && isKnownPrefix(key)) {
                continue; // an empty section, such as one whose keys are all commented out
            }
            if (value.isObject() && !isKnown(key)) {
                if (!isKnownPrefix(key)) {
                    throw unknownKey(key, file);
                }
                flatten(key, value, out, file);
            } else if (!isKnown(key)) {
                throw unknownKey(key, file);
            } else if (value.isNull()) {
                out.remove(key);
            } else if (value.isArray()) {
                List<String> parts = new ArrayList<>();
                value.forEach(n -> parts.add(n.asText()));
                out.put(key, String.join(",", parts));
            } else if (value.isContainerNode()) {
                throw new ConfigException("%s in %s must be a single value, not a mapping".formatted(key, file));
            } else {
                out.put(key, value.asText());
            }
        }
    }

    private static boolean isKnown(String path) {
        return ConfigKeys.all().stream().anyMatch(k -> k.path().equals(path));
    }

    private static boolean isKnownPrefix(String path) {
        return ConfigKeys.all().stream().anyMatch(k -> k.path().startsWith(path + "."));
    }

    private static ConfigException unknownKey(String key, Path file) {
        String closest = ConfigKeys.all().stream().map(ConfigKey::path)
                .min(Comparator.comparingInt(p -> editDistance(p, key))).orElseThrow();
        String hint = editDistance(closest, key) <= Math.max(2, key.length() / 3)
                ? "did you mean " + closest + "?" : "see the configuration table in README.md";
        return new ConfigException("unknown key '%s' in %s; %s".formatted(key, file, hint));
    }

    static int editDistance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    /** Raw values by key with their source, resolved in order default, file, environment. */
    private static final class Values {
        private final Map<String, String> file;
        private final String fileName;
        private final Map<String, String> env;
        private final Map<String, Object> cache = new HashMap<>();

        Values(Map<String, String> file, String fileName, Map<String, String> env) {
            this.file = file;
            this.fileName = fileName;
            this.env = env;
        }

        @SuppressWarnings("unchecked")
        <T> T get(ConfigKey<T> key) {
            return (T) cache.computeIfAbsent(key.path(), p -> resolve(key));
        }

        private <T> Object resolve(ConfigKey<T> key) {
            String fromEnv = env.get(key.env());
            if (fromEnv != null && !fromEnv.isBlank()) {
                return key.parse(fromEnv, "the environment");
            }
            String fromFile = file.get(key.path());
            if (fromFile != null && !fromFile.isBlank()) {
                return key.parse(fromFile, fileName);
            }
            return key.fallback() == null ? null : key.parse(key.fallback(), "the defaults");
        }

        void warnUnknownEnv() {
            for (String name : env.keySet()) {
                if (name.startsWith("GENLEDGER_") && !name.equals(CONFIG_ENV)
                        && ConfigKeys.all().stream().noneMatch(k -> k.env().equals(name))) {
                    log.warn("config: environment variable {} is not a GenLedger setting and is ignored", name);
                }
            }
        }
    }

}
