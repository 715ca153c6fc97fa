package dev.genledger.pricing;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads catalog files: the bundled resource, and an override file in GenLedger's format (YAML or
 * JSON) or LiteLLM's, told apart by their content. Numbers are read as exact decimals, never
 * through a double. Every problem becomes one {@link IllegalArgumentException} naming the file,
 * the entry and what is wrong.
 */
final class CatalogFiles {
    private static final Logger log = LoggerFactory.getLogger(CatalogFiles.class);

    static final String BUNDLED_RESOURCE = "/dev/genledger/pricing/catalog.yaml";
    static final String BUNDLED = "bundled";

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();
    private static final ObjectMapper YAML = YAMLMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();

    private CatalogFiles() {}

    /** The catalog shipped in this jar. */
    static CatalogContent bundled() {
        try (InputStream in = CatalogFiles.class.getResourceAsStream(BUNDLED_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the bundled price catalog " + BUNDLED_RESOURCE + " is missing from the jar");
            }
            String text = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            return GenLedgerFormat.read(parse(text, "bundled catalog " + BUNDLED_RESOURCE), "bundled catalog", BUNDLED);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the bundled price catalog " + BUNDLED_RESOURCE, e);
        }
    }

    /** An override file in either format. */
    static CatalogContent override(Path file) {
        String name = file.toString();
        String text;
        LocalDate modified;
        try {
            text = Files.readString(file);
            modified = LocalDate.ofInstant(Files.getLastModifiedTime(file).toInstant(), ZoneOffset.UTC);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("pricing file " + name + " does not exist; fix the path "
                    + "(GENLEDGER_PRICING_FILE) or unset it to use the bundled prices only");
        } catch (IOException e) {
            throw new IllegalArgumentException("pricing file " + name + " cannot be read (" + e + "); check its "
                    + "permissions and encoding (UTF-8 expected)");
        }
        JsonNode root = parse(text, name);
        if (GenLedgerFormat.matches(root)) {
            CatalogContent c = GenLedgerFormat.read(root, name, name);
            log.info("pricing: {}: GenLedger format, {} model prices and {} hardware prices", name,
                    c.entries().size(), c.hardware().size());
            return c;
        }
        if (LiteLlmFormat.matches(root)) {
            LiteLlmFormat.Result r = LiteLlmFormat.read(root, name, name, modified);
            log.info("pricing: {}: LiteLLM format, {} models mapped; {} entries skipped (other providers, "
                    + "Vertex AI, or prices GenLedger does not bill)", name, r.mapped(), r.skipped());
            return r.content();
        }
        throw new IllegalArgumentException("pricing file " + name + " is neither a GenLedger price file (expected a "
                + "top-level \"models:\" list) nor LiteLLM's model_prices_and_context_window.json (expected model "
                + "keys whose objects carry \"litellm_provider\"); see the PriceCatalog documentation for the format");
    }

    private static JsonNode parse(String text, String name) {
        String trimmed = text.stripLeading();
        boolean json = trimmed.startsWith("{") || trimmed.startsWith("[");
        try {
            JsonNode root = (json ? JSON : YAML).readTree(text);
            if (root == null || !root.isObject()) {
                throw new IllegalArgumentException("pricing file " + name + " is empty or not an object at the top "
                        + "level (expected: \"models:\" and \"hardware:\" lists, or a LiteLLM price object)");
            }
            return root;
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw new IllegalArgumentException("pricing file " + name + " is not valid " + (json ? "JSON" : "YAML")
                    + (at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr()) + ": "
                    + e.getOriginalMessage().lines().findFirst().orElse("") + "; fix the syntax");
        }
    }

    /** The error every reader throws: file, where in it, what is wrong. */
    static IllegalArgumentException bad(String file, String where, String problem) {
        return new IllegalArgumentException("pricing file " + file + ", " + where + ": " + problem);
    }

    /** A JSON/YAML number, or text holding one, as an exact decimal; null for anything else. */
    static BigDecimal decimal(JsonNode n) {
        if (n == null) {
            return null;
        }
        if (n.isNumber()) {
            return n.decimalValue();
        }
        if (n.isTextual()) {
            try {
                return new BigDecimal(n.asText().strip());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }
}
