package dev.genledger.proxy.parse;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.async.ByteArrayFeeder;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;

/**
 * An incremental JSON reader for the copy of a body: bytes are fed as they pass, Jackson's
 * non-blocking parser turns them into tokens at once, and each scalar value is reported with its
 * path. Nothing is aggregated: long strings are cut by {@link StringCap} before the parser sees
 * them, so memory stays bounded whatever the body size. Several root values in a row (NDJSON, or
 * one stream of JSON documents) are read one after the other.
 *
 * <p>Paths join field names with {@code .} and mark array elements with {@code []}, without
 * indexes: {@code usage.prompt_tokens}, {@code choices[].delta.content},
 * {@code [].usageMetadata.promptTokenCount} (an element of a root array).
 *
 * <p>Malformed input does not throw: the stream stops reading and {@link #failed()} says so; the
 * extractor keeps what it saw. Not thread-safe: one exchange, one event loop.
 */
public final class JsonStream {
    /** Receives values as they are parsed. Exceptions thrown here stop the stream. */
    public interface Listener {
        /** A scalar at {@code path}: read it with {@link #text}, {@link #longValue}, {@link #decimal}. */
        void value(String path, JsonToken token, JsonStream stream) throws IOException;

        /** An object or array starts at {@code path} ({@code ""} for the root). */
        default void start(String path, boolean array) {}

        /** An object or array ends at {@code path}; {@code elements} counts an array's elements. */
        default void end(String path, boolean array, int elements) {}
    }

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(256).maxNumberLength(200).build())
            .build();
    public static final int DEFAULT_MAX_STRING_BYTES = 4096;
    private static final int CHUNK = 8192;

    private final Listener listener;
    private final StringCap cap;
    private final JsonParser parser;
    private final ByteArrayFeeder feeder;
    // Allocated on first use and sized to it: an SSE stream opens one JsonStream per event, and a
    // 300-byte event must not cost two 8 KiB arrays.
    private byte[] in;
    private byte[] out;

    // path stack: prefix strings per depth, whether each level is an array, element counts
    private String[] prefix = new String[16];
    private boolean[] isArray = new boolean[16];
    private int[] count = new int[16];
    private int depth;
    private String fieldName;
    private boolean failed;
    private boolean ended;

    public JsonStream(Listener listener) {
        this(listener, DEFAULT_MAX_STRING_BYTES);
    }

    public JsonStream(Listener listener, int maxStringBytes) {
        this.listener = listener;
        this.cap = new StringCap(maxStringBytes);
        try {
            this.parser = FACTORY.createNonBlockingByteArrayParser();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        this.feeder = (ByteArrayFeeder) parser.getNonBlockingInputFeeder();
        prefix[0] = "";
    }

    /** Feeds bytes; they are parsed before this returns and need not stay valid afterwards. */
    public void feed(ByteBuffer chunk) {
        if (failed || ended) {
            return;
        }
        ByteBuffer b = chunk.duplicate();
        if (b.hasRemaining() && (in == null || in.length < Math.min(CHUNK, b.remaining()))) {
            in = new byte[Math.min(CHUNK, Math.max(b.remaining(), 2 * (in == null ? 0 : in.length)))];
        }
        while (b.hasRemaining() && !failed) {
            int n = Math.min(in.length, b.remaining());
            b.get(in, 0, n);
            feedFiltered(in, 0, n);
        }
    }

    public void feed(byte[] bytes, int off, int len) {
        if (failed || ended) {
            return;
        }
        int p = off;
        int end = off + len;
        while (p < end && !failed) {
            int n = Math.min(CHUNK, end - p);
            feedFiltered(bytes, p, n);
            p += n;
        }
    }

    /** No more input; reports anything that was waiting for its end (a root number, say). */
    public void end() {
        if (failed || ended) {
            return;
        }
        ended = true;
        feeder.endOfInput();
        drain();
        try {
            parser.close();
        } catch (IOException e) {
            failed = true;
        }
    }

    /** Whether the input was not JSON (reading stopped there). */
    public boolean failed() {
        return failed;
    }

    // ------------------------------------------------------------------ value access for listeners

    public String text() throws IOException {
        return parser.getText();
    }

    public long longValue() throws IOException {
        JsonToken t = parser.currentToken();
        if (t == JsonToken.VALUE_NUMBER_INT) {
            return parser.getLongValue();
        }
        if (t == JsonToken.VALUE_NUMBER_FLOAT) {
            return parser.getDecimalValue().longValue();
        }
        if (t == JsonToken.VALUE_STRING) {
            try {
                return Long.parseLong(parser.getText().strip());
            } catch (NumberFormatException e) {
                return 0;
            }
        }
        return 0;
    }

    /** The value as an exact decimal (numbers and numeric strings); null otherwise. */
    public BigDecimal decimal() throws IOException {
        JsonToken t = parser.currentToken();
        if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
            return parser.getDecimalValue();
        }
        if (t == JsonToken.VALUE_STRING) {
            try {
                return new BigDecimal(parser.getText().strip());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    // ------------------------------------------------------------------ parsing

    private void feedFiltered(byte[] bytes, int off, int len) {
        if (out == null || out.length < len) {
            // the parser has consumed the previous array (drain runs until it needs more input)
            out = new byte[Math.min(CHUNK, Math.max(len, 2 * (out == null ? 0 : out.length)))];
        }
        int n = cap.filter(bytes, off, len, out);
        if (n == 0) {
            return;
        }
        try {
            feeder.feedInput(out, 0, n);
        } catch (IOException e) {
            failed = true;
            return;
        }
        drain();
    }

    private void drain() {
        try {
            JsonToken t;
            while ((t = parser.nextToken()) != null && t != JsonToken.NOT_AVAILABLE) {
                handle(t);
            }
        } catch (IOException | RuntimeException e) {
            failed = true;
        }
    }

    private void handle(JsonToken t) throws IOException {
        switch (t) {
            case FIELD_NAME -> fieldName = parser.currentName();
            case START_OBJECT, START_ARRAY -> {
                boolean array = t == JsonToken.START_ARRAY;
                String path = childPath();
                listener.start(path, array);
                push(path, array);
            }
            case END_OBJECT, END_ARRAY -> {
                boolean array = t == JsonToken.END_ARRAY;
                String path = prefix[depth];
                int elements = count[depth];
                depth--;
                fieldName = null;
                listener.end(path, array, elements);
            }
            default -> {
                listener.value(childPath(), t, this);
                fieldName = null;
            }
        }
    }

    /** The path of the value about to be read at the current depth; counts array elements. */
    private String childPath() {
        if (depth == 0) {
            return "";
        }
        if (isArray[depth]) {
            count[depth]++;
            return prefix[depth] + "[]";
        }
        String p = prefix[depth];
        return p.isEmpty() ? fieldName : p + "." + fieldName;
    }

    private void push(String path, boolean array) {
        depth++;
        if (depth == prefix.length) {
            prefix = java.util.Arrays.copyOf(prefix, depth * 2);
            isArray = java.util.Arrays.copyOf(isArray, depth * 2);
            count = java.util.Arrays.copyOf(count, depth * 2);
        }
        prefix[depth] = path;
        isArray[depth] = array;
        count[depth] = 0;
    }
}
