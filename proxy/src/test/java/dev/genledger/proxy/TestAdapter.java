package dev.genledger.proxy;

import dev.genledger.ledger.Modality;
import dev.genledger.pricing.Usage;
import dev.genledger.proxy.provider.AsyncJob;
import dev.genledger.proxy.provider.Ending;
import dev.genledger.proxy.provider.Exchange;
import dev.genledger.proxy.provider.Observation;
import dev.genledger.proxy.provider.ProviderAdapter;
import dev.genledger.proxy.provider.RequestInfo;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An adapter for testing the proxy core: it counts the bytes it is shown and hashes the decoded
 * response, and reports them as usage (input = request bytes, output = response bytes) and as
 * the upstream request id ({@code sha256:<hex>}), so a test can see exactly what the adapter saw.
 */
final class TestAdapter implements ProviderAdapter {
    private final String name;
    final List<RequestInfo> requests = new CopyOnWriteArrayList<>();

    TestAdapter(String name) {
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public byte[] errorBody(int status, String code, String message) {
        return ("{\"error\":{\"message\":\"" + message.replace("\"", "'") + "\",\"type\":\"gateway\",\"code\":\""
                + code + "\",\"provider\":\"" + name + "\"}}").getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public Exchange begin(RequestInfo request) {
        requests.add(request);
        boolean generation = !request.method().equals("GET");
        return new Exchange() {
            long in;
            long out;
            final MessageDigest sha = sha256();

            @Override
            public String operation() {
                return generation ? "chat" : "poll";
            }

            @Override
            public Modality modality() {
                return generation ? Modality.TEXT : Modality.NONE;
            }

            @Override
            public void requestBody(ByteBuffer chunk) {
                in += chunk.remaining();
            }

            @Override
            public void responseBody(ByteBuffer chunk) {
                out += chunk.remaining();
                sha.update(chunk.duplicate());
            }

            @Override
            public Observation finish(Ending ending) {
                return new Observation(operation(), modality(), "test-model",
                        Usage.builder().inputTokens(in).outputTokens(out).build(), false,
                        "sha256:" + HexFormat.of().formatHex(sha.digest()), null, ending != Ending.COMPLETE,
                        AsyncJob.NONE);
            }
        };
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String sha256(byte[] bytes) {
        return "sha256:" + HexFormat.of().formatHex(sha256().digest(bytes));
    }
}
