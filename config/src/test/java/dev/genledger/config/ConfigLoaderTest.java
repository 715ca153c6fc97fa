package dev.genledger.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    @TempDir
    Path dir;

    private Path yaml(String text) throws IOException {
        Path f = dir.resolve("gateway.yaml");
        Files.writeString(f, text);
        return f;
    }

    @Test
    void defaultsApplyWhenTheDefaultFileIsAbsent() {
        GatewayConfig c = ConfigLoader.assemble(Map.of(), "none", Map.of());
        assertThat(c.bind()).isEqualTo("127.0.0.1");
        assertThat(c.proxy().port()).isEqualTo(8080);
        assertThat(c.api().port()).isEqualTo(8081);
        assertThat(c.api().token()).isNull();
        assertThat(c.database().embedded()).isTrue();
        assertThat(c.dataDir()).isEqualTo(Path.of("./data"));
        assertThat(c.proxy().maxRequestBodyBytes()).isEqualTo(64L * 1024 * 1024);
        assertThat(c.proxy().connectTimeoutMs()).isEqualTo(10_000);
        assertThat(c.proxy().idleTimeoutMs()).isEqualTo(300_000);
        assertThat(c.upstream("openai").url()).isEqualTo(URI.create("https://api.openai.com"));
        assertThat(c.upstream("openai").injectStreamUsage()).isTrue();
        assertThat(c.upstream("gemini").url()).isEqualTo(URI.create("https://generativelanguage.googleapis.com"));
        assertThat(c.upstream("elevenlabs").url()).isEqualTo(URI.create("https://api.elevenlabs.io"));
        assertThat(c.upstream("replicate").url()).isEqualTo(URI.create("https://api.replicate.com"));
        assertThat(c.ledger().lingerMs()).isEqualTo(100);
        assertThat(c.ledger().spoolFsyncRows()).isEqualTo(1000);
        assertThat(c.budget().monthlyUsd()).isNull();
        assertThat(c.budget().alertThresholdsPercent())
                .containsExactly(new BigDecimal("50"), new BigDecimal("80"), new BigDecimal("100"));
        assertThat(c.pricing().elevenLabsUsdPerCredit()).isEqualByComparingTo("0.0001");
    }

    @Test
    void theShippedSampleFileStatesExactlyTheDefaults() {
        // config/gateway.yaml documents every key with its default value.
        GatewayConfig fromSample = ConfigLoader.load(Path.of("gateway.yaml"), Map.of());
        assertThat(fromSample).isEqualTo(ConfigLoader.assemble(Map.of(), "none", Map.of()));
    }

    @Test
    void theSampleFileMentionsEveryEnvironmentVariable() throws IOException {
        String sample = Files.readString(Path.of("gateway.yaml"));
        for (ConfigKey<?> key : ConfigKeys.all()) {
            assertThat(sample).as(key.path()).contains(key.env());
        }
    }

    @Test
    void theReadmeDocumentsEverySetting() throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"));
        for (ConfigKey<?> key : ConfigKeys.all()) {
            assertThat(readme).as(key.env()).contains("`" + key.env() + "`").contains("`" + key.path() + "`");
        }
    }

    @Test
    void environmentOverridesTheFile() throws IOException {
        Path f = yaml("proxy:\n  port: 9000\napi:\n  port: 9001\n");
        GatewayConfig c = ConfigLoader.load(f, Map.of("GENLEDGER_PROXY_PORT", "9100"));
        assertThat(c.proxy().port()).isEqualTo(9100);
        assertThat(c.api().port()).isEqualTo(9001);
    }

    @Test
    void upstreamsAndBudgetAreReadFromTheFile() throws IOException {
        Path f = yaml("""
                upstreams:
                  openai:
                    url: http://127.0.0.1:1234
                    inject_stream_usage: false
                budget:
                  monthly_usd: 250.50
                  alert_thresholds: [25, 75]
                  hard_cap: true
                """);
        GatewayConfig c = ConfigLoader.load(f, Map.of());
        assertThat(c.upstream("openai").url()).isEqualTo(URI.create("http://127.0.0.1:1234"));
        assertThat(c.upstream("openai").injectStreamUsage()).isFalse();
        assertThat(c.budget().monthlyUsd()).isEqualByComparingTo("250.50");
        assertThat(c.budget().alertThresholdsPercent()).containsExactly(new BigDecimal("25"), new BigDecimal("75"));
        assertThat(c.budget().hardCap()).isTrue();
    }

    @Test
    void aBadNumberNamesTheKeyTheValueAndTheRange() {
        assertThatThrownBy(() -> ConfigLoader.assemble(Map.of(), "f", Map.of("GENLEDGER_PROXY_PORT", "80a")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("proxy.port (GENLEDGER_PROXY_PORT) is '80a' in the environment but expected a whole "
                        + "number from 0 to 65535");
    }

    @Test
    void aBadValueInTheFileNamesTheFile() throws IOException {
        Path f = yaml("upstreams:\n  gemini:\n    url: ftp://example.com\n");
        assertThatThrownBy(() -> ConfigLoader.load(f, Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("upstreams.gemini.url (GENLEDGER_UPSTREAM_GEMINI) is 'ftp://example.com' in ")
                .hasMessageContaining(f.toString())
                .hasMessageEndingWith("but expected an http:// or https:// URL with a host");
    }

    @Test
    void anUnknownKeyIsAnErrorThatSuggestsTheClosestKey() throws IOException {
        Path f = yaml("proxy:\n  prot: 8080\n");
        assertThatThrownBy(() -> ConfigLoader.load(f, Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessage("unknown key 'proxy.prot' in " + f + "; did you mean proxy.port?");
    }

    @Test
    void anUnknownSectionIsAnError() throws IOException {
        Path f = yaml("metrics:\n  enabled: true\n");
        assertThatThrownBy(() -> ConfigLoader.load(f, Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("unknown key 'metrics' in ");
    }

    @Test
    void invalidYamlGivesTheLine() throws IOException {
        Path f = yaml("proxy:\n  port: 8080\n bad: [\n");
        assertThatThrownBy(() -> ConfigLoader.load(f, Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("is not valid YAML at line");
    }

    @Test
    void anExplicitConfigFileMustExist() {
        Path missing = dir.resolve("nope.yaml");
        assertThatThrownBy(() -> ConfigLoader.load(missing, Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessage("config file " + missing + " does not exist; pass an existing file to --config "
                        + "(or GENLEDGER_CONFIG), or omit it to use the defaults");
    }

    @Test
    void bindingBeyondLoopbackRequiresAnApiToken() {
        assertThatThrownBy(() -> ConfigLoader.assemble(Map.of(), "f", Map.of("GENLEDGER_BIND", "0.0.0.0")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("GENLEDGER_BIND (bind) is 0.0.0.0 but GENLEDGER_API_TOKEN (api.token) is unset; "
                        + "set a token of at least 16 characters or bind to 127.0.0.1");
        GatewayConfig ok = ConfigLoader.assemble(Map.of(), "f",
                Map.of("GENLEDGER_BIND", "0.0.0.0", "GENLEDGER_API_TOKEN", "0123456789abcdef0123"));
        assertThat(ok.bindIsLoopback()).isFalse();
        assertThat(ConfigLoader.assemble(Map.of(), "f", Map.of("GENLEDGER_BIND", "localhost")).bindIsLoopback())
                .isTrue();
    }

    @Test
    void aSecretIsNeverEchoedInAnError() {
        assertThatThrownBy(() -> ConfigLoader.assemble(Map.of(), "f", Map.of("GENLEDGER_API_TOKEN", "short-secret")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("api.token (GENLEDGER_API_TOKEN) is '****' in the environment but expected at least "
                        + "16 characters")
                .message().doesNotContain("short-secret");
    }

    @Test
    void secretsAreMaskedInToString() {
        GatewayConfig c = ConfigLoader.assemble(Map.of(), "f", Map.of(
                "GENLEDGER_API_TOKEN", "tok-0123456789abcdef",
                "GENLEDGER_DATABASE_URL", "jdbc:postgresql://db/x",
                "GENLEDGER_DATABASE_PASSWORD", "pw-very-secret"));
        assertThat(c.toString()).doesNotContain("tok-0123456789abcdef").doesNotContain("pw-very-secret");
    }

    @Test
    void inconsistentCombinationsAreRejected() {
        assertThatThrownBy(() -> ConfigLoader.assemble(Map.of(), "f",
                Map.of("GENLEDGER_PROXY_PORT", "9000", "GENLEDGER_API_PORT", "9000")))
                .hasMessageContaining("are both 9000");
        assertThatThrownBy(() -> ConfigLoader.assemble(Map.of(), "f", Map.of("GENLEDGER_BUDGET_HARD_CAP", "true")))
                .hasMessageContaining("GENLEDGER_MONTHLY_BUDGET_USD (budget.monthly_usd) is unset");
        assertThatThrownBy(() -> ConfigLoader.assemble(Map.of(), "f", Map.of("GENLEDGER_DATABASE_USER", "u")))
                .hasMessageContaining("GENLEDGER_DATABASE_URL (database.url) is unset");
        assertThatThrownBy(() -> ConfigLoader.assemble(Map.of(), "f",
                Map.of("GENLEDGER_BUDGET_ALERT_THRESHOLDS", "80,50")))
                .hasMessageContaining("expected increasing percentages");
        assertThatThrownBy(() -> ConfigLoader.assemble(Map.of(), "f", Map.of("GENLEDGER_MONTHLY_BUDGET_USD", "-5")))
                .hasMessage("budget.monthly_usd (GENLEDGER_MONTHLY_BUDGET_USD) is '-5' in the environment but "
                        + "expected a decimal number greater than 0");
        assertThatThrownBy(() -> ConfigLoader.assemble(Map.of(), "f", Map.of("GENLEDGER_BUDGET_HARD_CAP", "yes")))
                .hasMessageContaining("expected true or false");
    }

    @Test
    void everyKeyHasAUniqueEnvironmentVariableAndPath() {
        List<ConfigKey<?>> keys = ConfigKeys.all();
        assertThat(keys.stream().map(ConfigKey::env).distinct().count()).isEqualTo(keys.size());
        assertThat(keys.stream().map(ConfigKey::path).distinct().count()).isEqualTo(keys.size());
    }
}
