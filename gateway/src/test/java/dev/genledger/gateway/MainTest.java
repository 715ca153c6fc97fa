package dev.genledger.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MainTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(Map<String, String> env, String... args) {
        return Main.run(args, env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void helpPrintsTheUsageAndExitsZero() {
        assertThat(run(Map.of(), "--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("usage: genledger [--role all|proxy|api]")
                .contains("reprice --from");
    }

    @Test
    void aBadConfigurationValueStopsStartUpWithOneClearLine() {
        assertThat(run(Map.of("GENLEDGER_PROXY_PORT", "eighty"))).isEqualTo(2);
        assertThat(err()).isEqualTo("genledger: proxy.port (GENLEDGER_PROXY_PORT) is 'eighty' in the environment but "
                + "expected a whole number from 0 to 65535" + System.lineSeparator());
    }

    @Test
    void bindingToAllInterfacesWithoutATokenIsRefused() {
        assertThat(run(Map.of("GENLEDGER_BIND", "0.0.0.0"))).isEqualTo(2);
        assertThat(err()).contains("GENLEDGER_API_TOKEN (api.token) is unset");
    }

    @Test
    void splitRolesNeedASharedDatabase() {
        assertThat(run(Map.of(), "--role", "proxy")).isEqualTo(2);
        assertThat(err()).contains("--role proxy needs an external database").contains("GENLEDGER_DATABASE_URL");
    }

    @Test
    void badArgumentsAreNamed() {
        assertThat(run(Map.of(), "--role", "gateway")).isEqualTo(2);
        assertThat(err()).contains("--role is 'gateway' but must be all, proxy or api");
        err.reset();
        assertThat(run(Map.of(), "--frobnicate")).isEqualTo(2);
        assertThat(err()).contains("unknown argument '--frobnicate'");
        err.reset();
        assertThat(run(Map.of(), "reprice")).isEqualTo(2);
        assertThat(err()).contains("reprice needs --from YYYY-MM-DD");
        err.reset();
        assertThat(run(Map.of(), "reprice", "--from", "last week")).isEqualTo(2);
        assertThat(err()).contains("--from is 'last week' but must be a date like 2026-11-01");
    }
}
