package dev.genledger.proxy.openai;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.genledger.proxy.provider.ResponseFilter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.function.BooleanSupplier;

/**
 * Takes out of a chat-completions stream what {@code stream_options.include_usage} added to it, so
 * that a client that did not ask for usage receives, byte for byte, the stream it would have got:
 * the usage-only chunk ({@code "choices":[]} with a {@code usage} object) is dropped with its blank
 * line, and the {@code "usage":null} member every other chunk carries is cut out with its comma.
 *
 * <p>Works event by event: bytes are held until the blank line that ends an event, then released,
 * edited or dropped; never more than one event is held, and an event that grows past 1 MiB (no
 * chat chunk does) is relayed as it comes. A response that is not an event stream (an error, a JSON
 * body) is relayed untouched.
 */
final class UsageChunkFilter implements ResponseFilter {
    private static final int MAX_HELD = 1024 * 1024;
    private static final JsonFactory FACTORY = new JsonFactory();

    private enum Mode { UNDECIDED, FILTER, RELAY }

    private final BooleanSupplier relayUnfiltered;
    private Mode mode = Mode.UNDECIDED;
    private byte[] held = new byte[1024];
    private int heldLen;
    private int lineLen;
    private boolean afterCr;
    private boolean emptyLineCr; // an empty line ended with CR: the event ends after its LF, if one follows
    private boolean oversize; // the current event outgrew MAX_HELD and is being relayed
    private boolean eventSeen;

    UsageChunkFilter(BooleanSupplier relayUnfiltered) {
        this.relayUnfiltered = relayUnfiltered;
    }

    @Override
    public ByteBuffer filter(ByteBuffer chunk) {
        if (mode == Mode.UNDECIDED) {
            mode = relayUnfiltered.getAsBoolean() ? Mode.RELAY : Mode.FILTER;
        }
        if (mode == Mode.RELAY) {
            return chunk;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(chunk.remaining());
        ByteBuffer b = chunk.duplicate();
        while (b.hasRemaining()) {
            step(b.get(), out);
            if (mode == Mode.RELAY) {
                // a JSON body after all: what was held goes out, and the rest as it is
                out.write(held, 0, heldLen);
                heldLen = 0;
                byte[] rest = new byte[b.remaining()];
                b.get(rest);
                out.writeBytes(rest);
            }
        }
        return ByteBuffer.wrap(out.toByteArray());
    }

    @Override
    public ByteBuffer finish() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (mode == Mode.FILTER && heldLen > 0) {
            // a last event without its blank line (the stream was cut): edited like any other
            edit(out);
        }
        heldLen = 0;
        return ByteBuffer.wrap(out.toByteArray());
    }

    private void step(byte c, ByteArrayOutputStream out) {
        if (emptyLineCr) {
            emptyLineCr = false;
            if (c == '\n') {
                hold(c, out);
                endOfEvent(out);
                return;
            }
            endOfEvent(out);
        }
        hold(c, out);
        if (c == '\r') {
            afterCr = true;
            if (lineLen == 0) {
                emptyLineCr = true;
            }
            lineLen = 0;
        } else if (c == '\n') {
            if (afterCr) {
                afterCr = false; // the LF of a CRLF: that line has ended already
                return;
            }
            if (lineLen == 0) {
                endOfEvent(out);
            }
            lineLen = 0;
        } else {
            afterCr = false;
            if (lineLen++ == 0 && heldLen == 1 && !eventSeen && c == '{') {
                mode = Mode.RELAY; // the body starts like JSON, not like an event stream
            }
        }
    }

    private void hold(byte c, ByteArrayOutputStream out) {
        if (oversize) {
            out.write(c);
            return;
        }
        if (heldLen == held.length) {
            if (held.length >= MAX_HELD) {
                out.write(held, 0, heldLen); // too big to be a chat chunk worth editing: relay it
                heldLen = 0;
                oversize = true;
                out.write(c);
                return;
            }
            held = Arrays.copyOf(held, Math.min(MAX_HELD, held.length * 2));
        }
        held[heldLen++] = c;
    }

