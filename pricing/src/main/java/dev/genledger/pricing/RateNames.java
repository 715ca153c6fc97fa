package dev.genledger.pricing;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The vocabulary of flattened rate names a catalog entry may carry, and the normalisation of the
 * usage attributes that select among them. Every rate is in US dollars.
 *
 * <pre>
 * input_per_1m_tokens … output_image_per_1m_tokens   per 1,000,000 tokens ({@link TokenKind})
 * long_context.above_input_tokens                      threshold (a token count, not money)
 * long_context.&lt;token rate&gt;                            rates when input tokens exceed the threshold
 * service_tier.&lt;tier&gt;.&lt;token rate&gt;                    rates for a service tier (flex, priority, batch)
 * per_image | per_image.&lt;size&gt; | per_image.&lt;quality&gt; | per_image.&lt;quality&gt;.&lt;size&gt;
 * per_1m_characters
 * per_second | per_second.&lt;resolution&gt; | per_minute | per_hour
 * </pre>
 */
final class RateNames {
    private RateNames() {}

    static final String LONG_CONTEXT = "long_context.";
    static final String LONG_CONTEXT_THRESHOLD = "long_context.above_input_tokens";
    static final String SERVICE_TIER = "service_tier.";
    static final String PER_IMAGE = "per_image";
    static final String PER_1M_CHARACTERS = "per_1m_characters";
    static final String PER_SECOND = "per_second";
    static final String PER_MINUTE = "per_minute";
    static final String PER_HOUR = "per_hour";

    /** Shown by {@code entries()} only: the configured ElevenLabs price of a credit. */
    static final String PER_CREDIT = "per_credit";

    private static final Pattern WORD = Pattern.compile("[a-z0-9][a-z0-9_]*");
    private static final Pattern SIZE = Pattern.compile("[0-9]+x[0-9]+");

    static final String VOCABULARY = "input_per_1m_tokens, cached_input_per_1m_tokens, input_audio_per_1m_tokens, "
            + "input_image_per_1m_tokens, output_per_1m_tokens, output_audio_per_1m_tokens, "
            + "output_image_per_1m_tokens, long_context.above_input_tokens, long_context.<token rate>, "
            + "service_tier.<tier>.<token rate>, per_image[.<quality>][.<size>], per_1m_characters, "
            + "per_second[.<resolution>], per_minute, per_hour";

    /** Null if the name is a valid rate name, else why not. */
    static String problem(String name) {
        if (TokenKind.byRate(name) != null || name.equals(PER_IMAGE) || name.equals(PER_1M_CHARACTERS)
                || name.equals(PER_SECOND) || name.equals(PER_MINUTE) || name.equals(PER_HOUR)
                || name.equals(LONG_CONTEXT_THRESHOLD)) {
            return null;
        }
        String[] parts = name.split("\\.", -1);
        boolean valid = switch (parts[0]) {
            case "long_context" -> parts.length == 2 && TokenKind.byRate(parts[1]) != null;
            case "service_tier" -> parts.length == 3 && WORD.matcher(parts[1]).matches()
                    && TokenKind.byRate(parts[2]) != null;
            case PER_IMAGE -> (parts.length == 2 && WORD.matcher(parts[1]).matches())
                    || (parts.length == 3 && WORD.matcher(parts[1]).matches() && !isSize(parts[1])
                        && isSize(parts[2]));
            case PER_SECOND -> parts.length == 2 && WORD.matcher(parts[1]).matches();
            default -> false;
        };
        return valid ? null : "unknown rate name \"" + name + "\" (expected one of: " + VOCABULARY + ")";
    }

    static boolean isSize(String s) {
        return SIZE.matcher(s).matches();
    }

    /** "1024X1792", "1024×1792", "1024-x-1792", " 1024 x 1792 " → "1024x1792"; null stays null. */
    static String size(String s) {
        if (s == null) {
            return null;
        }
        String t = s.strip().toLowerCase(Locale.ROOT).replace('×', 'x').replace("-x-", "x").replace(" ", "");
        return t.isEmpty() ? null : t;
    }

    /** Quality, resolution, tier and hardware values compare in lower case, trimmed. */
    static String word(String s) {
        if (s == null) {
            return null;
        }
        String t = s.strip().toLowerCase(Locale.ROOT);
        return t.isEmpty() ? null : t;
    }
}
