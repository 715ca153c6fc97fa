package dev.genledger.proxy.openai;

import com.fasterxml.jackson.core.JsonToken;
import dev.genledger.proxy.parse.JsonStream;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A {@link JsonStream} over a request body that also tells the full length of each string value.
 * JsonStream cuts strings at its cap so that a 20 MB data URL costs nothing; but a 200 KB prompt
 * must still count as 200 KB when its tokens are estimated. A small scanner runs over the same
 * bytes just ahead of the parser and queues the decoded UTF-8 length of every string value (not
 * of keys); the parser reports each string value after its closing quote, so the head of the
 * queue is always the length of the value being reported.
 */
final class MeasuredJson {
    /** Receives values with, for strings, their full length in UTF-8 bytes (0 for other tokens). */
    interface Listener {
        void value(String path, JsonToken token, JsonStream stream, long stringBytes) throws IOException;
    }

    private static final int SLICE = 8192;
    private static final int MAX_DEPTH = 512;
    private static final int MAX_QUEUED = 1 << 16;

    private final JsonStream json;
    // Sized to the body on first use: a 300-byte request must not cost an 8 KiB array.
    private byte[] slice;

    // the scanner: outside or inside a string, and inside an escape
    private enum State { OUT, IN, ESCAPE, UNICODE }

    private State state = State.OUT;
    private boolean[] objectAt = new boolean[16];
    private int depth;
    private boolean expectKey;
    private boolean inKey;
    private long size;
    private int hexLeft;
    private int hexValue;
    private boolean lost; // nesting too deep or queue overflow: lengths fall back to the cut text

    // queued lengths of string values the parser has not reported yet
    private long[] queue = new long[16];
    private int head;
    private int count;

    MeasuredJson(Listener listener, int maxStringBytes) {
        this.json = new JsonStream(new JsonStream.Listener() {
            @Override
            public void value(String path, JsonToken token, JsonStream s) throws IOException {
                long bytes = 0;
                if (token == JsonToken.VALUE_STRING) {
                    bytes = count > 0 && !lost ? poll() : s.textUtf8Length();
                }
                listener.value(path, token, s, bytes);
            }
        }, maxStringBytes);
    }

    void feed(ByteBuffer chunk) {
        ByteBuffer b = chunk.duplicate();
        if (slice == null || (slice.length < SLICE && slice.length < b.remaining())) {
            slice = new byte[Math.min(SLICE, Math.max(b.remaining(), 256))];
        }
        while (b.hasRemaining() && !json.failed()) {
            int n = Math.min(slice.length, b.remaining());
            b.get(slice, 0, n);
            scan(slice, n);
            json.feed(slice, 0, n);
        }
    }

    void end() {
        json.end();
    }

    private void scan(byte[] buf, int len) {
        for (int i = 0; i < len && !lost; i++) {
            byte c = buf[i];
            switch (state) {
                case OUT -> structural(c);
                case IN -> {
                    if (c == '"') {
                        state = State.OUT;
                        if (!inKey) {
                            offer(size);
                        }
                    } else if (c == '\\') {
                        state = State.ESCAPE;
                    } else {
                        size++;
                    }
                }
                case ESCAPE -> {
                    if (c == 'u') {
                        state = State.UNICODE;
                        hexLeft = 4;
                        hexValue = 0;
                    } else {
                        size++;
                        state = State.IN;
                    }
                }
                case UNICODE -> {
                    hexValue = hexValue * 16 + Character.digit(c, 16);
                    if (--hexLeft == 0) {
                        // the UTF-8 length of the escaped UTF-16 unit; a surrogate pair counts 2 + 2 = 4
                        size += hexValue < 0x80 ? 1 : hexValue < 0x800 || (hexValue >= 0xD800 && hexValue < 0xE000) ? 2 : 3;
                        state = State.IN;
                    }
                }
                default -> throw new IllegalStateException(state.name());
            }
        }
    }

    private void structural(byte c) {
        switch (c) {
            case '"' -> {
                inKey = depth > 0 && objectAt[depth - 1] && expectKey;
                size = 0;
                state = State.IN;
            }
            case '{', '[' -> {
                if (depth == MAX_DEPTH) {
                    lost = true;
                    return;
                }
                if (depth == objectAt.length) {
                    objectAt = java.util.Arrays.copyOf(objectAt, depth * 2);
                }
                objectAt[depth++] = c == '{';
                expectKey = c == '{';
            }
            case '}', ']' -> {
                depth = Math.max(0, depth - 1);
                expectKey = false;
            }
            case ':' -> expectKey = false;
            case ',' -> expectKey = depth > 0 && objectAt[depth - 1];
            default -> { }
        }
    }

    private void offer(long v) {
        if (count == MAX_QUEUED) {
            lost = true;
            return;
        }
        if (count == queue.length) {
            long[] bigger = new long[queue.length * 2];
            for (int i = 0; i < count; i++) {
                bigger[i] = queue[(head + i) % queue.length];
            }
            queue = bigger;
            head = 0;
        }
        queue[(head + count) % queue.length] = v;
        count++;
    }

    private long poll() {
        long v = queue[head];
        head = (head + 1) % queue.length;
        count--;
        return v;
    }
}
