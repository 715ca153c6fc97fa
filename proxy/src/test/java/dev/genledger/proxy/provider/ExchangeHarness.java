package dev.genledger.proxy.provider;

import dev.genledger.proxy.parse.Chunks;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Drives an adapter through one exchange the way the proxy does, with request and response bodies
 * cut into pieces (fixed size or seeded random boundaries), and returns what it observed. Bodies
 * are given decoded, as the proxy hands them to adapters.
 */
public final class ExchangeHarness {
    private final ProviderAdapter adapter;
    private String method = "POST";
    private String path = "/";
    private final Map<String, List<String>> query = new LinkedHashMap<>();
    private final Map<String, String> requestHeaders = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    private byte[] requestBody = new byte[0];
    private int status = 200;
    private final Map<String, String> responseHeaders = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    private byte[] responseBody = new byte[0];
    private Ending ending = Ending.COMPLETE;
    /** Stop relaying the response after this many bytes (a client that hung up, an upstream reset). */
    private int responseCutAt = -1;

    /** What came out: the observation, and the bytes the client received. */
    public record Result(Observation observation, byte[] forwardedRequest, byte[] clientReceived, Exchange exchange) {
        public String clientText() {
            return new String(clientReceived, StandardCharsets.UTF_8);
        }
    }

    public ExchangeHarness(ProviderAdapter adapter) {
        this.adapter = adapter;
    }

    public ExchangeHarness request(String method, String pathAndQuery) {
        this.method = method;
        int q = pathAndQuery.indexOf('?');
        this.path = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
        if (q >= 0) {
            for (String pair : pathAndQuery.substring(q + 1).split("&")) {
                int eq = pair.indexOf('=');
                String k = eq < 0 ? pair : pair.substring(0, eq);
                String v = eq < 0 ? "" : pair.substring(eq + 1);
                query.computeIfAbsent(k, x -> new java.util.ArrayList<>()).add(v);
            }
        }
        return this;
    }

    public ExchangeHarness requestHeader(String name, String value) {
        requestHeaders.put(name, value);
        return this;
    }

    public ExchangeHarness requestBody(byte[] body) {
        this.requestBody = body;
        return this;
    }

    public ExchangeHarness requestBody(String body) {
        requestHeaders.putIfAbsent("content-type", "application/json");
        return requestBody(body.getBytes(StandardCharsets.UTF_8));
    }

    public ExchangeHarness response(int status, byte[] body) {
        this.status = status;
        this.responseBody = body;
        return this;
    }

    public ExchangeHarness response(int status, String body) {
        return response(status, body.getBytes(StandardCharsets.UTF_8));
    }

    public ExchangeHarness responseHeader(String name, String value) {
        responseHeaders.put(name, value);
        return this;
    }

    /** Response headers in the "Name: value" per line format of the fixtures' *_headers.txt files. */
    public ExchangeHarness responseHeaders(String block) {
        for (String line : block.split("\r?\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && !line.startsWith("#") && !line.startsWith("HTTP/")) {
                responseHeaders.put(line.substring(0, colon).strip(), line.substring(colon + 1).strip());
            }
        }
        return this;
    }

    /** The exchange ends with the given ending after {@code bytes} bytes of response body. */
    public ExchangeHarness cutAfter(int bytes, Ending how) {
        this.responseCutAt = bytes;
        this.ending = how;
        return this;
    }

    public ExchangeHarness ending(Ending how) {
        this.ending = how;
        return this;
    }

    /** Runs with the bodies cut into pieces of {@code pieceSize} bytes. */
    public Result run(int pieceSize) {
        return run(body -> {
            java.util.List<byte[]> out = new java.util.ArrayList<>();
            Chunks.feed(body, Math.max(1, pieceSize), (b, n) -> out.add(b));
            return out;
        });
    }

    /** Runs with the bodies cut at random boundaries (seeded). */
    public Result runRandom(long seed) {
        return run(body -> Chunks.random(body, seed, 1 + (int) (seed % 97) * 13));
    }

    /** Runs with whole bodies. */
    public Result run() {
        return run(Integer.MAX_VALUE);
    }

    private Result run(java.util.function.Function<byte[], List<byte[]>> cutter) {
        RequestInfo info = new RequestInfo(method, path, query, HeaderView.of(requestHeaders),
                requestBody.length == 0 ? -1 : requestBody.length);
        Exchange ex = adapter.begin(info);
        byte[] forwarded = requestBody;
        ResponseFilter filter = null;
        for (byte[] piece : cutter.apply(requestBody)) {
            ex.requestBody(ByteBuffer.wrap(piece));
        }
        ex.requestEnd();
        RequestRewriter rw = ex.rewriter();
        if (rw != null && requestBody.length <= rw.maxBytes()) {
            RequestRewriter.Rewrite r = rw.rewrite(requestBody);
            if (r != null) {
                forwarded = r.body();
                filter = r.filter();
            }
        }
        ByteArrayOutputStream client = new ByteArrayOutputStream();
        if (ending != Ending.REJECTED && !(ending == Ending.UPSTREAM_FAILED && responseCutAt < 0)) {
            ex.responseHead(status, HeaderView.of(responseHeaders));
            byte[] body = responseCutAt >= 0
                    ? java.util.Arrays.copyOf(responseBody, Math.min(responseCutAt, responseBody.length))
                    : responseBody;
            for (byte[] piece : cutter.apply(body)) {
                ex.responseBody(ByteBuffer.wrap(piece));
                ByteBuffer sent = filter == null ? ByteBuffer.wrap(piece) : filter.filter(ByteBuffer.wrap(piece));
                write(client, sent);
            }
            if (responseCutAt < 0) {
                ex.responseEnd();
                if (filter != null) {
                    write(client, filter.finish());
                }
            }
        }
        return new Result(ex.finish(ending), forwarded, client.toByteArray(), ex);
    }

    private static void write(ByteArrayOutputStream out, ByteBuffer b) {
        byte[] bytes = new byte[b.remaining()];
        b.duplicate().get(bytes);
        out.writeBytes(bytes);
    }

    /** A test resource's bytes, e.g. {@code fixtures/openai/openai_chat.json}. */
    public static byte[] resource(String name) {
        try (InputStream in = ExchangeHarness.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String text(String name) {
        return new String(resource(name), StandardCharsets.UTF_8);
    }
}
