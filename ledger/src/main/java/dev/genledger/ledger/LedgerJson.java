package dev.genledger.ledger;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
import dev.genledger.pricing.Cost;
import dev.genledger.pricing.Usage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The one JSON shape of a ledger row (DESIGN.md, "A generation"), written and read with Jackson's
 * streaming API. The API serves it, the CSV export follows its key order, and the disk spool
 * stores it, so a spooled row replays with exactly the values it was offered with. Money is
 * written as plain decimals and read back as {@link BigDecimal}, never through a double.
 */
public final class LedgerJson {
    public static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
            .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
            .build();

    private LedgerJson() {}

    // ---------------------------------------------------------------- generation

    /** Writes the row's fields into an object that the caller has started. */
    public static void writeFields(JsonGenerator g, Generation r) throws IOException {
        g.writeStringField("id", r.id().toString());
        g.writeStringField("started_at", r.startedAt().toString());
        g.writeStringField("provider", r.provider());
        g.writeStringField("operation", r.operation());
        nullable(g, "endpoint", r.endpoint());
        nullable(g, "model", r.model());
        g.writeStringField("modality", r.modality().wire());
        nullable(g, "task", r.task());
        nullable(g, "article_id", r.articleId());
        nullable(g, "category", r.category());
        nullable(g, "content_product", r.contentProduct());
        nullable(g, "pipeline_step", r.pipelineStep());
        nullable(g, "parent_id", r.parentId() == null ? null : r.parentId().toString());
        g.writeObjectFieldStart("tags");
        for (Map.Entry<String, String> t : r.tags().entrySet()) {
            g.writeStringField(t.getKey(), t.getValue());
        }
        g.writeEndObject();
        nullable(g, "key_id", r.keyId());
        g.writeNumberField("status", r.status());
        nullable(g, "error", r.error());
        g.writeBooleanField("streamed", r.streamed());
        g.writeStringField("state", r.state().wire());
        g.writeBooleanField("estimated", r.usage().estimated());
        g.writeBooleanField("incomplete", r.incomplete());
        Usage u = r.usage();
        g.writeNumberField("input_tokens", u.inputTokens());
        g.writeNumberField("cached_input_tokens", u.cachedInputTokens());
        g.writeNumberField("output_tokens", u.outputTokens());
        g.writeNumberField("reasoning_tokens", u.reasoningTokens());
        g.writeNumberField("characters", u.characters());
        g.writeNumberField("images", u.images());
        g.writeNumberField("media_seconds", u.mediaSeconds());
        g.writeFieldName("usage_detail");
        writeUsageDetail(g, u);
        Cost c = r.cost();
        decimal(g, "cost_usd", c.costUsd());
        decimal(g, "input_cost_usd", c.inputCostUsd());
        decimal(g, "output_cost_usd", c.outputCostUsd());
        decimal(g, "other_cost_usd", c.otherCostUsd());
        g.writeBooleanField("priced", c.priced());
        nullable(g, "price_ref", c.priceRef());
        g.writeNumberField("latency_ms", r.latencyMs());
        if (r.ttfbMs() == null) {
            g.writeNullField("ttfb_ms");
        } else {
            g.writeNumberField("ttfb_ms", r.ttfbMs());
        }
        g.writeNumberField("request_bytes", r.requestBytes());
        g.writeNumberField("response_bytes", r.responseBytes());
        nullable(g, "upstream_request_id", r.upstreamRequestId());
        nullable(g, "completed_at", r.completedAt() == null ? null : r.completedAt().toString());
    }

    /** The usage beyond the main columns, as stored in the {@code usage_detail} column. */
    public static void writeUsageDetail(JsonGenerator g, Usage u) throws IOException {
        g.writeStartObject();
        nonZero(g, "input_audio_tokens", u.inputAudioTokens());
        nonZero(g, "input_image_tokens", u.inputImageTokens());
        nonZero(g, "output_audio_tokens", u.outputAudioTokens());
        nonZero(g, "output_image_tokens", u.outputImageTokens());
        decimal(g, "credits", u.credits(), false);
        if (!u.attributes().isEmpty()) {
            g.writeObjectFieldStart("attributes");
            for (Map.Entry<String, String> a : u.attributes().entrySet()) {
                g.writeStringField(a.getKey(), a.getValue());
            }
            g.writeEndObject();
        }
        g.writeEndObject();
    }

