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
 * An incremental JSON reader for the copy of a body: bytes are fed as they pass and each scalar
 * value is reported with its path. Nothing is aggregated beyond a small, fixed bound:
 *
 * <ul>
 *   <li>A document of up to 16 KiB (nearly every response with usage, every SSE event's data) is
 *       collected in one reused buffer and read with Jackson's blocking parser when it ends;
 *       finished documents are read in batches of about 8 KiB, or at {@link #flush}, with one
 *       parser per batch. The blocking parser is faster per byte than the non-blocking one, and
 *       a parser per small document cost more to make than the document cost to read.
 *   <li>A larger document (a body or an event carrying base64 images) streams through Jackson's
 *       non-blocking parser as it arrives, long strings cut by {@link StringCap} before the
 *       parser sees them, so memory stays bounded whatever the body size.
 * </ul>
 *
 * <p>A document's values are delivered, to the listener it was given, at the latest at the next
 * {@link #flush} or at {@link #end}: callers flush after each chunk of a body. Several root values
 * in a row (NDJSON, or one stream of JSON documents) are read one after the other; documents
 * separated with {@link #nextDocument} (one per SSE event) each go to their own listener, and one
 * that is not JSON, or is cut short, loses what follows its fault, never a value of another.
 *
 * <p>Paths join field names with {@code .} and mark array elements with {@code []}, without
 * indexes: {@code usage.prompt_tokens}, {@code choices[].delta.content},
 * {@code [].usageMetadata.promptTokenCount} (an element of a root array).
 *
 * <p>Malformed input does not throw: the stream stops reading and {@link #failed()} says so once
 * it has ended; the extractor keeps what it saw. Not thread-safe: one exchange, one event loop.
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
    /** The parser whose current token a listener is reading (the async one, or a small document's). */
    private JsonParser current;

    // documents up to SMALL_DOCUMENT bytes are collected, several in a batch, and read with one
    // blocking parser; a larger one streams through the async parser
    static final int SMALL_DOCUMENT = 16 * 1024;
    /** A batch is read once its finished documents reach this many bytes (or at flush/end). */
    static final int BATCH = 8 * 1024;
    /**
     * Written after each document of a batch. At the root it is a number no serializer writes
     * (a 5-digit exponent), read as the end of a document; anywhere else it ends a document cut
     * short: the parser then fails on the next document's opening bracket at the latest, before
     * any value of that document is delivered, and reading resumes there on a new parser.
     */
    private static final String BOUNDARY_TEXT = "-0E-88888";
    private static final byte[] BOUNDARY = ("\n" + BOUNDARY_TEXT + "\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private byte[] pending;
    private int pendingLen;
    /** Where the current, unfinished, document starts in {@link #pending}; the batch is before it. */
    private int docStart;
    private Listener[] batchListeners;
    private int[] batchStarts;
    private int batchDocs;
    /** Where the batch being read starts in {@link #pending}: the parser counts offsets from there. */
    private int readFrom;
    private boolean streaming;
    // Used only by a document that streams; allocated then and sized to it.
    private byte[] in;
    private byte[] out;

    // path stack: prefix strings per depth, whether each level is an array, element counts
    private Path[] prefix = new Path[16];
    private boolean[] isArray = new boolean[16];
    private int[] count = new int[16];
    private int depth;
    private String fieldName;
    private boolean failed;
    /** Whether the last document read from the batch buffer was not JSON. */
    private boolean lastFailed;
    private boolean ended;

    public JsonStream(Listener listener) {
        this(listener, DEFAULT_MAX_STRING_BYTES);
    }

    public JsonStream(Listener listener, int maxStringBytes) {
        this.listener = listener;
        this.maxStringBytes = maxStringBytes;
        prefix[0] = Path.ROOT; // the non-blocking parser is made when a document first streams
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
     * delivered to the current listener first (at the latest when the batch is read). A document
     * that was not JSON, or was cut short, does not affect the next one.
     */
    public void nextDocument(Listener next) {
        if (ended) {
            return;
        }
        if (!streaming) {
            finishSmall();
            listener = next;
            if (docStart >= BATCH) {
                flush();
            }
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
        }
        failed = false;
        listener = next;
    }

    /** Delivers the values of every finished document held; the caller flushes after each chunk. */
    public void flush() {
        if (batchDocs == 0) {
            return;
        }
        int doc = 0;
        lastFailed = false;
        while (doc < batchDocs) {
            int failedAt = readBatch(batchStarts[doc], docStart, doc);
            if (failedAt < 0) {
                break;
            }
            lastFailed = failedAt == batchDocs - 1;
            doc = failedAt + 1; // the next document starts afresh on a new parser
        }
        java.util.Arrays.fill(batchListeners, 0, batchDocs, null);
        batchDocs = 0;
        // the unfinished document moves to the front
        System.arraycopy(pending, docStart, pending, 0, pendingLen - docStart);
        pendingLen -= docStart;
        docStart = 0;
    }

    /** The current document is finished: it joins the batch (an object or array) or is read now. */
    private void finishSmall() {
        int first = docStart;
        while (first < pendingLen && isSpace(pending[first])) {
            first++;
        }
        if (first == pendingLen) {
            pendingLen = docStart; // empty: nothing to read
            lastFailed = false;
            return;
        }
        if (pending[first] != '{' && pending[first] != '[') {
            // a root scalar or not JSON: read alone, after the documents before it
            flush(); // which moves this document to the front
            lastFailed = false;
            readAlone(0, pendingLen);
            pendingLen = 0;
            return;
        }
        if (batchDocs == (batchStarts == null ? 0 : batchStarts.length)) {
            int n = Math.max(16, 2 * batchDocs);
            batchStarts = batchStarts == null ? new int[n] : java.util.Arrays.copyOf(batchStarts, n);
            batchListeners = batchListeners == null ? new Listener[n] : java.util.Arrays.copyOf(batchListeners, n);
        }
        batchStarts[batchDocs] = docStart;
        batchListeners[batchDocs++] = listener;
        append(BOUNDARY, 0, BOUNDARY.length);
        docStart = pendingLen;
    }

    private static boolean isSpace(byte c) {
        return c == ' ' || c == '\n' || c == '\r' || c == '\t';
    }

    private void append(byte[] bytes, int off, int len) {
        reserve(len);
        System.arraycopy(bytes, off, pending, pendingLen, len);
        pendingLen += len;
    }

    /**
     * Room for {@code len} more bytes in {@link #pending}, and for the boundary after them: at
     * first this thread's spare buffer, else sized to the body, doubling.
     */
    private void reserve(int len) {
        int need = pendingLen + len + BOUNDARY.length;
        if (pending == null) {
            byte[] spare = SPARE.get();
            if (spare != null && spare.length >= need) {
                SPARE.set(null);
                pending = spare;
                return;
            }
        }
        if (pending == null || pending.length < need) {
            // at first 4 KiB, which holds nearly every request and response with usage, and serves
            // the thread's next streams once this one has ended
            int size = Math.max(need, pending == null ? 4096 : 2 * pending.length);
            pending = java.util.Arrays.copyOf(pending == null ? new byte[0] : pending,
                    Math.max(need, Math.min(size, MAX_PENDING)));
        }
    }

    /** The largest the collect buffer grows: a batch and one whole document, each with its boundary. */
    private static final int MAX_PENDING = SMALL_DOCUMENT + BATCH + 2 * BOUNDARY.length;

    /**
     * A collect buffer per thread that a finished stream left behind, for the next stream the thread
     * makes: most bodies end on the event loop they were read on, so most streams collect without
     * allocating. One buffer a thread, at most {@link #MAX_PENDING} bytes.
     */
    private static final ThreadLocal<byte[]> SPARE = new ThreadLocal<>();

    /** Leaves the collect buffer to this thread's next stream; this one reads nothing more. */
    private void release() {
        byte[] b = pending;
        pending = null;
        pendingLen = 0;
        docStart = 0;
        if (b != null) {
            byte[] spare = SPARE.get();
            if (spare == null || spare.length < b.length) {
                SPARE.set(b); // the larger of the two serves more
            }
        }
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
        int len = b.remaining();
        if (collects(len)) {
            b.get(pending, pendingLen, len); // collected straight from the buffer
            pendingLen += len;
            return;
        }
        if (len > 0 && (in == null || in.length < Math.min(CHUNK, len))) {
            in = new byte[Math.min(CHUNK, Math.max(len, 2 * (in == null ? 0 : in.length)))];
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
        if (collects(len)) {
            System.arraycopy(bytes, off, pending, pendingLen, len);
            pendingLen += len;
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

    /**
     * Whether {@code len} more bytes of the current document are collected, with room made for
     * them in {@link #pending}. When they would make it larger than a small document, the
     * documents before it are read, what it had so far goes to the non-blocking parser, and it
     * streams from then on: false.
     */
    private boolean collects(int len) {
        if (streaming) {
            return false;
        }
        if (pendingLen - docStart + len <= SMALL_DOCUMENT) {
            if (pendingLen + len > SMALL_DOCUMENT + BATCH) {
                flush(); // room for the batch and one whole document, never more
            }
            reserve(len);
            return true;
        }
        flush(); // the documents before this one are read first
        streaming = true;
        if (parser == null) {
            newParser();
        }
        int held = pendingLen;
        pendingLen = 0;
        if (held > 0) {
            feed(pending, 0, held);
        }
        return false;
    }

    /** No more input; reports anything that was waiting for its end (a root number, say). */
    public void end() {
        if (failed || ended) {
            return;
        }
        if (!streaming) {
            finishSmall();
            flush();
            failed = lastFailed; // the last document (a body's only one) was not JSON
            ended = true;
            release();
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

    /**
     * Reads {@code pending[from, to)}, documents each followed by {@link #BOUNDARY}, the first of
     * them document {@code doc} of the batch. Returns -1 when all were read, else the index of the
     * document whose fault stopped the parser (what came before the fault was delivered).
     */
    private int readBatch(int from, int to, int doc) {
        Listener own = listener;
        listener = batchListeners[doc];
        readFrom = from;
        try (JsonParser p = FACTORY.createParser(pending, from, to - from)) {
            current = p;
            depth = 0;
            fieldName = null;
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                if (t == JsonToken.VALUE_NUMBER_FLOAT && isBoundary(p, doc)) {
                    if (depth != 0) {
                        return doc; // the document was cut short: the boundary is not one of its values
                    }
                    if (++doc < batchDocs) {
                        listener = batchListeners[doc];
                    }
                    continue;
                }
                handle(t);
            }
            return -1;
        } catch (IOException | RuntimeException e) {
            return doc; // not JSON (chat's closing "[DONE]") or cut short
        } finally {
            current = parser;
            depth = 0;
            fieldName = null;
            listener = own;
        }
    }

    /**
     * Whether the number just read is the boundary after document {@code doc}: its text, at the
     * boundary's place (a document's own value with the same text is not a boundary).
     */
    private boolean isBoundary(JsonParser p, int doc) throws IOException {
        if (!sameText(p, BOUNDARY_TEXT)) {
            return false;
        }
        int end = doc + 1 < batchDocs ? batchStarts[doc + 1] : docStart;
        // the parser counts offsets from where it started reading
        return p.currentTokenLocation().getByteOffset() == end - BOUNDARY.length + 1 - readFrom;
    }

    /** Reads one document that is not an object or array, on a parser of its own. */
    private void readAlone(int from, int len) {
        try (JsonParser p = FACTORY.createParser(pending, from, len)) {
            current = p;
            depth = 0;
            fieldName = null;
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                handle(t);
            }
        } catch (IOException | RuntimeException e) {
            lastFailed = true; // not JSON: what came before the fault was delivered
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

    /** The length in chars (UTF-16 units) of the current string, without building it. */
    public int textLength() throws IOException {
        return current.getTextLength();
    }

    /** The code points of the current string, without building it. */
    public int textCodePoints() throws IOException {
        return Character.codePointCount(current.getTextCharacters(), current.getTextOffset(), current.getTextLength());
    }

    /**
     * The length in UTF-8 bytes of the current string (or of the current token's text), without
     * building it: a meter that only counts a completion's text would otherwise make a string and a
     * byte array of it per response. A lone surrogate counts as the 3 bytes of its replacement.
     */
    public long textUtf8Length() throws IOException {
        char[] chars = current.getTextCharacters();
        if (chars == null) {
            return 0;
        }
        int off = current.getTextOffset();
        int end = off + current.getTextLength();
        long bytes = 0;
        for (int i = off; i < end; i++) {
            char c = chars[i];
            if (c < 0x80) {
                bytes++;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < end && Character.isLowSurrogate(chars[i + 1])) {
                bytes += 4; // a pair: one code point of four bytes
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    /**
     * Whether the current string is {@code s}, compared without building it: a stream repeats the
     * same model and ids in every event, and a string per event for each would cost more than
     * reading it.
     */
    public boolean textEquals(String s) throws IOException {
        return s != null && current.currentToken() == JsonToken.VALUE_STRING && sameText(current, s);
    }

    /** Whether the current token's text is {@code s}, compared in the parser's buffer. */
    private static boolean sameText(JsonParser p, String s) throws IOException {
        int len = p.getTextLength();
        if (len != s.length()) {
            return false;
        }
        char[] chars = p.getTextCharacters();
        int off = p.getTextOffset();
        for (int i = 0; i < len; i++) {
            if (chars[off + i] != s.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** The current string, or {@code previous} when it is equal to it (no new string then). */
    public String text(String previous) throws IOException {
        return textEquals(previous) ? previous : current.getText();
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
                Path path = childNode();
                listener.start(path.text, array);
                push(path, array);
            }
            case END_OBJECT, END_ARRAY -> {
                boolean array = t == JsonToken.END_ARRAY;
                String path = prefix[depth].text;
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
        Path parent = prefix[depth];
        if (isArray[depth]) {
            count[depth]++;
            return parent.element().text;
        }
        return parent.child(fieldName).text;
    }

    /** The path of the object or array about to start at the current depth. */
    private Path childNode() {
        if (depth == 0) {
            return Path.ROOT;
        }
        Path parent = prefix[depth];
        if (isArray[depth]) {
            count[depth]++;
            return parent.element();
        }
        return parent.child(fieldName);
    }

    /**
     * A path, with its children found by field name: one tree of paths for the whole process. The
     * same few hundred paths come back in every response of a provider, and building them per body
     * (a concatenation and a map entry per field) cost more than the parsing. A child is found in
     * an open-addressing table compared by identity first (Jackson canonicalises field names, so
     * the same name is the same string), and the table is replaced whole when a child is added,
     * so readers on other event loops never lock. Path strings are interned: a meter's
     * {@code switch} on a path then matches by identity. Bounded: past {@code MAX} paths (a
     * client's own JSON schemas can bring any field names) new ones are built and not kept.
     */
    private static final class Path {
        static final Path ROOT = new Path("", true);
        private static final int MAX = 8192;
        private static final java.util.concurrent.atomic.AtomicInteger SIZE = new java.util.concurrent.atomic.AtomicInteger();

        final String text;
        private final boolean kept;
        // name at 2i, its path at 2i + 1; one array, so that a reader sees a name and its path together
        private volatile Object[] table = new Object[2 * 4];
        private int size;
        private volatile Path element;

        private Path(String text, boolean kept) {
            this.text = text;
            this.kept = kept;
        }

        Path child(String name) {
            Object[] t = table;
            int mask = (t.length >> 1) - 1;
            for (int i = name.hashCode() & mask; ; i = (i + 1) & mask) {
                Object k = t[2 * i];
                if (k == null) {
                    return add(name);
                }
                if (k == name || k.equals(name)) {
                    return (Path) t[2 * i + 1];
                }
            }
        }

        Path element() {
            Path e = element;
            if (e == null) {
                e = newPath(text + "[]");
                if (e.kept) {
                    synchronized (this) {
                        if (element == null) {
                            element = e;
                        }
                        e = element;
                    }
                }
            }
            return e;
        }

        private Path add(String name) {
            Path p = newPath(text.isEmpty() ? name : text + "." + name);
            if (!p.kept) {
                return p;
            }
            synchronized (this) {
                // the table as it is now: another thread may have added this name meanwhile
                Path found = find(table, name);
                if (found != null) {
                    return found;
                }
                Object[] t = table;
                Object[] next = 2 * (size + 1) > t.length >> 1 ? new Object[t.length * 2] : t.clone();
                if (next.length != t.length) {
                    for (int j = 0; j < t.length; j += 2) {
                        if (t[j] != null) {
                            put(next, (String) t[j], (Path) t[j + 1]);
                        }
                    }
                }
                put(next, name, p);
                size++;
                table = next;
                return p;
            }
        }

        private static Path find(Object[] t, String name) {
            int mask = (t.length >> 1) - 1;
            for (int i = name.hashCode() & mask; t[2 * i] != null; i = (i + 1) & mask) {
                if (t[2 * i].equals(name)) {
                    return (Path) t[2 * i + 1];
                }
            }
            return null;
        }

        private static void put(Object[] t, String name, Path path) {
            int mask = (t.length >> 1) - 1;
            int i = name.hashCode() & mask;
            while (t[2 * i] != null) {
                i = (i + 1) & mask;
            }
            t[2 * i] = name;
            t[2 * i + 1] = path;
        }

        private Path newPath(String text) {
            if (kept && SIZE.get() < MAX) {
                SIZE.incrementAndGet();
                return new Path(text.intern(), true);
            }
            return new Path(text, false);
        }
    }

    private void push(Path path, boolean array) {
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
