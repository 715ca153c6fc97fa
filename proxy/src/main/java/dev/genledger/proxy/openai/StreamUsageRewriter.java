package dev.genledger.proxy.openai;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import dev.genledger.proxy.provider.RequestRewriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;

/**
 * Asks OpenAI for usage on a chat-completions stream whose client did not (issue 5): a request
 * with {@code "stream": true} and without {@code stream_options.include_usage: true} is forwarded
 * with {@code include_usage} set, and the client's response goes through a
 * {@link UsageChunkFilter} that takes out what the option added. The client gets the stream it
 * asked for; the adapter, which reads the unfiltered copy, gets exact usage.
 *
 * <p>The edit is the smallest that does it, spliced into the original bytes: every other byte,
 * decimal, key order and space is left as the client sent it. Forms of the body the rewrite is not
 * sure about (not a JSON object, a duplicated key, an odd {@code stream_options}) are forwarded
 * unchanged.
 */
final class StreamUsageRewriter implements RequestRewriter {
    static final int MAX_BYTES = 8 * 1024 * 1024;

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(256).build())
            .build();
    private static final byte[] TRUE = bytes("true");
    private static final byte[] INCLUDE_USAGE = bytes("\"include_usage\":true");
    private static final byte[] STREAM_OPTIONS_OBJECT = bytes("{\"include_usage\":true}");
    private static final byte[] STREAM_OPTIONS_MEMBER = bytes(",\"stream_options\":{\"include_usage\":true}");

    private final BooleanSupplier relayUnfiltered;

    /** @param relayUnfiltered true once the response is known not to be an event stream (an error, say) */
    StreamUsageRewriter(BooleanSupplier relayUnfiltered) {
        this.relayUnfiltered = relayUnfiltered;
    }

    @Override
    public int maxBytes() {
        return MAX_BYTES;
    }

    @Override
    public Rewrite rewrite(byte[] body) {
        byte[] rewritten = inject(body);
        return rewritten == null ? null : new Rewrite(rewritten, new UsageChunkFilter(relayUnfiltered));
    }

    /** The body with {@code stream_options.include_usage: true}, or null when it needs no rewrite or should not get one. */
    static byte[] inject(byte[] body) {
        if (!mentionsStream(body)) {
            return null; // most requests are not streams: no parse for them
        }
        try {
            Plan plan = plan(body);
            return plan == null ? null : plan.apply(body);
        } catch (IOException | RuntimeException e) {
            return null; // not JSON the rewrite understands: forward it as it is
        }
    }

    private static final byte[] STREAM_KEY = "\"stream\"".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    /** Whether the bytes {@code "stream"} occur at all: without them there is no {@code stream} key to honour. */
    private static boolean mentionsStream(byte[] body) {
        outer:
        for (int i = 0, last = body.length - STREAM_KEY.length; i <= last; i++) {
            for (int j = 0; j < STREAM_KEY.length; j++) {
                if (body[i + j] != STREAM_KEY[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    /** A splice: bytes {@code [from, to)} of the body are replaced with {@code insert}. */
    private record Plan(int from, int to, byte[] insert) {
        byte[] apply(byte[] body) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + insert.length);
            out.write(body, 0, from);
            out.writeBytes(insert);
            out.write(body, to, body.length - to);
            return out.toByteArray();
        }
    }

    private static Plan plan(byte[] body) throws IOException {
        try (JsonParser p = FACTORY.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            int streamTrueEnd = -1;
            int streamSeen = 0;
            int optionsSeen = 0;
            Plan options = null; // the edit of an existing stream_options, or null when it needs none
            boolean optionsAskUsage = false;
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                int at = offset(p);
                if (name.equals("stream")) {
                    streamSeen++;
                    streamTrueEnd = value == JsonToken.VALUE_TRUE ? at + TRUE.length : -1;
                } else if (name.equals("stream_options")) {
                    optionsSeen++;
                    if (value == JsonToken.VALUE_NULL) {
                        options = new Plan(at, at + 4, STREAM_OPTIONS_OBJECT);
                    } else if (value == JsonToken.START_OBJECT) {
                        OptionsEdit edit = options(p, at);
                        if (edit == null) {
                            return null;
                        }
                        optionsAskUsage = edit.asksUsage();
                        options = edit.plan();
                    } else {
                        return null; // not an object: leave it to the API to reject
                    }
                } else {
                    p.skipChildren();
                }
            }
            if (t != JsonToken.END_OBJECT || p.nextToken() != null || streamSeen != 1 || optionsSeen > 1) {
                return null; // trailing bytes, or a key twice: which one counts is the server's business
            }
            if (streamTrueEnd < 0 || optionsAskUsage) {
                return null; // not a stream, or the client asked for usage itself
            }
            if (optionsSeen == 0) {
                return new Plan(streamTrueEnd, streamTrueEnd, STREAM_OPTIONS_MEMBER); // right after "stream":true
            }
            return options;
        }
    }

    private record OptionsEdit(boolean asksUsage, Plan plan) {}

    /** Reads a {@code stream_options} object whose '{' is at {@code open}; null when it is odd. */
    private static OptionsEdit options(JsonParser p, int open) throws IOException {
        int members = 0;
        int usageSeen = 0;
        Plan plan = null;
        boolean asks = false;
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            members++;
            String name = p.currentName();
            JsonToken value = p.nextToken();
            int at = offset(p);
            if (name.equals("include_usage")) {
                usageSeen++;
                if (value == JsonToken.VALUE_TRUE) {
                    asks = true;
                } else if (value == JsonToken.VALUE_FALSE) {
                    plan = new Plan(at, at + 5, TRUE);
                } else if (value == JsonToken.VALUE_NULL) {
                    plan = new Plan(at, at + 4, TRUE);
                } else {
                    return null;
                }
            } else {
                p.skipChildren();
            }
        }
        if (t != JsonToken.END_OBJECT || usageSeen > 1) {
            return null;
        }
        if (usageSeen == 0) {
            // first member of the object, so that no comma has to be found after the last one
            byte[] insert = members == 0 ? INCLUDE_USAGE : concat(INCLUDE_USAGE, bytes(","));
            plan = new Plan(open + 1, open + 1, insert);
        }
        return new OptionsEdit(asks, plan);
    }

    private static int offset(JsonParser p) {
        long o = p.currentTokenLocation().getByteOffset();
        if (o < 0 || o > Integer.MAX_VALUE) {
            throw new IllegalStateException("no byte offset for the token");
        }
        return (int) o;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] r = new byte[a.length + b.length];
        System.arraycopy(a, 0, r, 0, a.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