    /** A JSON string literal (quoted and escaped) for {@code s}. */
    public static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2);
        JsonText.string(b, s);
        return b.toString();
    }

    public static String usageDetail(Usage u) {
        return write(g -> writeUsageDetail(g, u));
    }

    public static byte[] toBytes(LedgerRecord record) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.writeStartObject();
            switch (record) {
                case Generation r -> {
                    g.writeStringField("type", "generation");
                    writeFields(g, r);
                }
                case Finalization f -> {
                    g.writeStringField("type", "finalization");
                    g.writeStringField("provider", f.provider());
                    g.writeStringField("upstream_request_id", f.upstreamRequestId());
                    g.writeStringField("completed_at", f.completedAt().toString());
                    g.writeNumberField("status", f.status());
                    nullable(g, "error", f.error());
                    if (f.outputs() != null) {
                        g.writeNumberField("outputs", f.outputs());
                    }
                    if (f.usage() != null) {
                        g.writeObjectFieldStart("usage");
                        writeUsageMain(g, f.usage());
                        g.writeFieldName("usage_detail");
                        writeUsageDetail(g, f.usage());
                        g.writeEndObject();
                    }
                }
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static void writeUsageMain(JsonGenerator g, Usage u) throws IOException {
        g.writeBooleanField("estimated", u.estimated());
        g.writeNumberField("input_tokens", u.inputTokens());
        g.writeNumberField("cached_input_tokens", u.cachedInputTokens());
        g.writeNumberField("output_tokens", u.outputTokens());
        g.writeNumberField("reasoning_tokens", u.reasoningTokens());
        g.writeNumberField("characters", u.characters());
        g.writeNumberField("images", u.images());
        g.writeNumberField("media_seconds", u.mediaSeconds());
    }

    /** Reads what {@link #toBytes} wrote. */
    public static LedgerRecord fromBytes(byte[] bytes) {
        try (JsonParser p = FACTORY.createParser(bytes)) {
            Map<String, Object> m = readObject(p);
            Object type = m.get("type");
            if ("generation".equals(type)) {
                return generation(m);
            }
            if ("finalization".equals(type)) {
                @SuppressWarnings("unchecked")
                Map<String, Object> um = (Map<String, Object>) m.get("usage");
                Number outputs = (Number) m.get("outputs");
                return new Finalization(str(m, "provider"), str(m, "upstream_request_id"),
                        Instant.parse(str(m, "completed_at")), num(m, "status").intValue(), str(m, "error"),
                        um == null ? null : usage(um), outputs == null ? null : outputs.longValue());
            }
            throw new IllegalArgumentException("type: " + type + " (expected: generation or finalization)");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    static Generation generation(Map<String, Object> m) {
        String parent = str(m, "parent_id");
        String completed = str(m, "completed_at");
        Number ttfb = num(m, "ttfb_ms");
        Map<String, String> tags = new TreeMap<>();
        ((Map<String, Object>) m.getOrDefault("tags", Map.of())).forEach((k, v) -> tags.put(k, String.valueOf(v)));
        boolean priced = Boolean.TRUE.equals(m.get("priced"));
        Cost cost = priced
                ? new Cost(dec(m, "cost_usd"), dec(m, "input_cost_usd"), dec(m, "output_cost_usd"),
                        dec(m, "other_cost_usd"), true, str(m, "price_ref"))
                : Cost.UNPRICED;
        return Generation.builder()
                .id(UUID.fromString(str(m, "id")))
                .startedAt(Instant.parse(str(m, "started_at")))
                .provider(str(m, "provider"))
                .operation(str(m, "operation"))
                .endpoint(str(m, "endpoint"))
                .model(str(m, "model"))
                .modality(Modality.fromWire(str(m, "modality")))
                .task(str(m, "task"))
                .articleId(str(m, "article_id"))
                .category(str(m, "category"))
                .contentProduct(str(m, "content_product"))
                .pipelineStep(str(m, "pipeline_step"))
                .parentId(parent == null ? null : UUID.fromString(parent))
                .tags(tags)
                .keyId(str(m, "key_id"))
                .status(num(m, "status").intValue())
                .error(str(m, "error"))
                .streamed(Boolean.TRUE.equals(m.get("streamed")))
                .state(Generation.State.fromWire(str(m, "state")))
                .usage(usage(m))
                .cost(cost)
                .latencyMs(num(m, "latency_ms").doubleValue())
                .ttfbMs(ttfb == null ? null : ttfb.doubleValue())
                .requestBytes(num(m, "request_bytes").longValue())
                .responseBytes(num(m, "response_bytes").longValue())
                .upstreamRequestId(str(m, "upstream_request_id"))
                .incomplete(Boolean.TRUE.equals(m.get("incomplete")))
                .completedAt(completed == null ? null : Instant.parse(completed))
                .build();
    }

    @SuppressWarnings("unchecked")
    private static Usage usage(Map<String, Object> m) {
        Usage.Builder b = Usage.builder()
                .estimated(Boolean.TRUE.equals(m.get("estimated")))
                .inputTokens(lng(m, "input_tokens"))
                .cachedInputTokens(lng(m, "cached_input_tokens"))
                .outputTokens(lng(m, "output_tokens"))
                .reasoningTokens(lng(m, "reasoning_tokens"))
                .characters(lng(m, "characters"))
                .images(lng(m, "images"))
                .mediaSeconds(m.get("media_seconds") == null ? BigDecimal.ZERO : dec(m, "media_seconds"));
        Object detail = m.get("usage_detail");
        if (detail instanceof Map<?, ?> d) {
            applyDetail(b, (Map<String, Object>) d);
        }
        return b.build();
    }

    /** Parses a {@code usage_detail} column value into the builder. */
    public static Usage.Builder applyDetail(Usage.Builder b, String json) {
        if (json == null || json.isEmpty()) {
            return b;
        }
        try (JsonParser p = FACTORY.createParser(json)) {
            return applyDetail(b, readObject(p));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A {@code usage_detail} value parsed, for {@link #applyDetail(Usage.Builder, Map)}. */
    static Map<String, Object> detail(String json) {
        try (JsonParser p = FACTORY.createParser(json)) {
            return readObject(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    static Usage.Builder applyDetail(Usage.Builder b, Map<String, Object> d) {
        b.inputAudioTokens(lng(d, "input_audio_tokens"))
                .inputImageTokens(lng(d, "input_image_tokens"))
                .outputAudioTokens(lng(d, "output_audio_tokens"))
                .outputImageTokens(lng(d, "output_image_tokens"));
        if (d.get("credits") != null) {
            b.credits(dec(d, "credits"));
        }
        Object attrs = d.get("attributes");
        if (attrs instanceof Map<?, ?> a) {
            ((Map<String, Object>) a).forEach((k, v) -> b.attribute(k, String.valueOf(v)));
        }
        return b;
    }

    // ---------------------------------------------------------------- helpers

    /** Reads one JSON object into maps, lists and exact numbers (BigDecimal for decimals). */
    public static Map<String, Object> readObject(JsonParser p) throws IOException {
        if (p.currentToken() == null) {
            p.nextToken();
        }
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw new IOException("expected a JSON object, found " + p.currentToken());
        }
        return readObjectBody(p);
    }

    private static Map<String, Object> readObjectBody(JsonParser p) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            p.nextToken();
            m.put(name, readValue(p));
        }
        return m;
    }

    private static Object readValue(JsonParser p) throws IOException {
        return switch (p.currentToken()) {
            case START_OBJECT -> readObjectBody(p);
            case START_ARRAY -> {
                java.util.List<Object> list = new java.util.ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    list.add(readValue(p));
                }
                yield list;
            }
            case VALUE_STRING -> p.getText();
            case VALUE_NUMBER_INT -> p.getLongValue();
            case VALUE_NUMBER_FLOAT -> p.getDecimalValue();
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            case VALUE_NULL -> null;
            default -> throw new IOException("unexpected token " + p.currentToken());
        };
    }

    @FunctionalInterface
    interface Writer {
        void write(JsonGenerator g) throws IOException;
    }

    static String write(Writer w) {
        java.io.StringWriter out = new java.io.StringWriter(128);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            w.write(g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static void nullable(JsonGenerator g, String name, String value) throws IOException {
        if (value == null) {
            g.writeNullField(name);
        } else {
            g.writeStringField(name, value);
        }
    }

    private static void decimal(JsonGenerator g, String name, BigDecimal value) throws IOException {
        decimal(g, name, value, true);
    }

    private static void decimal(JsonGenerator g, String name, BigDecimal value, boolean writeNull) throws IOException {
        if (value != null) {
            g.writeNumberField(name, value);
        } else if (writeNull) {
            g.writeNullField(name);
        }
    }

    private static void nonZero(JsonGenerator g, String name, long value) throws IOException {
        if (value != 0) {
            g.writeNumberField(name, value);
        }
    }

    private static String str(Map<String, Object> m, String k) {
        Object v = m.get(k);
        return v == null ? null : v.toString();
    }

    private static Number num(Map<String, Object> m, String k) {
        return (Number) m.get(k);
    }

    private static long lng(Map<String, Object> m, String k) {
        Number n = num(m, k);
        return n == null ? 0 : n.longValue();
    }

    private static BigDecimal dec(Map<String, Object> m, String k) {
        Object v = m.get(k);
        if (v == null) {
            return null;
        }
        return v instanceof BigDecimal b ? b : new BigDecimal(v.toString());
    }
}
