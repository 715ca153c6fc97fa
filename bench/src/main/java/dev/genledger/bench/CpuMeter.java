package dev.genledger.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Where the two cores' time goes during a run, from the kernel's own accounting ({@code /proc}):
 * CPU time (user and system) of this JVM's threads grouped by name, of the processes of nginx and
 * of PostgreSQL, of the children this JVM has reaped (wrk), and of the whole machine. Divided by
 * a run's requests, it gives microseconds of CPU per request for each part, which is what bounds
 * req/s when every core is busy. Linux only; elsewhere every figure is zero.
 */
final class CpuMeter {
    /** The parts, in the order they are printed. */
    static final List<String> PARTS = List.of("proxy loops", "fake upstream", "wrk", "nginx", "postgres",
            "ledger threads", "jvm other", "rest of machine", "idle");

    private static final Path PROC = Path.of("/proc");
    /** Clock ticks per second of /proc's counters (USER_HZ; 100 on every Linux that matters). */
    private static final double TICKS_PER_SECOND = 100;

    private final Optional<ProcessHandle> nginx;
    private final Path postgresDir;

    /**
     * @param nginx the nginx master (its workers are its children)
     * @param postgresDir a directory holding the embedded PostgreSQL's data directory
     */
    CpuMeter(ProcessHandle nginx, Path postgresDir) {
        this.nginx = Optional.ofNullable(nginx);
        this.postgresDir = postgresDir;
    }

    /** CPU seconds per part since boot (a snapshot; subtract two with {@link #minus}). */
    Map<String, Double> snapshot() {
        Map<String, Double> s = new LinkedHashMap<>();
        PARTS.forEach(p -> s.put(p, 0.0));
        if (!Files.isDirectory(PROC.resolve("self/task"))) {
            return s;
        }
        try (Stream<Path> tasks = Files.list(PROC.resolve("self/task"))) {
            for (Path t : (Iterable<Path>) tasks::iterator) {
                String[] f = stat(t.resolve("stat"));
                if (f != null) {
                    s.merge(threadPart(f[1]), seconds(f, 13) + seconds(f, 14), Double::sum);
                }
            }
        } catch (IOException e) {
            // a thread that ended while listed: its time is lost to this snapshot only
        }
        String[] self = stat(PROC.resolve("self/stat"));
        if (self != null) {
            s.put("wrk", seconds(self, 15) + seconds(self, 16)); // reaped children's user and system time
        }
        s.put("nginx", nginx.map(CpuMeter::treeSeconds).orElse(0.0));
        s.put("postgres", postmaster().map(CpuMeter::treeSeconds).orElse(0.0));
        String[] cpu = machine();
        if (cpu != null) {
            double busy = 0;
            for (int i = 1; i <= 8; i++) {
                busy += i == 4 || i == 5 ? 0 : Double.parseDouble(cpu[i]) / TICKS_PER_SECOND;
            }
            double counted = s.values().stream().mapToDouble(Double::doubleValue).sum();
            s.put("rest of machine", busy - counted);
            s.put("idle", (Double.parseDouble(cpu[4]) + Double.parseDouble(cpu[5])) / TICKS_PER_SECOND);
        }
        return s;
    }

    static Map<String, Double> minus(Map<String, Double> after, Map<String, Double> before) {
        Map<String, Double> d = new LinkedHashMap<>();
        after.forEach((k, v) -> d.put(k, v - before.getOrDefault(k, 0.0)));
        return d;
    }

    static Map<String, Double> plus(Map<String, Double> a, Map<String, Double> b) {
        Map<String, Double> d = new LinkedHashMap<>(a);
        b.forEach((k, v) -> d.merge(k, v, Double::sum));
        return d;
    }

    private static String threadPart(String comm) {
        // thread names as the kernel keeps them: the first 15 characters
        if (comm.startsWith("genledger-proxy")) {
            return "proxy loops";
        }
        if (comm.startsWith("fake-upstream")) {
            return "fake upstream";
        }
        if (comm.startsWith("genledger-ledge")) {
            return "ledger threads";
        }
        return "jvm other";
    }

    /** The embedded PostgreSQL's postmaster, from the first line of its postmaster.pid. */
    private Optional<ProcessHandle> postmaster() {
        if (postgresDir == null) {
            return Optional.empty();
        }
        try (Stream<Path> files = Files.find(postgresDir, 3, (p, a) -> p.endsWith("postmaster.pid"))) {
            Optional<Path> pidFile = files.findFirst();
            if (pidFile.isEmpty()) {
                return Optional.empty();
            }
            long pid = Long.parseLong(Files.readAllLines(pidFile.get()).get(0).strip());
            return ProcessHandle.of(pid);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** CPU seconds of a process and its descendants that are alive (ended ones are not counted). */
    private static double treeSeconds(ProcessHandle root) {
        double total = processSeconds(root.pid());
        for (ProcessHandle h : (Iterable<ProcessHandle>) root.descendants()::iterator) {
            total += processSeconds(h.pid());
        }
        return total;
    }

    private static double processSeconds(long pid) {
        String[] f = stat(PROC.resolve(pid + "/stat"));
        return f == null ? 0 : seconds(f, 13) + seconds(f, 14);
    }

    private static double seconds(String[] statFields, int index) {
        return Double.parseDouble(statFields[index]) / TICKS_PER_SECOND;
    }

    /**
     * The fields of a {@code stat} file, numbered as in proc(5) from 0; the command name (field 1)
     * is in parentheses and may hold spaces, so it is cut out first.
     */
    private static String[] stat(Path file) {
        try {
            String line = Files.readString(file);
            int open = line.indexOf('(');
            int close = line.lastIndexOf(')');
            String[] rest = line.substring(close + 2).strip().split(" ");
            String[] f = new String[rest.length + 2];
            f[0] = line.substring(0, open).strip();
            f[1] = line.substring(open + 1, close);
            System.arraycopy(rest, 0, f, 2, rest.length);
            return f;
        } catch (IOException | RuntimeException e) {
            return null; // the process or thread has ended
        }
    }

    /** The {@code cpu} line of /proc/stat: user nice system idle iowait irq softirq steal, in ticks. */
    private static String[] machine() {
        try {
            String first = Files.readAllLines(PROC.resolve("stat")).get(0);
            return first.trim().split("\\s+");
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
