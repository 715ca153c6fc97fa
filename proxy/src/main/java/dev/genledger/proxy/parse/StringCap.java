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
        for (int i = off, end = off + len; i < end; i++) {
            byte b = in[i];
            switch (state) {
                case OUT -> {
                    out[w++] = b;
                    if (b == '"') {
                        state = IN;
                        kept = 0;
                    }
                }
                case IN -> {
                    if (b == '"') {
                        out[w++] = b;
                        state = OUT;
                    } else if (kept >= maxBytes && b != '\\' && (b & 0xC0) != 0x80) {
                        state = DROP; // past the cap, at a character boundary: drop the rest
                    } else {
                        out[w++] = b;
                        kept++;
                        if (b == '\\') {
                            state = ESCAPE;
                        }
                    }
                }
                case ESCAPE -> {
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
                    out[w++] = b;
                    kept++;
                    if (--unicodeLeft == 0) {
                        state = IN;
                    }
                }
                case DROP -> {
                    if (b == '"') {
                        out[w++] = b;
                        state = OUT;
                    } else if (b == '\\') {
                        state = DROP_ESCAPE;
                    }
                }
                case DROP_ESCAPE -> state = DROP;
                default -> throw new IllegalStateException("state " + state);
            }
        }
        return w;
    }
}
