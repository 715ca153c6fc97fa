package dev.genledger.ledger;

import dev.genledger.pricing.Cost;
import dev.genledger.pricing.Usage;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * Encodes rows in PostgreSQL's COPY text format (tab-separated, {@code \N} for null, backslash
 * escapes), in {@link LedgerSql#COLUMNS} order. Text keeps the encoder simple and exact: numerics
 * are written as plain decimals, so money never passes through a binary float.
 */
final class CopyEncoder {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024);
    private final StringBuilder line = new StringBuilder(1024);
    private final StringBuilder json = new StringBuilder(256);
    private int rows;

    void add(Generation g) {
        StringBuilder b = line;
        b.setLength(0);
        Usage u = g.usage();
        Cost c = g.cost();
        uuid(g.id().toString());
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
        text(g.parentId() == null ? null : g.parentId().toString());
        json.setLength(0);
        JsonText.tags(json, g.tags());
        text(json);
        text(g.keyId());
        raw(Integer.toString(g.status()));
        text(g.error());
        bool(g.streamed());
        text(g.state().wire());
        bool(u.estimated());
        bool(g.incomplete());
        raw(Long.toString(u.inputTokens()));
        raw(Long.toString(u.cachedInputTokens()));
        raw(Long.toString(u.outputTokens()));
        raw(Long.toString(u.reasoningTokens()));
        raw(Long.toString(u.characters()));
        raw(Long.toString(u.images()));
        decimal(u.mediaSeconds());
        json.setLength(0);
        JsonText.usageDetail(json, u);
        text(json);
        decimal(c.costUsd());
        decimal(c.inputCostUsd());
        decimal(c.outputCostUsd());
        decimal(c.otherCostUsd());
        bool(c.priced());
        text(c.priceRef());
        raw(Double.toString(g.latencyMs()));
        raw(g.ttfbMs() == null ? null : Double.toString(g.ttfbMs()));
        raw(Long.toString(g.requestBytes()));
        raw(Long.toString(g.responseBytes()));
        text(g.upstreamRequestId());
        instant(g.completedAt());
        b.setCharAt(b.length() - 1, '\n'); // the last separator ends the line
        byte[] bytes = b.toString().getBytes(StandardCharsets.UTF_8);
        out.write(bytes, 0, bytes.length);
        rows++;
    }

    int rows() {
        return rows;
    }

    byte[] bytes() {
        return out.toByteArray();
    }

    void reset() {
        out.reset();
        rows = 0;
    }

    private void raw(String s) {
        line.append(s == null ? "\\N" : s).append('\t');
    }

    private void uuid(String s) {
        line.append(s).append('\t');
    }

    private void bool(boolean v) {
        line.append(v ? 't' : 'f').append('\t');
    }

    private void instant(Instant t) {
        raw(t == null ? null : t.toString());
    }

    private void decimal(BigDecimal d) {
        raw(d == null ? null : d.toPlainString());
    }

    private void text(CharSequence s) {
        if (s == null) {
            line.append("\\N\t");
            return;
        }
        escape(line, s);
        line.append('\t');
    }

    /** Appends text escaped for COPY's text format. */
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
