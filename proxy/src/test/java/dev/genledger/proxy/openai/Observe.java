package dev.genledger.proxy.openai;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.genledger.proxy.provider.ExchangeHarness;
import dev.genledger.proxy.provider.Observation;
import java.nio.charset.StandardCharsets;

/** Runs one exchange every way the network could cut it and checks that the adapter always sees the same. */
final class Observe {
    static final int SEEDS = 50;

    private Observe() {}

    static ExchangeHarness openai(boolean injectStreamUsage) {
        return new ExchangeHarness(new OpenAiAdapter(injectStreamUsage));
    }

    static ExchangeHarness openai() {
        return openai(true);
    }

    /**
     * The observation of the exchange fed whole, after checking that it is the same fed 1 and 3
     * bytes at a time and cut at random boundaries with {@link #SEEDS} seeds (and that the client
     * received the same bytes every time).
     */
    static ExchangeHarness.Result everyWay(ExchangeHarness h) {
        ExchangeHarness.Result whole = h.run();
        for (int size : new int[] {1, 3}) {
            ExchangeHarness.Result r = h.run(size);
            assertThat(r.observation()).as("fed %d bytes at a time", size).isEqualTo(whole.observation());
            assertThat(r.clientText()).as("client bytes, pieces of %d", size).isEqualTo(whole.clientText());
        }
        for (long seed = 1; seed <= SEEDS; seed++) {
            ExchangeHarness.Result r = h.runRandom(seed);
            assertThat(r.observation()).as("random pieces, seed %d", seed).isEqualTo(whole.observation());
            assertThat(r.clientText()).as("client bytes, seed %d", seed).isEqualTo(whole.clientText());
        }
        return whole;
    }

    static Observation observation(ExchangeHarness h) {
        return everyWay(h).observation();
    }

    static byte[] fixture(String name) {
        return ExchangeHarness.resource("fixtures/openai/" + name);
    }

    static String text(String name) {
        return new String(fixture(name), StandardCharsets.UTF_8);
    }

    /** One SSE event of a JSON document, framed as the Responses API frames it: compact, after an {@code event:} line. */
    static String event(String type, String json) {
        try {
            return "event: " + type + "\ndata: " + new ObjectMapper().readTree(json).toString() + "\n\n";
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The first n events of an SSE text. */
    static String firstEvents(String sse, int n) {
        return new String(fixtureBytes(sse), StandardCharsets.ISO_8859_1).substring(0, afterEvent(fixtureBytes(sse), n));
    }

    private static byte[] fixtureBytes(String sse) {
        return sse.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Where the n-th SSE event (1-based) of a stream ends, blank line included. */
    static int afterEvent(byte[] sse, int n) {
        String s = new String(sse, StandardCharsets.ISO_8859_1);
        int at = 0;
        for (int i = 0; i < n; i++) {
            at = s.indexOf("\n\n", at) + 2;
        }
        return at;
    }
}
