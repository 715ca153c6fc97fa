package dev.genledger.ledger;

import dev.genledger.pricing.Cost;
import dev.genledger.pricing.Usage;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.UUID;

/**
 * Encodes rows in PostgreSQL's binary COPY format, in {@link LedgerSql#COLUMNS} order: each value
 * in the type's own wire form (a uuid as 16 bytes, a timestamptz as microseconds, a numeric as
 * base-10000 digits), so the database parses no text for them, which was most of what a row cost it
 * in the text format. Money stays exact: a numeric is written from the BigDecimal's digits, never
 * through a binary float.
 */
final class CopyEncoder {
    /** The signature, flags and header-extension length that open a binary COPY stream. */
    static final byte[] HEADER = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n', 0, 0, 0, 0, 0, 0, 0, 0, 0};
    /** A field count of -1: the end of a stream. */
    static final byte[] TRAILER = {(byte) 0xFF, (byte) 0xFF};
    private static final short FIELDS = (short) LedgerSql.COLUMNS.size();
    /** 2000-01-01T00:00:00Z, PostgreSQL's epoch, in seconds since 1970. */
    private static final long PG_EPOCH_SECONDS = 946_684_800L;
    private static final byte JSONB_VERSION = 1;
    /** Seconds beyond which microseconds no longer fit a long (about 292,000 years). */
    private static final long MAX_SECONDS = Long.MAX_VALUE / 1_000_000L - 1;

    private byte[] buf = new byte[64 * 1024];
    private int len;
    private final StringBuilder json = new StringBuilder(256);
    private int rows;

    /** Whether a value the decoder could not read back (an instant beyond a long's microseconds) is refused. */
    private final boolean readable;

    CopyEncoder() {
        this(false);
    }

    /**
     * @param readable refuse, with an IllegalArgumentException, a row whose tuple would not decode
     *                 to the same row: the queue keeps such a row as it is, so that when the
     *                 database refuses it, the record set aside is the row the gateway made
     */
    CopyEncoder(boolean readable) {
        this.readable = readable;
        clear();
    }

    void add(Generation g) {
        Usage u = g.usage();
        Cost c = g.cost();
        int16(FIELDS);
        uuid(g.id());
        instant(g.startedAt());
        text(g.provider());
        text(g.operation());
        text(g.endpoint());
        text(g.model());
        text(g.modality().wire());
        text(g.task());
        text(g.articleId());
        text(g.category());
        text(g.contentProduct());
        text(g.pipelineStep());
        uuid(g.parentId());
        json.setLength(0);
        JsonText.tags(json, g.tags());
        jsonb(json);
        text(g.keyId());
        int32Field(g.status());
        text(g.error());
        bool(g.streamed());
        text(g.state().wire());
        bool(u.estimated());
        bool(g.incomplete());
        int64Field(u.inputTokens());
        int64Field(u.cachedInputTokens());
        int64Field(u.outputTokens());
        int64Field(u.reasoningTokens());
        int64Field(u.characters());
        int64Field(u.images());
        numeric(u.mediaSeconds());
        json.setLength(0);
        JsonText.usageDetail(json, u);
        jsonb(json);
        numeric(c.costUsd());
        numeric(c.inputCostUsd());
        numeric(c.outputCostUsd());
        numeric(c.otherCostUsd());
        bool(c.priced());
        text(c.priceRef());
        float8(g.latencyMs());
        if (g.ttfbMs() == null) {
            nullField();
        } else {
            float8(g.ttfbMs());
        }
        int64Field(g.requestBytes());
        int64Field(g.responseBytes());
        text(g.upstreamRequestId());
        instant(g.completedAt());
        rows++;
    }

    int rows() {
        return rows;
    }

    /** Empties the buffer: the tuples added next are ({@link #buffer()}, {@link #length()}). */
    void clear() {
        len = 0;
        rows = 0;
    }

    byte[] buffer() {
        return buf;
    }

    int length() {
        return len;
    }

    // ------------------------------------------------------------------ fields

    private void nullField() {
        int32(-1);
    }

    private void uuid(UUID id) {
        if (id == null) {
            nullField();
            return;
        }
        int32(16);
        int64(id.getMostSignificantBits());
        int64(id.getLeastSignificantBits());
    }

    /**
     * Microseconds since 2000-01-01 UTC, rounded half to even as PostgreSQL rounds a timestamp's
     * text to microseconds, so that the binary form stores what the text form stored.
     */
    private void instant(Instant t) {
        if (t == null) {
            nullField();
            return;
        }
        long seconds = t.getEpochSecond() - PG_EPOCH_SECONDS;
        long micros;
        if (Math.abs(seconds) > MAX_SECONDS) {
            if (readable) {
                throw new IllegalArgumentException("instant out of range: " + t);
            }
            // far outside PostgreSQL's range (4713 BC to 294276 AD): a value it rejects as out of
            // range, like the text it was sent before, and not one of its infinities (the extremes)
            micros = seconds > 0 ? Long.MAX_VALUE - 1 : Long.MIN_VALUE + 1;
        } else {
            micros = seconds * 1_000_000L + t.getNano() / 1000;
            int rest = t.getNano() % 1000;
            if (rest > 500 || (rest == 500 && (micros & 1) == 1)) {
                micros++;
            }
        }
        int32(8);
        int64(micros);
    }

    private void bool(boolean v) {
        int32(1);
        put((byte) (v ? 1 : 0));
    }

    private void int32Field(int v) {
        int32(4);
        int32(v);
    }

    private void int64Field(long v) {
        int32(8);
        int64(v);
    }

