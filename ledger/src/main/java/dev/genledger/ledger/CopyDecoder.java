package dev.genledger.ledger;

import dev.genledger.pricing.Cost;
import dev.genledger.pricing.Usage;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Reads back the rows {@link CopyEncoder} wrote: the writer keeps a queued row only as its COPY
 * tuple (one byte array, which the garbage collector copies cheaply, instead of the two dozen
 * objects of a {@link Generation}), and turns it into a Generation again for what needs one: its
 * rollup contributions, and the spool should the database refuse or miss the batch.
 *
 * <p>A decoded row equals the row that was encoded as the database stores it: instants at
 * microseconds, text without NUL characters.
 */
final class CopyDecoder {
    private static final long PG_EPOCH_MICROS = 946_684_800_000_000L;
    private static final BigInteger TEN_THOUSAND = BigInteger.valueOf(10_000);

    private final byte[] b;
    private int pos;

    private CopyDecoder(byte[] b, int pos) {
        this.b = b;
        this.pos = pos;
    }

    /** The index just past the tuple that starts at {@code pos}. */
    static int end(byte[] b, int pos) {
        int fields = int16(b, pos);
        int p = pos + 2;
        for (int i = 0; i < fields; i++) {
            int n = int32(b, p);
            p += 4 + Math.max(n, 0);
        }
        return p;
    }

    /** The first fields of the tuple at {@code pos} that the writer looks at before a batch: see {@link Head}. */
    static Head head(byte[] b, int pos) {
        CopyDecoder d = new CopyDecoder(b, pos + 2);
        d.skip(); // id
        Instant startedAt = d.instant();
        d.skip(); // provider
        d.skip(); // operation
        d.skip(); // endpoint
        d.skip(); // model
        d.skip(); // modality
        d.skip(); // task
        String articleId = d.text();
        String category = d.text();
        String contentProduct = d.text();
        for (int i = 0; i < 7; i++) {
            d.skip(); // pipeline_step .. status, error, streamed
        }
        String state = d.text();
        return new Head(startedAt, articleId, category, contentProduct, Generation.State.PENDING.wire().equals(state));
    }

    /**
     * What the writer needs of a row before its batch goes out: its partition (the start), its
     * article and header values (a first-seen article is created from them), whether it is pending.
     */
    record Head(Instant startedAt, String articleId, String category, String contentProduct, boolean pending) {}

    /** The rows of the tuples in {@code b[from, to)}, in order. */
    static List<LedgerRecord> decodeAll(byte[] b, int from, int to) {
        List<LedgerRecord> out = new ArrayList<>();
        for (int p = from; p < to; p = end(b, p)) {
            out.add(decode(b, p));
        }
        return out;
    }

    /** The row whose tuple starts at {@code pos}. */
    static Generation decode(byte[] b, int pos) {
        CopyDecoder d = new CopyDecoder(b, pos);
        int fields = int16(b, pos);
        if (fields != LedgerSql.COLUMNS.size()) {
            throw new IllegalStateException("a ledger tuple has " + fields + " fields (expected: "
                    + LedgerSql.COLUMNS.size() + ")");
        }
        d.pos += 2;
        Generation.Builder g = Generation.builder()
                .id(d.uuid())
                .startedAt(d.instant())
                .provider(d.text())
                .operation(d.text())
                .endpoint(d.text())
                .model(d.text())
                .modality(Modality.fromWire(d.text()))
                .task(d.text())
                .articleId(d.text())
                .category(d.text())
                .contentProduct(d.text())
                .pipelineStep(d.text())
                .parentId(d.uuid())
                .tags(d.tags())
                .keyId(d.text())
                .status(d.int32())
                .error(d.text())
                .streamed(d.bool())
                .state(Generation.State.fromWire(d.text()));
        Usage.Builder u = Usage.builder()
                .estimated(d.bool());
        g.incomplete(d.bool());
        u.inputTokens(d.int64())
                .cachedInputTokens(d.int64())
                .outputTokens(d.int64())
                .reasoningTokens(d.int64())
                .characters(d.int64())
                .images(d.int64())
                .mediaSeconds(d.numeric());
        d.usageDetail(u);
        g.usage(u.build());
        BigDecimal cost = d.numeric();
        BigDecimal input = d.numeric();
        BigDecimal output = d.numeric();
        BigDecimal other = d.numeric();
        boolean priced = d.bool();
        String priceRef = d.text();
        g.cost(priced ? new Cost(cost, input, output, other, true, priceRef)
                        : new Cost(null, null, null, null, false, priceRef))
                .latencyMs(d.float8());
        return g.ttfbMs(d.nullableFloat8())
                .requestBytes(d.int64())
                .responseBytes(d.int64())
                .upstreamRequestId(d.text())
                .completedAt(d.instant())
                .build();
    }

    /**
     * The last jsonb values this thread parsed, with what they parsed to: a batch's rows mostly
     * repeat their tags and usage detail, and a JSON parse per row was most of what reading one
     * back cost.
     */
    private static final class Recent {
        byte[] tags;
        Map<String, String> tagsValue;
        byte[] detail;
        Map<String, Object> detailValue;
    }

