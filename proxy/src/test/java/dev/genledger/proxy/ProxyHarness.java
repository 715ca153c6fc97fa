package dev.genledger.proxy;

import dev.genledger.pricing.Pricer;
import dev.genledger.proxy.provider.ProviderAdapter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;
import mockwebserver3.MockWebServer;

/** A proxy in front of one fake upstream (MockWebServer) that plays every provider. */
final class ProxyHarness implements AutoCloseable {
    static final byte[] SECRET = "test-key-id-secret-0123456789".getBytes(StandardCharsets.UTF_8);

    final MockWebServer upstream = new MockWebServer();
    final RecordingLedger ledger = new RecordingLedger();
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final Map<String, TestAdapter> adapters = new LinkedHashMap<>();
    final ProxyServer proxy;
    final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    ProxyHarness() throws Exception {
        this(s -> s, null, Pricer.NONE);
    }

    ProxyHarness(UnaryOperator<ProxySettings> tweak, BooleanSupplier budgetCap, Pricer pricer) throws Exception {
        this(null, tweak, budgetCap, pricer);
    }

    /** A proxy whose providers all point at {@code upstreamUrl} (null: the MockWebServer). */
    ProxyHarness(URI upstreamUrl, UnaryOperator<ProxySettings> tweak, BooleanSupplier budgetCap, Pricer pricer)
            throws Exception {
        this(upstreamUrl, tweak, budgetCap, pricer, false);
    }

    /**
     * A proxy with the gateway's real provider adapters in front of {@code upstreamUrl}
     * ({@link #adapters} stays empty).
     */
    static ProxyHarness withRealAdapters(URI upstreamUrl) throws Exception {
        return new ProxyHarness(upstreamUrl, s -> s, null, Pricer.NONE, true);
    }

    private ProxyHarness(URI upstreamUrl, UnaryOperator<ProxySettings> tweak, BooleanSupplier budgetCap, Pricer pricer,
            boolean realAdapters) throws Exception {
        upstream.start();
        URI target = upstreamUrl != null ? upstreamUrl : URI.create("http://127.0.0.1:" + upstream.getPort());
        Map<String, URI> urls = new LinkedHashMap<>();
        Map<String, ProviderAdapter> byName = new LinkedHashMap<>();
        for (String p : new String[] {"openai", "gemini", "elevenlabs", "replicate"}) {
            urls.put(p, target);
            if (!realAdapters) {
                TestAdapter a = new TestAdapter(p);
                adapters.put(p, a);
                byName.put(p, a);
            }
        }
        ProxySettings settings = tweak.apply(ProxySettings.defaults(urls, SECRET));
        proxy = ProxyServer.start(settings, realAdapters ? Providers.all(true) : byName, pricer, ledger, registry,
                budgetCap);
    }

    URI url(String path) {
        return URI.create("http://127.0.0.1:" + proxy.port() + path);
    }

    /** Sends raw bytes on a new connection and returns everything the gateway answers until it closes. */
    String raw(String request) throws IOException {
        try (Socket s = new Socket("127.0.0.1", proxy.port())) {
            s.setSoTimeout(5_000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            return readUntilClosed(s.getInputStream());
        }
    }

    /** What a connection delivers until it is closed (or reset after an answer), within 5 s. */
    static String readUntilClosed(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        try {
            int n;
            while ((n = in.read(buf)) >= 0) {
                b.write(buf, 0, n);
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the gateway neither answered nor closed within 5 s; got: " + b, e);
        } catch (IOException e) {
            // reset by the gateway after its answer
        }
        return b.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() {
        proxy.close();
        upstream.close();
    }
}
