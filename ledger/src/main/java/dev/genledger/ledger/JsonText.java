package dev.genledger.ledger;

import dev.genledger.pricing.Usage;
import java.util.Map;

/**
 * Small JSON objects written straight into a StringBuilder, for the COPY encoder's hot path
 * (a JsonGenerator per row costs more than the rest of the row).
 */
final class JsonText {
    private JsonText() {}

    static void string(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
    }

    static void tags(StringBuilder b, Map<String, String> tags) {
        b.append('{');
        boolean first = true;
        for (Map.Entry<String, String> e : tags.entrySet()) {
            if (!first) {
                b.append(',');
            }
            first = false;
            string(b, e.getKey());
            b.append(':');
            string(b, e.getValue());
        }
        b.append('}');
    }

    /** The {@code usage_detail} object; same content as {@link LedgerJson#writeUsageDetail}. */
    static void usageDetail(StringBuilder b, Usage u) {
        b.append('{');
        int start = b.length();
        count(b, start, "input_audio_tokens", u.inputAudioTokens());
        count(b, start, "input_image_tokens", u.inputImageTokens());
        count(b, start, "output_audio_tokens", u.outputAudioTokens());
        count(b, start, "output_image_tokens", u.outputImageTokens());
        if (u.credits() != null) {
            sep(b, start);
            b.append("\"credits\":").append(u.credits().toPlainString());
        }
        if (!u.attributes().isEmpty()) {
            sep(b, start);
            b.append("\"attributes\":");
            tags(b, u.attributes());
        }
        b.append('}');
    }

    private static void count(StringBuilder b, int start, String name, long v) {
        if (v != 0) {
            sep(b, start);
            b.append('"').append(name).append("\":").append(v);
        }
    }

    private static void sep(StringBuilder b, int start) {
        if (b.length() > start) {
            b.append(',');
        }
    }
}