    private static final ThreadLocal<Recent> RECENT = ThreadLocal.withInitial(Recent::new);

    /** Whether the next field's jsonb text is {@code last} (null: none yet); positioned past the field if so. */
    private boolean repeats(byte[] last) {
        int n = int32(b, pos);
        if (last == null || n - 1 != last.length || !Arrays.equals(b, pos + 5, pos + 4 + n, last, 0, last.length)) {
            return false;
        }
        pos += 4 + n;
        return true;
    }

    private Map<String, String> tags() {
        Recent r = RECENT.get();
        if (!isNull() && repeats(r.tags)) {
            return r.tagsValue;
        }
        int start = pos;
        String json = jsonb();
        Map<String, String> value = LedgerRows.tags(json);
        if (json != null) {
            r.tags = Arrays.copyOfRange(b, start + 5, pos);
            r.tagsValue = value;
        }
        return value;
    }

    private void usageDetail(Usage.Builder u) {
        Recent r = RECENT.get();
        if (!isNull() && repeats(r.detail)) {
            LedgerJson.applyDetail(u, r.detailValue);
            return;
        }
        int start = pos;
        String json = jsonb();
        if (json == null || json.isEmpty()) {
            return;
        }
        r.detail = Arrays.copyOfRange(b, start + 5, pos);
        r.detailValue = LedgerJson.detail(json);
        LedgerJson.applyDetail(u, r.detailValue);
    }

    // ------------------------------------------------------------------ fields

    private boolean isNull() {
        return int32(b, pos) < 0;
    }

    private void skip() {
        int n = int32(b, pos);
        pos += 4 + Math.max(n, 0);
    }

    /** The length of the next field, positioned at its value; -1 for null. */
    private int open() {
        int n = int32(b, pos);
        pos += 4;
        return n;
    }

    private UUID uuid() {
        if (open() < 0) {
            return null;
        }
        UUID id = new UUID(int64(b, pos), int64(b, pos + 8));
        pos += 16;
        return id;
    }

    private Instant instant() {
        if (open() < 0) {
            return null;
        }
        long micros = int64(b, pos) + PG_EPOCH_MICROS;
        pos += 8;
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000L);
    }

    private String text() {
        int n = open();
        if (n < 0) {
            return null;
        }
        String s = new String(b, pos, n, StandardCharsets.UTF_8);
        pos += n;
        return s;
    }

    /** jsonb: the version byte, then the JSON text. */
    private String jsonb() {
        int n = open();
        if (n < 0) {
            return null;
        }
        String s = new String(b, pos + 1, n - 1, StandardCharsets.UTF_8);
        pos += n;
        return s;
    }

    private boolean bool() {
        open();
        return b[pos++] != 0;
    }

    private int int32() {
        open();
        int v = int32(b, pos);
        pos += 4;
        return v;
    }

    private long int64() {
        open();
        long v = int64(b, pos);
        pos += 8;
        return v;
    }

    private double float8() {
        return Double.longBitsToDouble(int64());
    }

    private Double nullableFloat8() {
        if (isNull()) {
            skip();
            return null;
        }
        return float8();
    }

    /** numeric: digit count, weight, sign, display scale, then base-10000 digits (see CopyEncoder). */
    private BigDecimal numeric() {
        if (open() < 0) {
            return null;
        }
        int digits = int16(b, pos);
        int weight = (short) int16(b, pos + 2);
        boolean negative = int16(b, pos + 4) == 0x4000;
        int dscale = int16(b, pos + 6);
        pos += 8;
        BigInteger unscaled = BigInteger.ZERO;
        long small = 0;
        for (int i = 0; i < digits; i++) {
            int digit = int16(b, pos);
            pos += 2;
            if (digits <= 4) {
                small = small * 10_000 + digit;
            } else {
                unscaled = unscaled.multiply(TEN_THOUSAND).add(BigInteger.valueOf(digit));
            }
        }
        if (digits <= 4) {
            unscaled = BigInteger.valueOf(small);
        }
        // the digits read stand for unscaled × 10000^(weight - digits + 1)
        BigDecimal v = new BigDecimal(unscaled, -4 * (weight - digits + 1));
        if (negative) {
            v = v.negate();
        }
        return v.setScale(dscale);
    }

    // ------------------------------------------------------------------ bytes

    private static int int16(byte[] b, int p) {
        return ((b[p] & 0xFF) << 8) | (b[p + 1] & 0xFF);
    }

    static int int32(byte[] b, int p) {
        return ((b[p] & 0xFF) << 24) | ((b[p + 1] & 0xFF) << 16) | ((b[p + 2] & 0xFF) << 8) | (b[p + 3] & 0xFF);
    }

    private static long int64(byte[] b, int p) {
        return ((long) int32(b, p) << 32) | (int32(b, p + 4) & 0xFFFFFFFFL);
    }
}
