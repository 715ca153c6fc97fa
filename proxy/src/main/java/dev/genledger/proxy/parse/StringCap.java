package dev.genledger.proxy.parse;

/**
 * Shortens long JSON string values on their way into a parser, so that a 20 MB base64 image in a
 * response body is skipped without ever being held: the first {@code maxBytes} bytes of each
 * string are kept, the rest is dropped up to the closing quote. The output is still valid JSON.
 * Cuts never split an escape sequence or a UTF-8 character.
 *
 * <p>Usage values sit in numbers and short strings; nothing an extractor reads is longer than a
 * few hundred bytes, so the cap (4 KiB by default) loses nothing it needs.
 */
final class StringCap {
    private static final int OUT = 0;
    private static final int IN = 1;
    private static final int ESCAPE = 2;
    private static final int UNICODE = 3;
    private static final int DROP = 4;
    private static final int DROP_ESCAPE = 5;

    private final int maxBytes;
    private int state = OUT;
    private int kept;
    private int unicodeLeft;

    StringCap(int maxBytes) {
        this.maxBytes = maxBytes;
    }

    /**
     * Filters {@code len} bytes of {@code in} from {@code off} into {@code out} (which must have
     * room for {@code len} bytes) and returns how many bytes were written.
     */
    int filter(byte[] in, int off, int len, byte[] out) {
        int w = 0;
        int i = off;
        int end = off + len;
        while (i < end) {
            switch (state) {
                case OUT -> {
                    // copy up to and including the next quote in one run
                    int start = i;
                    while (i < end && in[i] != '"') {
                        i++;
                    }
                    if (i < end) {
                        i++; // the quote
                        state = IN;
                        kept = 0;
                    }
                    System.arraycopy(in, start, out, w, i - start);
                    w += i - start;
                }
                case IN -> {
                    // copy plain string bytes up to a quote, a backslash or the cap
                    int start = i;
                    int limit = Math.min(end, i + Math.max(0, maxBytes - kept));
                    while (i < limit && in[i] != '"' && in[i] != '\\') {
                        i++;
                    }
                    int n = i - start;
                    System.arraycopy(in, start, out, w, n);
                    w += n;
                    kept += n;
                    if (i == end) {
                        break;
                    }
                    byte b = in[i];
                    if (b == '"') {
                        out[w++] = b;
                        i++;
                        state = OUT;
                    } else if (kept >= maxBytes && b != '\\' && (b & 0xC0) != 0x80) {
                        state = DROP; // past the cap, at a character boundary: drop the rest
                    } else {
                        out[w++] = b;
                        i++;
                        kept++;
                        if (b == '\\') {
                            state = ESCAPE;
                        }
                    }
                }
                case ESCAPE -> {
                    byte b = in[i++];
                    out[w++] = b;
                    kept++;
                    if (b == 'u') {
                        state = UNICODE;
                        unicodeLeft = 4;
                    } else {
                        state = IN;
                    }
                }
                case UNICODE -> {
                    out[w++] = in[i++];
                    kept++;
                    if (--unicodeLeft == 0) {
                        state = IN;
                    }
                }
                case DROP -> {
                    // skip the rest of a long string in one tight run
                    while (i < end && in[i] != '"' && in[i] != '\\') {
                        i++;
                    }
                    if (i < end) {
                        if (in[i] == '"') {
                            out[w++] = '"';
                            state = OUT;
                        } else {
                            state = DROP_ESCAPE;
                        }
                        i++;
                    }
                }
                case DROP_ESCAPE -> {
                    i++;
                    state = DROP;
                }
                default -> throw new IllegalStateException("state " + state);
            }
        }
        return w;
    }
}
