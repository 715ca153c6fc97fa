package dev.genledger.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway as a user runs it: a separate process on the embedded database, stopped with
 * SIGTERM (exit 0), started again on the same data directory with its ledger intact.
 */
class GatewayProcessTest {
    @TempDir
    Path dataDir;

    private static final Pattern PROXY = Pattern.compile("proxy +http://[^:]+:(\\d+)");
    private static final Pattern API = Pattern.compile("API +http://[^:]+:(\\d+)/api/v1");

    /** A started gateway process, the ports it printed, and the file its output goes to. */
    record Running(Process process, int proxyPort, int apiPort, Path log) {
        String output() {
            try {
                return Files.readString(log, StandardCharsets.UTF_8);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    private int starts;
    private final java.util.List<Process> started = new java.util.ArrayList<>();

    @org.junit.jupiter.api.AfterEach
    void killLeftovers() throws InterruptedException {
        for (Process p : started) {
            if (p.isAlive()) { // a test that failed half-way must not leave a gateway running
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    private Running start(MockWebServer upstream) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder pb = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), "dev.genledger.gateway.Main");
        pb.environment().putAll(Map.of(
                "GENLEDGER_DATA_DIR", dataDir.toString(),
                "GENLEDGER_PROXY_PORT", "0",
                "GENLEDGER_API_PORT", "0",
                "GENLEDGER_CONFIG", Path.of("..", "config", "gateway.yaml").toString(),
                "GENLEDGER_UPSTREAM_OPENAI", "http://127.0.0.1:" + upstream.getPort()));
        Path log = dataDir.resolveSibling(dataDir.getFileName() + "-gateway-" + (++starts) + ".log");
        pb.redirectErrorStream(true).redirectOutput(log.toFile());
        Process p = pb.start();
        started.add(p);
        Running r = new Running(p, -1, -1, log);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (!r.output().contains("\n  data ") && p.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(50); // waiting for the banner of a separate process
        }
        String out = r.output();
        Matcher m = PROXY.matcher(out);
        Matcher a = API.matcher(out);
        assertThat(m.find() && a.find()).as("the banner names both ports; output: %s", out).isTrue();
        assertThat(out).contains("database   embedded PostgreSQL");
        return new Running(p, Integer.parseInt(m.group(1)), Integer.parseInt(a.group(1)), log);
    }

    private static int stop(Running r) throws InterruptedException {
        r.process().destroy(); // SIGTERM
        assertThat(r.process().waitFor(60, TimeUnit.SECONDS)).as("stopped within 60 s").isTrue();
        return r.process().exitValue();
    }

    @Test
    void runsStopsOnSigtermWithExitZeroAndKeepsItsLedgerAcrossRestarts() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        try (MockWebServer upstream = new MockWebServer()) {
            upstream.start();
            upstream.enqueue(new MockResponse.Builder().addHeader("Content-Type", "application/json")
                    .addHeader("x-request-id", "req_gateway_1")
                    .body("{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"model\":\"gpt-4o-mini-2024-07-18\","
                            + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"Hi\"},"
                            + "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":3,"
                            + "\"total_tokens\":15}}").build());

            Running first = start(upstream);
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + first.proxyPort() + "/openai/v1/chat/completions"))
                    .header("Authorization", "Bearer sk-test").header("X-Task", "article_rewrite")
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"gpt-4o-mini\",\"messages\":[]}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            String id = r.headers().firstValue("x-generation-id").orElseThrow();
            assertThat(stop(first)).as("exit code after SIGTERM; output: %s", first.output()).isZero();
            assertThat(first.output()).contains("gateway: stopped");

            Running second = start(upstream);
            try {
                HttpResponse<String> row = http.send(HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + second.apiPort() + "/api/v1/generations/" + id)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(row.statusCode()).isEqualTo(200);
                assertThat(row.body()).contains("\"id\":\"" + id + "\"").contains("\"task\":\"article_rewrite\"")
                        .contains("\"input_tokens\":12").contains("\"output_tokens\":3")
                        .contains("\"upstream_request_id\":\"req_gateway_1\"");
            } finally {
                assertThat(stop(second)).isZero();
            }
        }
    }
}
