package dev.genledger.pricing;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads GenLedger's own catalog format (YAML or JSON; documented on {@link PriceCatalog}): a
 * {@code models} list of dated entries and a {@code hardware} list of Replicate SKU prices.
 */
final class GenLedgerFormat {
    private GenLedgerFormat() {}

    private static final Set<String> TOP_LEVEL = Set.of("models", "hardware");
    private static final Set<String> ENTRY_FIELDS = Set.of("provider", "model", "aliases", "effective_from", "source",
            "defaults", "hardware", "note");
    private static final Set<String> HARDWARE_FIELDS = Set.of("sku", "per_second", "effective_from", "source", "note");

    /** Whether a parsed file has the shape of this format. */
    static boolean matches(JsonNode root) {
        return root != null && root.isObject() && (root.path("models").isArray() || root.path("hardware").isArray());
    }

    /**
     * @param file   the file's name for messages
     * @param origin what {@link PriceEntry#origin()} reports for its entries
     * @throws IllegalArgumentException naming the file, the entry and what is wrong
     */
    static CatalogContent read(JsonNode root, String file, String origin) {
        for (Map.Entry<String, JsonNode> top : root.properties()) {
            if (!TOP_LEVEL.contains(top.getKey())) {
                throw CatalogFiles.bad(file, "top level", "key \"" + top.getKey()
                        + "\" is not expected (expected: \"models:\" and \"hardware:\", each a list)");
            }
            if (!top.getValue().isArray()) {
                throw CatalogFiles.bad(file, top.getKey(), "is " + top.getValue().getNodeType()
                        + " (expected: a list of entries, each starting with \"- \")");
            }
        }
        List<CatalogEntry> entries = new ArrayList<>();
        JsonNode models = root.path("models");
        for (int i = 0; i < models.size(); i++) {
            JsonNode node = models.get(i);
            String where = "models[" + i + "]" + label(node);
            try {
                entries.add(entry(node, origin));
            } catch (IllegalArgumentException e) {
                throw CatalogFiles.bad(file, where, e.getMessage());
            }
        }
        List<HardwarePrice> hardware = new ArrayList<>();
        JsonNode hw = root.path("hardware");
        for (int i = 0; i < hw.size(); i++) {
            JsonNode node = hw.get(i);
            String where = "hardware[" + i + "]" + (node.path("sku").isTextual() ? " (" + node.path("sku").asText() + ")" : "");
            try {
                hardware.add(hardware(node, origin));
            } catch (IllegalArgumentException e) {
                throw CatalogFiles.bad(file, where, e.getMessage());
            }
        }
        return new CatalogContent(entries, hardware);
    }

    private static String label(JsonNode node) {
        if (!node.isObject()) {
            return "";
        }
        return " (" + node.path("provider").asText("?") + "/" + node.path("model").asText("?") + " from "
                + node.path("effective_from").asText("?") + ")";
    }

    private static CatalogEntry entry(JsonNode node, String origin) {
        if (!node.isObject()) {
            throw new IllegalArgumentException("is " + node.getNodeType()
                    + " (expected: an object with provider, model, effective_from, source and rates)");
        }
        Map<String, BigDecimal> rates = new TreeMap<>();
        for (Map.Entry<String, JsonNode> f : node.properties()) {
            if (!ENTRY_FIELDS.contains(f.getKey())) {
                flatten(f.getKey(), f.getValue(), rates);
            }
        }
        Map<String, String> defaults = new TreeMap<>();
        JsonNode d = node.path("defaults");
        if (!d.isMissingNode() && !d.isObject()) {
            throw new IllegalArgumentException("defaults is " + d + " (expected: an object such as {size: 1024x1024})");
        }
        d.properties().forEach(e -> defaults.put(e.getKey(), e.getValue().isValueNode() ? e.getValue().asText() : null));
        return new CatalogEntry(text(node, "provider"), text(node, "model"), aliases(node.path("aliases")),
                date(node), text(node, "source"), defaults, text(node, "hardware"), new TreeMap<>(rates), origin);
    }

    private static HardwarePrice hardware(JsonNode node, String origin) {
        if (!node.isObject()) {
            throw new IllegalArgumentException("is " + node.getNodeType()
                    + " (expected: an object with sku, per_second, effective_from and source)");
        }
        for (Map.Entry<String, JsonNode> f : node.properties()) {
            if (!HARDWARE_FIELDS.contains(f.getKey())) {
                throw new IllegalArgumentException("field \"" + f.getKey()
                        + "\" is not expected (expected: sku, per_second, effective_from, source)");
            }
        }
        JsonNode perSecond = node.path("per_second");
        BigDecimal rate = perSecond.isMissingNode() ? null : price("per_second", perSecond);
        return new HardwarePrice(text(node, "sku"), rate, date(node), text(node, "source"), origin);
    }

    /** Nested rate objects flatten to dotted names: per_image: {hd: {1024x1024: 0.08}} → per_image.hd.1024x1024. */
    private static void flatten(String name, JsonNode value, Map<String, BigDecimal> out) {
        if (value.isObject()) {
            if (value.isEmpty()) {
                throw new IllegalArgumentException(name + " is empty (expected: rates inside it, or remove it)");
            }
            for (Map.Entry<String, JsonNode> e : value.properties()) {
                flatten(name + "." + e.getKey(), e.getValue(), out);
            }
            return;
        }
        String problem = RateNames.problem(name);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        out.put(name, price(name, value));
    }

    private static BigDecimal price(String name, JsonNode value) {
        BigDecimal d = CatalogFiles.decimal(value);
        if (d == null) {
            throw new IllegalArgumentException(name + " is " + value
                    + " (expected: a decimal number of US dollars, e.g. 2.50)");
        }
        return d;
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isValueNode()) {
            throw new IllegalArgumentException(field + " is " + v + " (expected: text)");
        }
        return v.asText();
    }

    private static List<String> aliases(JsonNode node) {
        if (node.isMissingNode() || node.isNull()) {
            return List.of();
        }
        if (node.isTextual()) {
            return List.of(node.asText());
        }
        if (!node.isArray()) {
            throw new IllegalArgumentException("aliases is " + node + " (expected: a list of model names)");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode a : node) {
            if (!a.isTextual()) {
                throw new IllegalArgumentException("aliases contains " + a + " (expected: model names as text)");
            }
            out.add(a.asText());
        }
        return out;
    }

    private static LocalDate date(JsonNode node) {
        String s = text(node, "effective_from");
        if (s == null) {
            return null;
        }
        try {
            return LocalDate.parse(s.strip());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("effective_from is \"" + s + "\" (expected: a date YYYY-MM-DD, e.g. 2026-07-24)");
        }
    }
}
