package dev.genledger.api;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.util.TokenBuffer;
import dev.genledger.ledger.Generation;
import dev.genledger.ledger.LedgerJson;
import dev.genledger.ledger.Modality;
import java.io.IOException;
import java.io.StringWriter;
import java.io.Writer;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A generation as one CSV line (RFC 4180) with exactly the keys of its JSON, in the same order:
 * each row is written through {@link LedgerJson#writeFields} into a token buffer and its top-level
 * fields become the columns, so JSON and CSV cannot drift apart. Objects ({@code tags},
 * {@code usage_detail}) are one column holding their JSON; null is an empty field.
 */
final class CsvExport {
    private CsvExport() {}

    /** The header line, from the keys of a generation's JSON. */
    static final String HEADER = header();

    private static String header() {
        Generation sample = Generation.builder().id(UUID.randomUUID()).startedAt(Instant.EPOCH).provider("p")
                .operation("o").modality(Modality.TEXT).build();
        List<String> keys = new ArrayList<>();
        try (JsonParser p = tokens(sample).asParser()) {
            p.nextToken();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                keys.add(p.currentName());
                p.nextToken();
                p.skipChildren();
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return String.join(",", keys) + "\r\n";
    }

    static void writeRow(Writer out, Generation g) throws IOException {
        try (JsonParser p = tokens(g).asParser()) {
            p.nextToken();
            boolean first = true;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                JsonToken t = p.nextToken();
                if (!first) {
                    out.write(',');
                }
                first = false;
                String cell = switch (t) {
                    case VALUE_NULL -> "";
                    case START_OBJECT, START_ARRAY -> nested(p);
                    case VALUE_NUMBER_FLOAT -> p.getNumberType() == JsonParser.NumberType.BIG_DECIMAL
                            ? p.getDecimalValue().toPlainString()
                            : BigDecimal.valueOf(p.getDoubleValue()).toPlainString();
                    default -> p.getText();
                };
                out.write(escape(cell));
            }
        }
        out.write("\r\n");
    }

    private static TokenBuffer tokens(Generation g) throws IOException {
        TokenBuffer b = new TokenBuffer(Json.MAPPER, false);
        b.writeStartObject();
        LedgerJson.writeFields(b, g);
        b.writeEndObject();
        return b;
    }

    private static String nested(JsonParser p) throws IOException {
        StringWriter s = new StringWriter(64);
        try (JsonGenerator g = LedgerJson.FACTORY.createGenerator(s)) {
            g.copyCurrentStructure(p);
        }
        return s.toString();
    }

    static String escape(String v) {
        boolean quote = false;
        for (int i = 0; i < v.length() && !quote; i++) {
            char c = v.charAt(i);
            quote = c == ',' || c == '"' || c == '\n' || c == '\r';
        }
        return quote ? '"' + v.replace("\"", "\"\"") + '"' : v;
    }
}
