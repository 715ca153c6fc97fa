package dev.genledger.proxy.parse;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the small text fields of a {@code multipart/form-data} body as it streams past (the
 * {@code model} of an image edit or a transcription sits in a form part, possibly after megabytes
 * of file parts). File parts are only counted, never held; text fields are kept up to 64 KiB.
 * The delimiter is found with a Knuth–Morris–Pratt matcher, so it may be split anywhere across
 * chunks.
 */
public final class MultipartScanner {
    /** Receives the form's parts. */
    public interface Handler {
        /** A text field, complete. */
        void field(String name, String value);

        /** A file part, complete: its form name, file name and size in bytes. */
        default void file(String name, String filename, long bytes) {}
    }

    private static final int MAX_HEADERS = 16 * 1024;
    private static final int MAX_FIELD = 64 * 1024;
    private static final Pattern NAME = Pattern.compile("(?i)\\bname=\"([^\"]*)\"|\\bname=([^;\\s]+)");
    private static final Pattern FILENAME = Pattern.compile("(?i)\\bfilename\\*?=\"?([^\";]*)\"?");

    private enum State { PREAMBLE, AFTER_DELIMITER, HEADERS, CONTENT, DONE }

    private final Handler handler;
    private final byte[] delimiter; // CRLF "--" boundary
    private final int[] failure;
    private State state = State.PREAMBLE;
    private int matched;
    private final ByteArrayOutputStream headers = new ByteArrayOutputStream();
    private final ByteArrayOutputStream value = new ByteArrayOutputStream();
    private int afterDelimiterSeen;
    private final byte[] afterDelimiter = new byte[2];
    private String partName;
    private String partFilename;
    private long partBytes;
    private int recent; // the last four header bytes
    private int headerBytes;
    private static final int CRLF = 0x0D0A;
    private static final int CRLFCRLF = 0x0D0A0D0A;

    /** @param boundary the {@code boundary} parameter of the Content-Type header */
    public MultipartScanner(String boundary, Handler handler) {
        this.handler = handler;
        this.delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        this.failure = failureTable(delimiter);
        // The first delimiter has no CRLF before it: pretend the body starts with one.
        this.matched = 2;
    }

    /** The boundary of a multipart Content-Type, or null when it is not multipart or has none. */
    public static String boundary(String contentType) {
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("multipart/")) {
            return null;
        }
        Matcher m = Pattern.compile("(?i)boundary=\"?([^\";]+)\"?").matcher(contentType);
        return m.find() ? m.group(1).strip() : null;
    }

    public void feed(ByteBuffer chunk) {
        ByteBuffer b = chunk.duplicate();
        while (b.hasRemaining() && state != State.DONE) {
            step(b.get());
        }
    }

    public void feed(byte[] buf, int off, int len) {
        for (int i = off; i < off + len && state != State.DONE; i++) {
            step(buf[i]);
        }
    }

    private void step(byte c) {
        switch (state) {
            case PREAMBLE, CONTENT -> scanContent(c);
            case AFTER_DELIMITER -> {
                afterDelimiter[afterDelimiterSeen++] = c;
                if (afterDelimiterSeen == 2) {
                    if (afterDelimiter[0] == '-' && afterDelimiter[1] == '-') {
                        state = State.DONE;
                    } else {
                        // CRLF (transport padding before it is not used by HTTP clients)
                        state = State.HEADERS;
                        headers.reset();
                        recent = 0;
                        headerBytes = 0;
                    }
                }
            }
            case HEADERS -> {
                if (headers.size() < MAX_HEADERS) {
                    headers.write(c);
                }
                recent = (recent << 8) | (c & 0xFF);
                headerBytes++;
                if (recent == CRLFCRLF || headerBytes == 2 && (recent & 0xFFFF) == CRLF) {
                    startPart();
                }
            }
            case DONE -> { }
            default -> throw new IllegalStateException(state.name());
        }
    }

    private void scanContent(byte c) {
        while (matched > 0 && delimiter[matched] != c) {
            int keep = failure[matched - 1];
            emit(delimiter, matched - keep); // bytes that turned out not to be the delimiter
            matched = keep;
        }
        if (delimiter[matched] == c) {
            matched++;
            if (matched == delimiter.length) {
                endPart();
                matched = 0;
                afterDelimiterSeen = 0;
                state = State.AFTER_DELIMITER;
            }
        } else {
            emitByte(c);
        }
    }

    private void emit(byte[] bytes, int len) {
        for (int i = 0; i < len; i++) {
            emitByte(bytes[i]);
        }
    }

    private void emitByte(byte c) {
        if (state != State.CONTENT) {
            return; // preamble
        }
        partBytes++;
        if (partFilename == null && value.size() < MAX_FIELD) {
            value.write(c);
        }
    }

    private void startPart() {
        String head = headers.toString(StandardCharsets.UTF_8);
        partName = null;
        partFilename = null;
        for (String line : head.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-disposition:")) {
                Matcher n = NAME.matcher(line);
                if (n.find()) {
                    partName = n.group(1) != null ? n.group(1) : n.group(2);
                }
                Matcher f = FILENAME.matcher(line);
                if (f.find()) {
                    partFilename = f.group(1);
                }
            }
        }
        value.reset();
        partBytes = 0;
        state = State.CONTENT;
    }

    private void endPart() {
        if (state == State.CONTENT && partName != null) {
            if (partFilename != null) {
                handler.file(partName, partFilename, partBytes);
            } else {
                handler.field(partName, value.toString(StandardCharsets.UTF_8));
            }
        }
    }

    private static int[] failureTable(byte[] p) {
        int[] f = new int[p.length];
        int k = 0;
        for (int i = 1; i < p.length; i++) {
            while (k > 0 && p[i] != p[k]) {
                k = f[k - 1];
            }
            if (p[i] == p[k]) {
                k++;
            }
            f[i] = k;
        }
        return f;
    }
}