    private void float8(double v) {
        int32(8);
        int64(Double.doubleToLongBits(v));
    }

    /** UTF-8 text; PostgreSQL text cannot hold NUL, which is dropped (as the text format did). */
    private void text(CharSequence s) {
        if (s == null) {
            nullField();
            return;
        }
        String str = s.toString();
        if (str.indexOf('\0') >= 0) {
            str = str.replace("\0", "");
        }
        byte[] b = str.getBytes(StandardCharsets.UTF_8);
        int32(b.length);
        put(b, 0, b.length);
    }

    /** jsonb's binary form: a version byte, then the JSON text (PostgreSQL parses it as it would the text). */
    private void jsonb(CharSequence s) {
        byte[] b = s.toString().getBytes(StandardCharsets.UTF_8);
        int32(b.length + 1);
        put(JSONB_VERSION);
        put(b, 0, b.length);
    }

    /**
     * numeric's binary form: the count of base-10000 digits, the weight of the first (the power
     * of 10000 it stands for), the sign, the display scale, then the digits, grouped from the
     * decimal point outwards: 1234.5 is weight 0, digits 1234 and 5000, scale 1.
     */
    private void numeric(BigDecimal d) {
        if (d == null) {
            nullField();
            return;
        }
        if (d.scale() >= 0 && d.precision() <= 15) {
            smallNumeric(d); // every price and cost: no strings
            return;
        }
        int dscale = Math.max(d.scale(), 0);
        String plain = d.abs().setScale(dscale).toPlainString();
        int point = plain.indexOf('.');
        String whole = point < 0 ? plain : plain.substring(0, point);
        String fraction = point < 0 ? "" : plain.substring(point + 1);
        // pad the whole part on the left and the fraction on the right to whole groups of four
        int wholeGroups = (whole.length() + 3) / 4;
        int fractionGroups = (fraction.length() + 3) / 4;
        String digits = "0".repeat(wholeGroups * 4 - whole.length()) + whole + fraction
                + "0".repeat(fractionGroups * 4 - fraction.length());
        short[] groups = new short[wholeGroups + fractionGroups];
        for (int i = 0; i < groups.length; i++) {
            groups[i] = (short) Integer.parseInt(digits, 4 * i, 4 * i + 4, 10);
        }
        int first = 0;
        int last = groups.length;
        while (first < last && groups[first] == 0) {
            first++; // leading zero groups only lower the weight
        }
        while (last > first && groups[last - 1] == 0) {
            last--; // trailing zero groups are implied by the scale
        }
        int n = last - first;
        numericHead(n, n == 0 ? 0 : wholeGroups - 1 - first, d.signum() < 0, dscale);
        for (int i = first; i < last; i++) {
            int16(groups[i]);
        }
    }

    /** A numeric's length and header: its digit count, weight, sign (zero is never negative), scale. */
    private void numericHead(int digits, int weight, boolean negative, int dscale) {
        int32(8 + 2 * digits);
        int16((short) digits);
        int16((short) weight);
        int16((short) (negative && digits > 0 ? 0x4000 : 0));
        int16((short) dscale);
    }

    private static final long[] POW10 = {1, 10, 100, 1000};
    /** Base-10000 digits of a small numeric, least significant first (at most five of them). */
    private final short[] small = new short[8];

    /**
     * A numeric of at most 15 digits and a scale of zero or more, in the same form as the general
     * path: its unscaled value, padded with zeros to whole groups of four fraction digits, is at
     * most 18 digits and fits a long, so its base-10000 digits come by division.
     */
    private void smallNumeric(BigDecimal d) {
        int dscale = d.scale();
        int pad = (4 - dscale % 4) % 4;
        long u = Math.abs(d.unscaledValue().longValueExact()) * POW10[pad];
        int fractionGroups = (dscale + pad) / 4;
        int k = 0;
        while (u != 0) {
            small[k++] = (short) (u % 10_000);
            u /= 10_000;
        }
        // small[k - 1] is the most significant group; groups below index fractionGroups are the fraction
        int low = 0;
        while (low < k && small[low] == 0) {
            low++; // trailing zero groups are implied by the scale
        }
        int n = k - low;
        numericHead(n, n == 0 ? 0 : k - 1 - fractionGroups, d.signum() < 0, dscale);
        for (int i = k - 1; i >= low; i--) {
            int16(small[i]);
        }
    }

    // ------------------------------------------------------------------ bytes

    private void int16(short v) {
        ensure(2);
        buf[len++] = (byte) (v >>> 8);
        buf[len++] = (byte) v;
    }

    private void int32(int v) {
        ensure(4);
        buf[len++] = (byte) (v >>> 24);
        buf[len++] = (byte) (v >>> 16);
        buf[len++] = (byte) (v >>> 8);
        buf[len++] = (byte) v;
    }

    private void int64(long v) {
        int32((int) (v >>> 32));
        int32((int) v);
    }

    private void put(byte b) {
        ensure(1);
        buf[len++] = b;
    }

    private void put(byte[] b, int off, int n) {
        ensure(n);
        System.arraycopy(b, off, buf, len, n);
        len += n;
    }

    private void ensure(int n) {
        if (len + n > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(len + n, buf.length * 2));
        }
    }

    /** Appends text escaped for COPY's text format (the rollups' COPY uses it). */
    static void escape(StringBuilder b, CharSequence s) {
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '\\' -> b.append("\\\\");
                case '\t' -> b.append("\\t");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\0' -> { } // PostgreSQL text cannot hold NUL; it is dropped
                default -> b.append(ch);
            }
        }
    }
}
