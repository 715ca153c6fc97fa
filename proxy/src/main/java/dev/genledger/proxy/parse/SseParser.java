package dev.genledger.proxy.parse;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
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
    private Field field;

    /** The fields this parser tells apart; any other is {@code OTHER}. */
    private enum Field { DATA, EVENT, ID, RETRY, OTHER }

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
                i = lineEnd(buf, i, end);
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
                        field = field();
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

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;
    private static final long LFS = ONES * '\n';
    private static final long CRS = ONES * '\r';

    /**
     * The index of the first LF or CR in {@code buf[from, to)}, or {@code to}: eight bytes at a time
     * (data lines are most of a stream, and a byte-at-a-time scan was most of the parser's time).
     * A byte equal to LF or CR becomes zero after the xor; {@code (x - 0x01…) & ~x & 0x80…} flags
     * the lowest zero byte exactly (bytes above it may be flagged falsely, never below it).
     */
    static int lineEnd(byte[] buf, int from, int to) {
        int i = from;
        for (; i <= to - Long.BYTES; i += Long.BYTES) {
            long w = (long) LONGS.get(buf, i);
            long lf = w ^ LFS;
            long cr = w ^ CRS;
            long found = ((lf - ONES) & ~lf | (cr - ONES) & ~cr) & HIGHS;
            if (found != 0) {
                return i + (Long.numberOfTrailingZeros(found) >>> 3);
            }
        }
        while (i < to && buf[i] != '\n' && buf[i] != '\r') {
            i++;
        }
        return i;
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
        if (field == Field.DATA) {
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
                if (field() == Field.DATA) {
                    if (eventHasData) {
                        handler.data(NEWLINE, 0, 1);
                    }
                    eventHasData = true;
                } else {
                    handler.otherLine(line, 0, lineLen);
                }
            }
            case SKIP_SPACE -> {
                if (field == Field.DATA) {
                    startValue();
                } else if (field == Field.EVENT) {
                    eventType("");
                }
            }
            case VALUE -> {
                if (field == Field.EVENT) {
                    eventType(new String(line, valueStart, lineLen - valueStart, StandardCharsets.UTF_8));
                } else if (field == Field.OTHER) {
                    handler.otherLine(line, 0, lineLen);
                }
            }
            case DATA, IGNORE -> { }
            default -> throw new IllegalStateException(state.name());
        }
        state = State.LINE_START;
    }

    /** The field named by the name read so far (compared as bytes: a string per line cost more than the line). */
    private Field field() {
        if (nameOverflow) {
            return Field.OTHER;
        }
        return switch (nameLen) {
            case 2 -> name[0] == 'i' && name[1] == 'd' ? Field.ID : Field.OTHER;
            case 4 -> name[0] == 'd' && name[1] == 'a' && name[2] == 't' && name[3] == 'a' ? Field.DATA : Field.OTHER;
            case 5 -> is(EVENT) ? Field.EVENT : is(RETRY) ? Field.RETRY : Field.OTHER;
            default -> Field.OTHER;
        };
    }

    private static final byte[] EVENT = "event".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] RETRY = "retry".getBytes(StandardCharsets.US_ASCII);

    private boolean is(byte[] fieldName) {
        return java.util.Arrays.equals(name, 0, nameLen, fieldName, 0, fieldName.length);
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
