package dev.genledger.proxy.parse;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * An incremental parser of server-sent events (the WHATWG "event stream" format) over the copy of
 * a response. Lines may end in LF, CRLF or CR, split anywhere across chunks. {@code data:} values
 * are streamed to the handler as they arrive, never collected, so an event carrying megabytes of
 * base64 costs no memory; several data lines of one event are joined with {@code \n}, as the spec
 * says. Comments ({@code :…}) and {@code id:}/{@code retry:} are skipped. A line that is none of
 * these (Gemini sends a raw JSON error object mid-stream, without {@code data:}) goes to
 * {@link Handler#otherLine}, cut at 64 KiB.
 */
public final class SseParser {
    /** Receives the stream's events. */
    public interface Handler {
        /** The {@code event:} type of the current event (before or after its data). */
        default void eventType(String type) {}

        /** A piece of the current event's data. */
        void data(byte[] buf, int off, int len);

        /** The blank line that dispatches the current event. */
        void eventEnd();

        /** A line that is not an SSE field. */
        default void otherLine(byte[] buf, int off, int len) {}
    }

    private static final byte[] NEWLINE = {'\n'};
    private static final int MAX_NAME = 32;
    private static final int MAX_LINE = 64 * 1024;

    private enum State { LINE_START, NAME, SKIP_SPACE, DATA, VALUE, IGNORE }

    private final Handler handler;
    private State state = State.LINE_START;
    private final byte[] name = new byte[MAX_NAME];
    private int nameLen;
    private boolean nameOverflow;
    private byte[] line = new byte[256]; // grows up to MAX_LINE for long lines
    private byte[] copy;
    private int lineLen;
    private int valueStart;
    private boolean afterCr;
    private boolean eventHasData;
    private boolean eventHasType;
    private String field;

    public SseParser(Handler handler) {
        this.handler = handler;
    }

    public void feed(ByteBuffer chunk) {
        if (chunk.hasArray()) {
            feed(chunk.array(), chunk.arrayOffset() + chunk.position(), chunk.remaining());
            return;
        }
        ByteBuffer b = chunk.duplicate();
        if (copy == null) {
            copy = new byte[8192];
        }
        while (b.hasRemaining()) {
            int n = Math.min(copy.length, b.remaining());
            b.get(copy, 0, n);
            feed(copy, 0, n);
        }
    }

    public void feed(byte[] buf, int off, int len) {
        int i = off;
        int end = off + len;
        while (i < end) {
            byte c = buf[i];
            if (afterCr) {
                afterCr = false;
                if (c == '\n') { // the LF of a CRLF
                    i++;
                    continue;
                }
            }
            if (state == State.DATA) {
                // stream the run of data bytes up to the end of the line in one call
                int start = i;
                while (i < end && buf[i] != '\n' && buf[i] != '\r') {
                    i++;
                }
                if (i > start) {
                    handler.data(buf, start, i - start);
                }
                if (i == end) {
                    return;
                }
                c = buf[i];
            }
            i++;
            if (c == '\n' || c == '\r') {
                afterCr = c == '\r';
                endOfLine();
                continue;
            }
            switch (state) {
                case LINE_START -> {
                    nameLen = 0;
                    nameOverflow = false;
                    lineLen = 0;
                    appendLine(c);
                    if (c == ':') {
                        state = State.IGNORE; // a comment
                    } else {
                        appendName(c);
                        state = State.NAME;
                    }
                }
                case NAME -> {
                    appendLine(c);
                    if (c == ':') {
                        field = nameOverflow ? "" : new String(name, 0, nameLen, StandardCharsets.UTF_8);
                        state = State.SKIP_SPACE;
                    } else {
                        appendName(c);
                    }
                }
                case SKIP_SPACE -> {
                    startValue();
                    if (c != ' ') {
                        if (state == State.DATA) {
                            handler.data(buf, i - 1, 1);
                        } else {
                            appendLine(c);
                        }
                    } else if (state == State.VALUE) {
                        valueStart = lineLen + 1; // the one optional space is not part of the value
                        appendLine(c);
                    }
                }
                case VALUE -> appendLine(c);
                case IGNORE -> appendLine(c);
                default -> throw new IllegalStateException(state.name());
            }
        }
    }

    /** The end of the stream: a last event without its blank line is dispatched. */
    public void end() {
        if (state != State.LINE_START) {
            endOfLine();
        }
        if (eventHasData || eventHasType) {
            dispatch();
        }
    }

    private void startValue() {
        if (field.equals("data")) {
            if (eventHasData) {
                handler.data(NEWLINE, 0, 1);
            }
            eventHasData = true;
            state = State.DATA;
        } else {
            valueStart = lineLen;
            state = State.VALUE;
        }
    }

    private void endOfLine() {
        switch (state) {
            case LINE_START -> dispatch();
            case NAME -> {
                // a field without a colon: per the spec a field with an empty value; data is the only
                // one that matters, and anything else is reported as another line
                String f = nameOverflow ? "" : new String(name, 0, nameLen, StandardCharsets.UTF_8);
                if (f.equals("data")) {
                    if (eventHasData) {
                        handler.data(NEWLINE, 0, 1);
                    }
                    eventHasData = true;
                } else {
                    handler.otherLine(line, 0, lineLen);
                }
            }
            case SKIP_SPACE -> {
                if (field.equals("data")) {
                    startValue();
                } else if (field.equals("event")) {
                    eventType("");
                }
            }
            case VALUE -> {
                if (field.equals("event")) {
                    eventType(new String(line, valueStart, lineLen - valueStart, StandardCharsets.UTF_8));
                } else if (!field.equals("id") && !field.equals("retry")) {
                    handler.otherLine(line, 0, lineLen);
                }
            }
            case DATA, IGNORE -> { }
            default -> throw new IllegalStateException(state.name());
        }
        state = State.LINE_START;
    }

    private void eventType(String type) {
        eventHasType = true;
        handler.eventType(type);
    }

    private void dispatch() {
        if (eventHasData || eventHasType) {
            handler.eventEnd();
        }
        eventHasData = false;
        eventHasType = false;
    }

    private void appendName(byte c) {
        if (nameLen < MAX_NAME) {
            name[nameLen++] = c;
        } else {
            nameOverflow = true;
        }
    }

    private void appendLine(byte c) {
        if (lineLen == line.length && line.length < MAX_LINE) {
            line = java.util.Arrays.copyOf(line, Math.min(MAX_LINE, line.length * 2));
        }
        if (lineLen < line.length) {
            line[lineLen++] = c;
        }
    }
}
