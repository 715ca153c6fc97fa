package dev.genledger.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genledger.pricing.Pricer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyStore;
import javax.net.ssl.TrustManagerFactory;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Upstream TLS verifies the certificate chain and the host name, and sends SNI. */
class ProxyTlsTest {
    private HeldCertificate ca;
    private MockWebServer tlsUpstream;

    @BeforeEach
    void setUp() throws Exception {
        ca = new HeldCertificate.Builder().certificateAuthority(0).commonName("GenLedger test CA").build();
        tlsUpstream = new MockWebServer();
    }

    @AfterEach
    void tearDown() {
        tlsUpstream.close();
    }

    private void serveAs(String host) throws Exception {
        HeldCertificate server = new HeldCertificate.Builder().signedBy(ca).addSubjectAlternativeName(host).build();
        HandshakeCertificates serverCerts = new HandshakeCertificates.Builder().heldCertificate(server).build();
        tlsUpstream.useHttps(serverCerts.sslSocketFactory());
        tlsUpstream.start();
    }

    private TrustManagerFactory trustingTestCa() throws Exception {
        KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
        ks.load(null, null);
        ks.setCertificateEntry("ca", ca.certificate());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        return tmf;
    }

    private ProxyHarness proxyTo(String host, TrustManagerFactory trust) throws Exception {
        URI url = URI.create("https://" + host + ":" + tlsUpstream.getPort());
        return new ProxyHarness(url, s -> trust == null ? s : s.withTrust(trust), null, Pricer.NONE);
    }

    private static HttpResponse<String> call(ProxyHarness h) throws Exception {
        return h.client.send(HttpRequest.newBuilder(h.url("/openai/v1/chat/completions"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aTrustedCertificateForTheHostWorksAndTheHostIsSentAsSni() throws Exception {
        serveAs("localhost");
        tlsUpstream.enqueue(new MockResponse.Builder().body("{\"secure\":true}").build());
        try (ProxyHarness h = proxyTo("localhost", trustingTestCa())) {
            HttpResponse<String> r = call(h);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("{\"secure\":true}");
            var recorded = tlsUpstream.takeRequest();
            assertThat(recorded.getHandshakeServerNames()).containsExactly("localhost");
            assertThat(recorded.getHeaders().get("Host")).isEqualTo("localhost:" + tlsUpstream.getPort());
        }
    }

    @Test
    void anUntrustedCertificateIsRefusedWith502() throws Exception {
        serveAs("localhost");
        try (ProxyHarness h = proxyTo("localhost", null)) { // the JDK's trust store does not know the test CA
            HttpResponse<String> r = call(h);
            assertThat(r.statusCode()).isEqualTo(502);
            assertThat(h.ledger.next().error()).startsWith("cannot reach openai at localhost:");
            assertThat(tlsUpstream.getRequestCount()).isZero();
        }
    }

    @Test
    void aCertificateForAnotherHostIsRefusedWith502() throws Exception {
        serveAs("api.example.com");
        try (ProxyHarness h = proxyTo("localhost", trustingTestCa())) {
            HttpResponse<String> r = call(h);
            assertThat(r.statusCode()).isEqualTo(502);
            assertThat(tlsUpstream.getRequestCount()).isZero();
        }
    }
}
