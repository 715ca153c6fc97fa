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

    private Listener listener;
    private StringCap cap;
    private final int maxStringBytes;
    private JsonParser parser;
    private ByteArrayFeeder feeder;
    private static final PathCache PATHS = new PathCache();
    /** The parser whose current token a listener is reading (the async one, or a small document's). */
    private JsonParser current;

    // events mode: a document up to SMALL_DOCUMENT bytes is collected and read with the blocking
    // parser at its end; a larger one streams through the async parser like any body
    static final int SMALL_DOCUMENT = 16 * 1024;
    private final boolean events;
    private byte[] pending;
    private int pendingLen;
    private boolean streaming;
    // Allocated on first use and sized to it: an SSE stream opens one JsonStream per event, and a
    // 300-byte event must not cost two 8 KiB arrays.
    private byte[] in;
    private byte[] out;

    // path stack: prefix strings per depth, whether each level is an array, element counts
    private String[] prefix = new String[16];
    @SuppressWarnings("unchecked")
    private java.util.Map<String, String>[] children = new java.util.Map[16];
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
        this(listener, maxStringBytes, false);
    }

    private JsonStream(Listener listener, int maxStringBytes, boolean events) {
        this.listener = listener;
        this.maxStringBytes = maxStringBytes;
        this.events = events;
        newParser();
        prefix[0] = "";
    }

    /**
     * A stream of small documents, one per SSE event, separated with {@link #nextDocument}. Each
     * document of up to 16 KiB is collected in one reused buffer and read when it ends, with
     * Jackson's blocking parser (several times faster per byte than the non-blocking one); a
     * larger document (an event carrying a base64 image) streams through the non-blocking parser
     * as it arrives. Memory stays bounded either way. Values of a document are delivered when it
     * ends, which for an event is its blank line.
     */
    public static JsonStream events(Listener listener) {
        return new JsonStream(listener, DEFAULT_MAX_STRING_BYTES, true);
    }

    private void newParser() {
        this.cap = new StringCap(maxStringBytes);
        try {
            this.parser = FACTORY.createNonBlockingByteArrayParser();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        this.feeder = (ByteArrayFeeder) parser.getNonBlockingInputFeeder();
        this.current = parser;
        depth = 0;
        fieldName = null;
    }

    /**
     * Ends the current document and starts the next on the same parser, reporting its values to
     * {@code next}: one stream for all the events of an SSE response instead of a parser per
     * event, which would cost more than the parsing. The current document's last values are
     * delivered to the current listener first. A document that was not JSON, or was cut short,
     * does not affect the next one: the next starts on a fresh parser.
     */
    public void nextDocument(Listener next) {
        if (ended) {
            return;
        }
        if (events && !streaming) {
            parseSmall();
            failed = false; // a document that was not JSON does not stop the next one
            listener = next;
            return;
        }
        streaming = false;
        if (!failed) {
            feedFiltered(SEPARATOR, 0, 1); // a separator ends a root number or literal
        }
        if (failed || depth != 0) {
            try {
                parser.close();
            } catch (IOException e) {
                // a parser that failed has nothing left to release
            }
            newParser();
            failed = false;
        }
        listener = next;
    }

    private static final byte[] SEPARATOR = {'\n'};

    /** Feeds bytes; they are parsed before this returns and need not stay valid afterwards. */
    public void feed(ByteBuffer chunk) {
        if (failed || ended) {
            return;
        }
        if (chunk.hasArray()) {
            feed(chunk.array(), chunk.arrayOffset() + chunk.position(), chunk.remaining());
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
        if (events && !streaming) {
            if (pendingLen + len <= SMALL_DOCUMENT) {
                if (pending == null || pending.length < pendingLen + len) {
                    pending = java.util.Arrays.copyOf(pending == null ? new byte[0] : pending,
                            Math.min(SMALL_DOCUMENT, Math.max(pendingLen + len, 2 * (pending == null ? 256 : pending.length))));
                }
                System.arraycopy(bytes, off, pending, pendingLen, len);
                pendingLen += len;
                return;
            }
            streaming = true; // too big to collect: stream this document
            int held = pendingLen;
            pendingLen = 0;
            if (held > 0) {
                feed(pending, 0, held);
            }
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
        if (events && !streaming) {
            parseSmall();
            ended = true;
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

    /** Reads the collected small document with the blocking parser. */
    private void parseSmall() {
        int len = pendingLen;
        pendingLen = 0;
        failed = false;
        if (len == 0) {
            return;
        }
        try (JsonParser p = FACTORY.createParser(pending, 0, len)) {
            current = p;
            depth = 0;
            fieldName = null;
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                handle(t);
            }
        } catch (IOException | RuntimeException e) {
            failed = true; // not JSON (chat's closing "[DONE]"): what came before it was delivered
        } finally {
            current = parser;
            depth = 0;
            fieldName = null;
        }
    }

    // ------------------------------------------------------------------ value access for listeners

    public String text() throws IOException {
        return current.getText();
    }

    public long longValue() throws IOException {
        JsonToken t = current.currentToken();
        if (t == JsonToken.VALUE_NUMBER_INT) {
            return current.getLongValue();
        }
        if (t == JsonToken.VALUE_NUMBER_FLOAT) {
            return current.getDecimalValue().longValue();
        }
        if (t == JsonToken.VALUE_STRING) {
            try {
                return Long.parseLong(current.getText().strip());
            } catch (NumberFormatException e) {
                return 0;
            }
        }
        return 0;
    }

    /** The value as an exact decimal (numbers and numeric strings); null otherwise. */
    public BigDecimal decimal() throws IOException {
        JsonToken t = current.currentToken();
        if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
            return current.getDecimalValue();
        }
        if (t == JsonToken.VALUE_STRING) {
            try {
                return new BigDecimal(current.getText().strip());
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
            case FIELD_NAME -> fieldName = current.currentName();
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
            return PATHS.element(prefix[depth]);
        }
        java.util.Map<String, String> known = children[depth];
        String p = known == null ? null : known.get(fieldName);
        return p != null ? p : PATHS.child(prefix[depth], fieldName);
    }

    /**
     * Paths interned once for the whole process: the same few hundred paths come back in every
     * response of a provider, and building them per body (a concatenation and a map entry per
     * field) cost more than the parsing. Bounded: past {@code MAX} paths (a client's own JSON
     * schemas can bring any field names) new ones are concatenated and not kept. Jackson
     * canonicalises field names, so the keys hash cheaply.
     */
    private static final class PathCache {
        private static final int MAX = 8192;
        private final java.util.concurrent.ConcurrentHashMap<String, java.util.Map<String, String>> byParent =
                new java.util.concurrent.ConcurrentHashMap<>();
        private final java.util.concurrent.ConcurrentHashMap<String, String> elements =
                new java.util.concurrent.ConcurrentHashMap<>();
        private final java.util.concurrent.atomic.AtomicInteger size = new java.util.concurrent.atomic.AtomicInteger();

        String child(String parent, String field) {
            java.util.Map<String, String> children = byParent.get(parent);
            if (children != null) {
                String p = children.get(field);
                if (p != null) {
                    return p;
                }
            }
            String p = parent.isEmpty() ? field : parent + "." + field;
            if (size.get() < MAX) {
                if (children == null) {
                    children = byParent.computeIfAbsent(parent, k -> new java.util.concurrent.ConcurrentHashMap<>(8));
                }
                if (children.putIfAbsent(field, p) == null) {
                    size.incrementAndGet();
                }
            }
            return p;
        }

        /** The known children of a path (null when none yet), for one lookup per value. */
        java.util.Map<String, String> childrenOf(String parent) {
            return byParent.get(parent);
        }

        String element(String parent) {
            String p = elements.get(parent);
            if (p == null) {
                p = parent + "[]";
                if (size.get() < MAX && elements.putIfAbsent(parent, p) == null) {
                    size.incrementAndGet();
                }
            }
            return p;
        }
    }

    private void push(String path, boolean array) {
        depth++;
        if (depth == prefix.length) {
            prefix = java.util.Arrays.copyOf(prefix, depth * 2);
            children = java.util.Arrays.copyOf(children, depth * 2);
            isArray = java.util.Arrays.copyOf(isArray, depth * 2);
            count = java.util.Arrays.copyOf(count, depth * 2);
        }
        prefix[depth] = path;
        children[depth] = PATHS.childrenOf(path);
        isArray[depth] = array;
        count[depth] = 0;
    }
}
