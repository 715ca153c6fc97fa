package dev.genledger.api;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import dev.genledger.ledger.Generation;
import dev.genledger.ledger.LedgerJson;
import java.io.IOException;

/**
 * The API's JSON: records written with snake_case keys, money as plain decimals (never
 * {@code 1E-7}), nulls written out (a key of the contract is always present), and a generation in
 * the ledger's one JSON shape ({@link LedgerJson#writeFields}).
 */
final class Json {
    private Json() {}

    static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
            .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN).build())
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .registerModule(new SimpleModule("genledger").addSerializer(Generation.class, new GenerationSerializer()));

    static byte[] bytes(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }

    private static final class GenerationSerializer extends StdSerializer<Generation> {
        private static final long serialVersionUID = 1L;

        GenerationSerializer() {
            super(Generation.class);
        }

        @Override
        public void serialize(Generation value, JsonGenerator g, SerializerProvider provider) throws IOException {
            g.writeStartObject();
            LedgerJson.writeFields(g, value);
            g.writeEndObject();
        }
    }
}
