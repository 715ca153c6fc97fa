package dev.genledger.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.genledger.bench.ExtractInputs.Input;
import dev.genledger.pricing.Usage;
import dev.genledger.proxy.gemini.GeminiAdapter;
import dev.genledger.proxy.openai.OpenAiAdapter;
import dev.genledger.proxy.provider.Ending;
import dev.genledger.proxy.provider.Exchange;
import dev.genledger.proxy.provider.HeaderView;
import dev.genledger.proxy.provider.Observation;
import dev.genledger.proxy.provider.ProviderAdapter;
import dev.genledger.proxy.provider.RequestInfo;
import dev.genledger.proxy.provider.RequestRewriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Usage extraction: how fast the adapters read usage out of a response, and how much they
 * allocate doing it, against a plain Jackson tree parse of the same bytes, in one run (issue 5).
 *
 * <p><b>What is measured.</b> The adapter path is what the proxy runs for every response:
 * {@link ProviderAdapter#begin}, the request body and {@link Exchange#rewriter()} as the proxy
 * calls them, {@link Exchange#responseHead}, then the body fed to {@link Exchange#responseBody} in
 * 16 KiB read-only views of a direct buffer (as the proxy passes {@code ByteBuf.nioBuffers()}),
 * {@link Exchange#responseEnd} and {@link Exchange#finish}. The reference is
 * {@link ObjectMapper#readTree} of the whole JSON body, and for a stream of each event's
 * {@code data:} payload after splitting the events, then reading the usage from the trees. Both
 * must produce the same input and output tokens, and the tokens the body was built with; a
 * disagreement stops the run. The tree parser's only change from Jackson's defaults is a string
 * length limit large enough for the 20 MB base64 string (the default stops at 20,000,000 chars).
 *
 * <p><b>Inputs</b> ({@link ExtractInputs}), built in memory and shaped like the fixtures: a
 * gpt-image-1 response with four ~5 MB {@code b64_json} images and the usage at the end, a Gemini
 * image response with one ~20 MB {@code inlineData}, an OpenAI chat-completions stream of ~20 MB
 * (tens of thousands of one-token chunks, usage chunk last) and a Gemini {@code alt=sse} stream of
 * ~20 MB with cumulative usage in every event. Large bodies and long streams are where a gateway
 * that buffered or tree-parsed would cost memory and latency.
 *
 * <p><b>How.</b> Each path runs {@code --warmup} times on every input, then {@code --runs} times;
 * the best time and the smallest allocation (ThreadMXBean allocated bytes of the running thread)
 * of each path on each input are kept. MB is 1,000,000 bytes. The combined throughput (X and Y
 * of the last line) is all inputs' bytes over the sum of their best times: the rate at which one
 * thread would get through the four bodies back to back. The ratio is X / Y.
 *
 * <p>Run: {@code bench/run extract [--mb 20] [--warmup 5] [--runs 7] [--only TEXT]}; {@code --only}
 * keeps the inputs whose name contains TEXT (for profiling one of them).
 */
final class ExtractBench implements Bench {
    private static final int CHUNK = 16 * 1024;
    private static final ObjectMapper TREE = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(Integer.MAX_VALUE).build())
            .build());

    private final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private final Map<String, ProviderAdapter> adapters = new LinkedHashMap<>();

    ExtractBench() {
        adapters.put("openai", new OpenAiAdapter(true));
        adapters.put("gemini", new GeminiAdapter());
    }

    @Override
    public String name() {
        return "extract";
    }

    @Override
    public String description() {
        return "usage extraction MB/s and allocation: adapters fed 16 KiB chunks vs Jackson readTree of the same bytes";
    }

    /** The best of the measured runs of one path on one input. */
    private record Best(double seconds, long allocatedBytes) {}

    @Override
    public void run(Args args) throws Exception {
        int bytes = args.getInt("mb", 20) * 1_000_000;
        int warmup = args.getInt("warmup", 5);
        int runs = args.getInt("runs", 7);
        String only = args.get("only", "");
        List<Input> inputs = java.util.stream.Stream.of(ExtractInputs.openAiImages(bytes, 1),
                        ExtractInputs.geminiImage(bytes, 2), ExtractInputs.openAiChatStream(bytes, 3),
                        ExtractInputs.geminiStream(bytes, 4))
                .filter(in -> only.isEmpty() || in.name().contains(only))
                .toList();

        Table table = new Table("input", "MB", "path", "best ms", "MB/s", "alloc B per input B", "usage in/out");
        long totalBytes = 0;
        double extractSeconds = 0;
        double treeSeconds = 0;
        long extractAlloc = 0;
        long treeAlloc = 0;
        for (Input in : inputs) {
            ByteBuffer direct = ByteBuffer.allocateDirect(in.body().length).put(in.body()).flip();
            for (int i = 0; i < warmup; i++) {
                check(in, extract(in, direct), "extractor");
                check(in, tree(in), "tree");
            }
            Best e = measure(in, () -> extract(in, direct), "extractor", runs);
            Best t = measure(in, () -> tree(in), "tree", runs);
            double mb = in.body().length / 1e6;
            String usage = in.inputTokens() + " / " + in.outputTokens();
            table.row(in.name(), Table.fmt(mb), "extractor (16 KiB chunks)", Table.fmt(e.seconds() * 1e3),
                    Table.fmt(mb / e.seconds()), perByte(e.allocatedBytes(), in.body().length), usage);
            table.row("", "", "Jackson readTree (reference)", Table.fmt(t.seconds() * 1e3),
                    Table.fmt(mb / t.seconds()), perByte(t.allocatedBytes(), in.body().length), usage);
            totalBytes += in.body().length;
            extractSeconds += e.seconds();
            treeSeconds += t.seconds();
            extractAlloc += e.allocatedBytes();
            treeAlloc += t.allocatedBytes();
        }
        double x = totalBytes / 1e6 / extractSeconds;
        double y = totalBytes / 1e6 / treeSeconds;
        table.row("all four, back to back", Table.fmt(totalBytes / 1e6), "extractor", Table.fmt(extractSeconds * 1e3),
                Table.fmt(x), perByte(extractAlloc, totalBytes), "");
        table.row("", "", "Jackson readTree", Table.fmt(treeSeconds * 1e3), Table.fmt(y), perByte(treeAlloc, totalBytes), "");
        table.print();
        System.out.printf("allocated bytes per input byte: extractor %s, tree %s (tree / extractor = %.1f)%n",
                perByte(extractAlloc, totalBytes), perByte(treeAlloc, totalBytes), (double) treeAlloc / extractAlloc);
        System.out.printf("extract: extractor_mb_per_s=%.1f tree_mb_per_s=%.1f ratio=%.2f%n", x, y, x / y);
    }

    private Best measure(Input in, Supplier<long[]> path, String name, int runs) {
        double best = Double.MAX_VALUE;
        long leastAllocated = Long.MAX_VALUE;
        long thread = Thread.currentThread().threadId();
        for (int i = 0; i < runs; i++) {
            long a0 = threads.getThreadAllocatedBytes(thread);
            long t0 = System.nanoTime();
            long[] usage = path.get();
            long t1 = System.nanoTime();
            long a1 = threads.getThreadAllocatedBytes(thread);
            check(in, usage, name);
            best = Math.min(best, (t1 - t0) / 1e9);
            leastAllocated = Math.min(leastAllocated, a1 - a0);
        }
        return new Best(best, leastAllocated);
    }

    /** The proxy's path: input and output tokens as the adapter observed them. */
    private long[] extract(Input in, ByteBuffer direct) {
        int q = in.path().indexOf('?');
        String path = q < 0 ? in.path() : in.path().substring(0, q);
        Map<String, List<String>> query = new LinkedHashMap<>();
        if (q >= 0) {
            for (String pair : in.path().substring(q + 1).split("&")) {
                int eq = pair.indexOf('=');
                query.put(pair.substring(0, eq), List.of(pair.substring(eq + 1)));
            }
        }
        Exchange ex = adapters.get(in.provider()).begin(new RequestInfo(in.method(), path, query,
                header("content-type", in.requestContentType()), in.request().length));
        RequestRewriter rewriter = ex.rewriter();
        ex.requestBody(ByteBuffer.wrap(in.request()).asReadOnlyBuffer());
        ex.requestEnd();
        if (rewriter != null) {
            rewriter.rewrite(in.request()); // the client asked for usage: nothing to rewrite
        }
        ex.responseHead(200, header("content-type", in.responseContentType()));
        int n = direct.limit();
        for (int off = 0; off < n; off += CHUNK) {
            ex.responseBody(direct.slice(off, Math.min(CHUNK, n - off)).asReadOnlyBuffer());
        }
        ex.responseEnd();
        Observation o = ex.finish(Ending.COMPLETE);
        Usage u = o.usage();
        return new long[] {u.inputTokens(), u.outputTokens()};
    }

    /** The reference: a tree per JSON document, usage read from the trees (the last one in a stream). */
    private static long[] tree(Input in) {
        byte[] b = in.body();
        try {
            if (!in.sse()) {
                return usage(in.provider(), TREE.readTree(b));
            }
            long[] last = null;
            int at = 0;
            while (at < b.length) {
                int eol = at;
                while (eol < b.length && b[eol] != '\n') {
                    eol++;
                }
                int end = eol > at && b[eol - 1] == '\r' ? eol - 1 : eol;
                if (end - at > 5 && b[at] == 'd' && b[at + 1] == 'a' && b[at + 2] == 't' && b[at + 3] == 'a' && b[at + 4] == ':') {
                    int start = b[at + 5] == ' ' ? at + 6 : at + 5;
                    if (!(end - start == 6 && b[start] == '[' && b[start + 1] == 'D')) { // data: [DONE]
                        long[] u = usage(in.provider(), TREE.readTree(b, start, end - start));
                        last = u != null ? u : last;
                    }
                }
                at = eol + 1;
            }
            return last;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Input and output tokens of one parsed document, or null when it carries no usage. */
    private static long[] usage(String provider, JsonNode doc) {
        if (provider.equals("openai")) {
            JsonNode u = doc.get("usage");
            if (u == null || !u.isObject()) {
                return null;
            }
            return u.has("input_tokens") ? new long[] {u.get("input_tokens").asLong(), u.get("output_tokens").asLong()}
                    : new long[] {u.get("prompt_tokens").asLong(), u.get("completion_tokens").asLong()};
        }
        JsonNode u = doc.get("usageMetadata");
        if (u == null) {
            return null;
        }
        return new long[] {u.path("promptTokenCount").asLong() + u.path("toolUsePromptTokenCount").asLong(),
                u.path("candidatesTokenCount").asLong() + u.path("thoughtsTokenCount").asLong()};
    }

    private static void check(Input in, long[] usage, String path) {
        if (usage == null || usage[0] != in.inputTokens() || usage[1] != in.outputTokens()) {
            throw new IllegalStateException("extract: the " + path + " read usage " + (usage == null ? "none"
                    : usage[0] + "/" + usage[1]) + " from " + in.name() + " (expected: " + in.inputTokens() + "/"
                    + in.outputTokens() + ")");
        }
    }

    private static HeaderView header(String name, String value) {
        return h -> h.equalsIgnoreCase(name) ? value : null;
    }

    private static String perByte(long allocated, long inputBytes) {
        return String.format("%.4f", (double) allocated / inputBytes);
    }
}
