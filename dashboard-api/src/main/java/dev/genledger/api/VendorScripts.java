package dev.genledger.api;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Serves ECharts from its webjar at {@code /vendor/echarts/echarts.min.js} (and {@code echarts.js}).
 * A route rather than a static-files mount: the webjar has no directory entry for {@code dist/},
 * which Javalin's class-path static handler requires. Only these names are served.
 */
final class VendorScripts {
    static final Set<String> FILES = Set.of("echarts.min.js", "echarts.js");

    private final String base;
    private final Map<String, byte[]> cache = new ConcurrentHashMap<>();

    private VendorScripts(String base) {
        this.base = base;
    }

    /** Null when the webjar is not on the class path. */
    static VendorScripts echarts() {
        try (InputStream in = VendorScripts.class.getResourceAsStream(
                "/META-INF/maven/org.webjars.npm/echarts/pom.properties")) {
            if (in == null) {
                return null;
            }
            Properties p = new Properties();
            p.load(in);
            return new VendorScripts("/META-INF/resources/webjars/echarts/" + p.getProperty("version") + "/dist/");
        } catch (IOException e) {
            return null;
        }
    }

    void serve(Context ctx) {
        String file = ctx.pathParam("file");
        byte[] bytes = FILES.contains(file) ? cache.computeIfAbsent(file, this::read) : null;
        if (bytes == null) {
            ctx.status(404).contentType("text/plain").result("no such file: /vendor/echarts/" + file);
            return;
        }
        ctx.header("Cache-Control", "public, max-age=86400");
        ctx.contentType("text/javascript; charset=utf-8").result(bytes);
    }

    private byte[] read(String file) {
        try (InputStream in = VendorScripts.class.getResourceAsStream(base + file)) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