    private void endOfEvent(ByteArrayOutputStream out) {
        eventSeen = true;
        if (!oversize) {
            edit(out);
        }
        oversize = false;
        heldLen = 0;
        lineLen = 0;
        afterCr = false;
    }

    /** Writes the held event, edited: dropped when it is the usage chunk, without "usage":null otherwise. */
    private void edit(ByteArrayOutputStream out) {
        Edit e = inspect(held, heldLen);
        if (e == null) {
            out.write(held, 0, heldLen);
        } else if (e.drop()) {
            // the usage-only chunk, with its blank line: the client never asked for it
        } else {
            out.write(held, 0, e.from());
            out.write(held, e.to(), heldLen - e.to());
        }
    }

    /** An edit of one event: drop it whole, or cut bytes {@code [from, to)}. */
    private record Edit(boolean drop, int from, int to) {}

    /**
     * What to do with an event that is a single {@code data:} line holding a JSON object; null for
     * anything else ({@code data: [DONE]}, comments, other fields), which passes untouched.
     */
    static Edit inspect(byte[] ev, int len) {
        int start = dataStart(ev, len);
        if (start < 0) {
            return null;
        }
        int end = start;
        while (end < len && ev[end] != '\n' && ev[end] != '\r') {
            end++;
        }
        for (int i = end; i < len; i++) {
            if (ev[i] != '\n' && ev[i] != '\r') {
                return null; // more lines than one data line
            }
        }
        byte[] json = Arrays.copyOfRange(ev, start, end);
        try (JsonParser p = FACTORY.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            boolean choicesEmpty = false;
            boolean usageObject = false;
            int nullFrom = -1;
            int nullTo = -1;
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                int nameAt = (int) p.currentTokenLocation().getByteOffset();
                JsonToken value = p.nextToken();
                if (name.equals("choices") && value == JsonToken.START_ARRAY) {
                    JsonToken element = p.nextToken();
                    choicesEmpty = element == JsonToken.END_ARRAY;
                    while (element != JsonToken.END_ARRAY) {
                        p.skipChildren();
                        element = p.nextToken();
                    }
                } else if (name.equals("usage") && value == JsonToken.VALUE_NULL) {
                    nullFrom = nameAt;
                    nullTo = (int) p.currentTokenLocation().getByteOffset() + 4;
                } else {
                    usageObject |= name.equals("usage") && value == JsonToken.START_OBJECT;
                    p.skipChildren();
                }
            }
            if (t != JsonToken.END_OBJECT) {
                return null;
            }
            if (choicesEmpty && usageObject) {
                return new Edit(true, 0, 0);
            }
            if (nullFrom < 0) {
                return null;
            }
            return member(json, nullFrom, nullTo, start);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** The cut of a member at {@code [from, to)} with one comma beside it: the one after it, else the one before. */
    private static Edit member(byte[] json, int from, int to, int shift) {
        int after = to;
        while (after < json.length && isSpace(json[after])) {
            after++;
        }
        if (after < json.length && json[after] == ',') {
            return new Edit(false, shift + from, shift + after + 1);
        }
        int before = from - 1;
        while (before >= 0 && isSpace(json[before])) {
            before--;
        }
        if (before >= 0 && json[before] == ',') {
            return new Edit(false, shift + before, shift + to);
        }
        return new Edit(false, shift + from, shift + to); // the only member
    }

    /** Where the value of a leading {@code data:} field starts (after its one optional space), or -1. */
    private static int dataStart(byte[] ev, int len) {
        if (len < 5 || ev[0] != 'd' || ev[1] != 'a' || ev[2] != 't' || ev[3] != 'a' || ev[4] != ':') {
            return -1;
        }
        return len > 5 && ev[5] == ' ' ? 6 : 5;
    }

    private static boolean isSpace(byte c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r';
    }
}
