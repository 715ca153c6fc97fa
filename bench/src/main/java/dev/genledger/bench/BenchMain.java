package dev.genledger.bench;

import dev.genledger.proxy.NettyDefaults;
import java.util.List;

/** Entry point of {@code bench/run}: runs one benchmark by name. */
public final class BenchMain {
    private BenchMain() {}

    static List<Bench> all() {
        return List.of(new LedgerBench(), new ProxyBench(), new ExtractBench(), new DashboardBench());
    }

    public static void main(String[] argv) throws Exception {
        NettyDefaults.apply(); // as the gateway runs
        if (argv[0].equals("--list")) {
            for (Bench b : all()) {
                System.out.printf("%-10s %s%n", b.name(), b.description());
            }
            return;
        }
        for (Bench b : all()) {
            if (b.name().equals(argv[0])) {
                String[] rest = java.util.Arrays.copyOfRange(argv, 1, argv.length);
                System.out.printf("# %s — %s%n", b.name(), b.description());
                System.out.printf("# machine: %d cores, %s, Java %s%n", Runtime.getRuntime().availableProcessors(),
                        System.getProperty("os.name") + " " + System.getProperty("os.arch"),
                        System.getProperty("java.version"));
                b.run(new Args(rest));
                System.exit(0);
            }
        }
        System.err.println("bench: no benchmark named " + argv[0] + "; bench/run --list shows them");
        System.exit(2);
    }
}
