package dev.genledger.config;

import java.math.BigDecimal;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Parses and checks the text of one setting. Failures are {@link IllegalArgumentException}s whose
 * message completes the sentence "… is 'x' but …" with what is expected.
 */
@FunctionalInterface
public interface ValueType<T> {
    T parse(String raw);

    /** A short description of the allowed values, for the documentation table. */
    default String allowed() {
        return "";
    }

    static ValueType<Integer> intRange(int min, int max) {
        ValueType<Long> range = longRange(min, max);
        return new ValueType<>() {
            @Override
            public Integer parse(String raw) {
                return range.parse(raw).intValue();
            }

            @Override
            public String allowed() {
                return range.allowed();
            }
        };
    }

    static ValueType<Long> longRange(long min, long max) {
        return new ValueType<>() {
            @Override
            public Long parse(String raw) {
                long v;
                try {
                    v = Long.parseLong(raw.replace("_", ""));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("expected a whole number from " + min + " to " + max);
                }
                if (v < min || v > max) {
                    throw new IllegalArgumentException("expected a whole number from " + min + " to " + max);
                }
                return v;
            }

            @Override
            public String allowed() {
                return min + " to " + max;
            }
        };
    }

    static ValueType<Boolean> bool() {
        return new ValueType<>() {
            @Override
            public Boolean parse(String raw) {
                return switch (raw.toLowerCase(Locale.ROOT)) {
                    case "true" -> true;
                    case "false" -> false;
                    default -> throw new IllegalArgumentException("expected true or false");
                };
            }

            @Override
            public String allowed() {
                return "true, false";
            }
        };
    }

    static ValueType<String> text(int maxLength) {
        return new ValueType<>() {
            @Override
            public String parse(String raw) {
                if (raw.isEmpty() || raw.length() > maxLength) {
                    throw new IllegalArgumentException("expected 1 to " + maxLength + " characters");
                }
                return raw;
            }

            @Override
            public String allowed() {
                return "text";
            }
        };
    }

    /** A secret: checked like text, but never echoed back in an error message. */
    static ValueType<String> secret(int minLength) {
        return new ValueType<>() {
            @Override
            public String parse(String raw) {
                if (raw.length() < minLength) {
                    throw new IllegalArgumentException("expected at least " + minLength + " characters");
                }
                return raw;
            }

            @Override
            public String allowed() {
                return "at least " + minLength + " characters";
            }
        };
    }

    static ValueType<URI> httpUrl() {
        return new ValueType<>() {
            @Override
            public URI parse(String raw) {
                URI uri;
                try {
                    uri = new URI(raw);
                } catch (URISyntaxException e) {
                    throw new IllegalArgumentException("expected an http:// or https:// URL");
                }
                String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
                if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
                    throw new IllegalArgumentException("expected an http:// or https:// URL with a host");
                }
                if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
                    throw new IllegalArgumentException("expected a base URL without a query or fragment");
                }
                return uri;
            }

            @Override
            public String allowed() {
                return "http(s) URL";
            }
        };
    }

    static ValueType<String> jdbcPostgresUrl() {
        return new ValueType<>() {
            @Override
            public String parse(String raw) {
                if (!raw.startsWith("jdbc:postgresql://")) {
                    throw new IllegalArgumentException("expected a URL of the form jdbc:postgresql://HOST:PORT/DATABASE");
                }
                return raw;
            }

            @Override
            public String allowed() {
                return "jdbc:postgresql://…";
            }
        };
    }

    static ValueType<Path> path() {
        return new ValueType<>() {
            @Override
            public Path parse(String raw) {
                try {
                    return Path.of(raw);
                } catch (InvalidPathException e) {
                    throw new IllegalArgumentException("expected a file system path");
                }
            }

            @Override
            public String allowed() {
                return "path";
            }
        };
    }

    static ValueType<String> host() {
        return new ValueType<>() {
            @Override
            public String parse(String raw) {
                if (raw.isEmpty() || !raw.matches("[A-Za-z0-9.:\\-\\[\\]]+")) {
                    throw new IllegalArgumentException("expected an IP address or host name, e.g. 127.0.0.1 or 0.0.0.0");
                }
                return raw;
            }

            @Override
            public String allowed() {
                return "IP address or host";
            }
        };
    }

    static ValueType<BigDecimal> positiveDecimal() {
        return new ValueType<>() {
            @Override
            public BigDecimal parse(String raw) {
                BigDecimal v;
                try {
                    v = new BigDecimal(raw);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("expected a decimal number greater than 0");
                }
                if (v.signum() <= 0) {
                    throw new IllegalArgumentException("expected a decimal number greater than 0");
                }
                return v;
            }

            @Override
            public String allowed() {
                return "> 0";
            }
        };
    }

    /** Percentages checked like {@link #percentList()} but kept as the text given. */
    static ValueType<String> percentListText() {
        return new ValueType<>() {
            @Override
            public String parse(String raw) {
                percentList().parse(raw);
                return raw;
            }

            @Override
            public String allowed() {
                return percentList().allowed();
            }
        };
    }

    /** Comma-separated percentages, each in (0, 1000], strictly increasing. */
    static ValueType<List<BigDecimal>> percentList() {
        return new ValueType<>() {
            @Override
            public List<BigDecimal> parse(String raw) {
                List<BigDecimal> out = new ArrayList<>();
                for (String part : raw.replace("[", "").replace("]", "").split(",")) {
                    String p = part.strip().replace("%", "");
                    if (p.isEmpty()) {
                        continue;
                    }
                    BigDecimal v;
                    try {
                        v = new BigDecimal(p);
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("expected percentages such as 50,80,100");
                    }
                    if (v.signum() <= 0 || v.compareTo(BigDecimal.valueOf(1000)) > 0
                            || (!out.isEmpty() && v.compareTo(out.get(out.size() - 1)) <= 0)) {
                        throw new IllegalArgumentException(
                                "expected increasing percentages above 0 and at most 1000, such as 50,80,100");
                    }
                    out.add(v);
                }
                if (out.isEmpty()) {
                    throw new IllegalArgumentException("expected at least one percentage, such as 50,80,100");
                }
                return List.copyOf(out);
            }

            @Override
            public String allowed() {
                return "percentages, e.g. 50,80,100";
            }
        };
    }
}
