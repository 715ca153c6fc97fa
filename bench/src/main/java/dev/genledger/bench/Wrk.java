package dev.genledger.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Runs wrk (Debian's package) and reads its summary. */
final class Wrk {
    /** Requests per second and latency percentiles in milliseconds. */
    record Result(double rps, double p50Ms, double p99Ms, long errors) {}

    private Wrk() {}

    /** Installs a tool with apt-get when it is missing (the benchmark machine is ours). */
    static void ensureInstalled(String command, String debianPackage) throws Exception {
        if (new ProcessBuilder("sh", "-c", "command -v " + command).start().waitFor() == 0) {
            return;
        }
        System.err.println("bench: installing " + debianPackage + " (apt-get)");
        int rc = new ProcessBuilder("sh", "-c", "DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "
                + debianPackage + " >/dev/null 2>&1").inheritIO().start().waitFor();
        if (rc != 0) {
            throw new IllegalStateException(command + " is missing and apt-get could not install " + debianPackage
                    + "; install it and run the benchmark again");
        }
    }

    static Result run(String url, Path script, int connections, int seconds) throws Exception {
        List<String> cmd = List.of("wrk", "-t2", "-c" + connections, "-d" + seconds + "s", "--latency",
                "-s", script.toString(), url);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException("wrk failed: " + out);
        }
        if (System.getenv("BENCH_WRK_RAW") != null) {
            System.err.println(String.join(" ", cmd) + "\n" + out);
        }
        double rps = number(out, "Requests/sec:\\s+([0-9.]+)");
        long errors = (long) (number(out, "Non-2xx or 3xx responses:\\s+(\\d+)") + socketErrors(out));
        return new Result(rps, latency(out, "50%"), latency(out, "99%"), errors);
    }

    /** A wrk script that POSTs the given body with the given headers. */
    static Path postScript(String body, String... headers) throws IOException {
        return postScript(0, body, headers);
    }

    /**
     * The same, each connection waiting {@code delayMs} before each request (wrk's {@code delay}
     * hook) when it is above 0: an offered load of about connections × 1000 / delayMs requests a
     * second instead of as many as the target can serve.
     */
    static Path postScript(int delayMs, String body, String... headers) throws IOException {
        StringBuilder lua = new StringBuilder("wrk.method = \"POST\"\n");
        if (delayMs > 0) {
            lua.append("function delay() return ").append(delayMs).append(" end\n");
        }
        lua.append("wrk.body = [[").append(body).append("]]\n");
        lua.append("wrk.headers[\"Content-Type\"] = \"application/json\"\n");
        for (int i = 0; i < headers.length; i += 2) {
            lua.append("wrk.headers[\"").append(headers[i]).append("\"] = \"").append(headers[i + 1]).append("\"\n");
        }
        Path f = Scratch.file("genledger-wrk", ".lua");
        Files.writeString(f, lua);
        return f;
    }

    private static double number(String out, String regex) {
        Matcher m = Pattern.compile(regex).matcher(out);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    private static double socketErrors(String out) {
        Matcher m = Pattern.compile("Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)").matcher(out);
        if (!m.find()) {
            return 0;
        }
        return Double.parseDouble(m.group(1)) + Double.parseDouble(m.group(2)) + Double.parseDouble(m.group(3))
                + Double.parseDouble(m.group(4));
    }

    /** A latency percentile line such as "     99%    4.56ms" in milliseconds. */
    private static double latency(String out, String percentile) {
        Matcher m = Pattern.compile("\\s" + Pattern.quote(percentile) + "\\s+([0-9.]+)(us|ms|s)").matcher(out);
        if (!m.find()) {
            return Double.NaN;
        }
        double v = Double.parseDouble(m.group(1));
        return switch (m.group(2)) {
            case "us" -> v / 1000;
            case "s" -> v * 1000;
            default -> v;
        };
    }
}
