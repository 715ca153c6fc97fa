package dev.genledger.api;

import static dev.genledger.api.HandLedger.count;
import static dev.genledger.api.HandLedger.isNull;
import static dev.genledger.api.HandLedger.usd;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.genledger.ledger.budget.BudgetSettings;
import dev.genledger.ledger.budget.BudgetTracker;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** /api/v1/spend over {@link HandLedger}: every key worked out by hand. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SpendApiTest {
    private ApiServer api;

    @BeforeAll
    void start(@TempDir Path dataDir) {
        api = new ApiServer(dataDir, HandLedger.NOW, ApiServer.Options.defaults(),
                s -> BudgetTracker.start(s.ds, BudgetSettings.monthly(new BigDecimal("10")).withClock(s.clock)));
        api.write(HandLedger.ROWS);
    }

    @AfterAll
    void stop() {
        api.close();
    }

    @Test
    void sevenDaysAnswersEveryKeyAsWorkedOutByHand() {
        JsonNode s = api.ok("/api/v1/spend?window=7d&tag_key=team");

        JsonNode w = s.get("window");
        assertThat(w.get("name").asText()).isEqualTo("7d");
        assertThat(w.get("from").asText()).isEqualTo("2026-11-13T12:34:56Z");
        assertThat(w.get("to").asText()).isEqualTo("2026-11-20T12:34:56Z");

        // 7d holds R12 R8 R6 R7 R4 R5 R1 R2 R3 R13 (R11 is one second early, R10 weeks early, R9 is a poll)
        count(s, "generations", 10);
        count(s, "unpriced_generations", 1); // R6; R13 is pending, not unpriced
        count(s, "pending_generations", 1);
        // 0.5 + 0.0001 + 0 + 0 + 0.00037 + 0.3 + 0.0075 + 0.015 + 0.0402 + 0 = 0.86317
        usd(s, "total_usd", "0.86317");
        // text + embedding: R12 0.5 + R8 0.0001 + R4 0.00037 + R1 0.0075 + R2 0.015 (+ R6, R7 at 0) = 0.52297
        usd(s, "llm_usd", "0.52297");
        // image + audio + video: R3 0.0402 + R5 0.3 (+ R13 pending) = 0.3402
        usd(s, "media_usd", "0.3402");
        // over priced generations only: 10 - 1 unpriced - 1 pending = 8 → 0.86317 / 8
        usd(s, "cost_per_generation_usd", "0.10789625");
        // 100 + 5000 + 300 + 0 + 400 + 0 + 1000 + 2000 + 50 + 0
        count(s, "input_tokens", 8850);
        // 100 + 0 + 50 + 0 + 100 + 0 + 500 + 1000 + 0 + 0
        count(s, "output_tokens", 1750);
        // 0.2 + 0.0001 + 0.00012 + 0.0025 + 0.005 + 0.0002
        usd(s, "input_cost_usd", "0.20792");
        // 0.3 + 0.00025 + 0.005 + 0.01
        usd(s, "output_cost_usd", "0.31525");

        // every UTC day the window touches, 11-13 (from 12:34:56) to 11-20 (until 12:34:56), zero-filled
        JsonNode daily = s.get("daily");
        assertThat(daily).hasSize(8);
        day(daily.get(0), "2026-11-13", "0.5", "0.5", "0", 1, "0.5");          // R12
        day(daily.get(1), "2026-11-14", "0", "0", "0", 0, null);
        day(daily.get(2), "2026-11-15", "0", "0", "0", 0, null);
        day(daily.get(3), "2026-11-16", "0.0001", "0.0001", "0", 1, "0.0001"); // R8
        day(daily.get(4), "2026-11-17", "0", "0", "0", 2, "0");                // R6 unpriced, R7 free: 0 / 1 priced
        // R4 0.00037 + R5 0.3; llm R4; media R5; 0.30037 / 2
        day(daily.get(5), "2026-11-18", "0.30037", "0.00037", "0.3", 2, "0.150185");
        // R1 0.0075 + R2 0.015 + R3 0.0402 + R13 pending; 0.0627 / 3 priced
        day(daily.get(6), "2026-11-19", "0.0627", "0.0225", "0.0402", 4, "0.0209");
        day(daily.get(7), "2026-11-20", "0", "0", "0", 0, null);

        // by model, most expensive first; equal cost → more generations → provider/model
        JsonNode m = s.get("by_model");
        assertThat(m).hasSize(7);
        model(m.get(0), "openai", "gpt-4o", "0.5225", 4, 3100, 1600);           // R1 R2 R7 R12
        model(m.get(1), "elevenlabs", "eleven_multilingual_v2", "0.3", 1, 0, 0); // R5
        model(m.get(2), "openai", "gpt-image-1", "0.0402", 1, 50, 0);           // R3
        model(m.get(3), "gemini", "gemini-2.5-flash", "0.00037", 1, 400, 100);  // R4
        model(m.get(4), "openai", "text-embedding-3-small", "0.0001", 1, 5000, 0); // R8
        model(m.get(5), "openai", "unknown-model", "0", 1, 300, 50);            // R6
        count(m.get(5), "unpriced_generations", 1);
        model(m.get(6), "replicate", "black-forest-labs/flux", "0", 1, 0, 0);   // R13

        JsonNode p = s.get("by_provider");
        assertThat(names(p, "provider")).containsExactly("openai", "elevenlabs", "gemini", "replicate");
        usd(p.get(0), "total_usd", "0.5628"); // 0.0075 + 0.015 + 0.0402 + 0 + 0 + 0.0001 + 0.5
        count(p.get(0), "generations", 7);
        usd(p.get(1), "total_usd", "0.3");
        usd(p.get(2), "total_usd", "0.00037");
        usd(p.get(3), "total_usd", "0");
        count(p.get(3), "generations", 1);

        JsonNode t = s.get("by_task");
        assertThat(names(t, "task")).containsExactly("headline", "audio_narration", "image_brief", "article_rewrite",
                "faq_schema", "embeddings", "summary", "video_teaser");
        usd(t.get(3), "total_usd", "0.0225"); // R1 0.0075 + R2 0.015 + R7 0
        count(t.get(3), "generations", 3);

        JsonNode k = s.get("by_key");
        assertThat(names(k, "key_id")).containsExactly("k1", "k2");
        usd(k.get(0), "total_usd", "0.8226");  // R12 0.5 + R8 0.0001 + R6 0 + R5 0.3 + R1 0.0075 + R2 0.015
        count(k.get(0), "generations", 6);
        usd(k.get(1), "total_usd", "0.04057"); // R7 0 + R4 0.00037 + R3 0.0402 + R13 0
        count(k.get(1), "generations", 4);

        // effective category and content product: R1 by header, R2 R3 by article A1, R4 by header;
        // the rest have none (A2 was first seen without any)
        JsonNode cat = s.get("by_category");
        assertThat(cat).hasSize(3);
        isNull(cat.get(0), "category");
        usd(cat.get(0), "total_usd", "0.8001"); // R12 0.5 + R8 0.0001 + R5 0.3 (+ R6 R7 R13 at 0)
        count(cat.get(0), "generations", 6);
        count(cat.get(0), "unpriced_generations", 1); // R6
        assertThat(cat.get(1).get("category").asText()).isEqualTo("politics");
        usd(cat.get(1), "total_usd", "0.0627");
        count(cat.get(1), "generations", 3);
        assertThat(cat.get(2).get("category").asText()).isEqualTo("sport");
        usd(cat.get(2), "total_usd", "0.00037");
        JsonNode products = s.get("by_content_product");
        assertThat(products).hasSize(3);
        isNull(products.get(0), "content_product");
        assertThat(products.get(1).get("content_product").asText()).isEqualTo("article");
        usd(products.get(1), "total_usd", "0.0627");
        assertThat(products.get(2).get("content_product").asText()).isEqualTo("newsletter");
        count(products.get(2), "generations", 1);

        // by team: growth R1 + R4, newsroom R2, untagged the other seven
        assertThat(s.get("tag_key").asText()).isEqualTo("team");
        JsonNode tags = s.get("by_tag");
        assertThat(tags).hasSize(3);
        isNull(tags.get(0), "value");
        usd(tags.get(0), "total_usd", "0.8403"); // 0.86317 - 0.015 - 0.00787
        count(tags.get(0), "generations", 7);
        assertThat(tags.get(1).get("value").asText()).isEqualTo("newsroom");
        usd(tags.get(1), "total_usd", "0.015");
        assertThat(tags.get(2).get("value").asText()).isEqualTo("growth");
        usd(tags.get(2), "total_usd", "0.00787"); // 0.0075 + 0.00037
        count(tags.get(2), "generations", 2);
    }

    @Test
    void budgetShowsMonthToDateUtilisationAndProjection() throws Exception {
        api.budget.refreshNow().get(); // as the refresh thread would, now that the rows are in
        JsonNode b = api.ok("/api/v1/spend").get("budget");
        // November so far: every priced row (all rows are in November):
        // 0.0125 + 1.00 + 0.5 + 0.0001 + 0.00037 + 0.3 + 0.0075 + 0.015 + 0.0402 = 1.87567
        usd(b, "monthly_usd", "10");
        usd(b, "month_to_date_usd", "1.87567");
        usd(b, "utilization", "0.187567");
        // 19 d 12:34:56 = 1,686,896 s of November's 2,592,000 s: 1.87567 × 2,592,000 / 1,686,896 = 2.8820607 → 6 places
        usd(b, "projected_month_usd", "2.882061");
        usd(b, "projected_utilization", "0.288206"); // 2.882061 / 10, to 6 places
        assertThat(b.get("month").asText()).isEqualTo("2026-11");
    }

    @Test
    void thirtyDaysIsTheDefaultAndIncludesTheEarlierRows() {
        JsonNode s = api.ok("/api/v1/spend");
        assertThat(s.get("window").get("name").asText()).isEqualTo("30d");
        assertThat(s.get("window").get("from").asText()).isEqualTo("2026-10-21T12:34:56Z");
        count(s, "generations", 12);      // the 7d rows + R10 + R11
        usd(s, "total_usd", "1.87567");  // 0.86317 + 0.0125 + 1.00
        assertThat(s.get("daily")).hasSize(31); // 10-21 … 11-20
        assertThat(s.get("by_tag")).isEmpty();   // no tag_key
        isNull(s, "tag_key");
    }

    @Test
    void aRowOneSecondBeforeTheWindowIsOutAndOneAtItsStartIsIn() {
        // from = R12's instant: R12 in, R11 (1 s before) out
        JsonNode in = api.ok("/api/v1/spend?from=2026-11-13T12:34:56Z&to=2026-11-13T12:34:57Z");
        count(in, "generations", 1);
        usd(in, "total_usd", "0.5");
        // to is exclusive: [R11, R12) holds R11 only
        JsonNode edge = api.ok("/api/v1/spend?from=2026-11-13T12:34:55Z&to=2026-11-13T12:34:56Z");
        count(edge, "generations", 1);
        usd(edge, "total_usd", "1.00");
    }

    @Test
    void dateBoundsCoverWholeDaysUnlikeTheRollingSevenDays() {
        // 2026-11-13 … 2026-11-19 as dates: [11-13 00:00, 11-20 00:00) holds R11 too, which 7d does not
        JsonNode s = api.ok("/api/v1/spend?from=2026-11-13&to=2026-11-19");
        assertThat(s.get("window").get("name").asText()).isEqualTo("custom");
        assertThat(s.get("window").get("to").asText()).isEqualTo("2026-11-20T00:00:00Z");
        count(s, "generations", 11);
        usd(s, "total_usd", "1.86317"); // 0.86317 + 1.00
        assertThat(s.get("daily")).hasSize(7);
    }

    @Test
    void everyFilterNarrowsEveryAggregate() {
        filtered("provider=gemini", "0.00037", 1);                       // R4
        filtered("provider=openai&provider=gemini", "0.56317", 8);       // 0.5628 + 0.00037
        filtered("model=gpt-4o", "0.5225", 4);                           // R1 R2 R7 R12
        filtered("task=article_rewrite", "0.0225", 3);                   // R1 R2 R7
        filtered("category=politics", "0.0627", 3);                      // R1 by header, R2 R3 by article A1
        filtered("content_product=newsletter", "0.00037", 1);            // R4
        filtered("article_id=A2", "0.30037", 3);                         // R4 R5 R7 (raw rows)
        filtered("key_id=k2", "0.04057", 4);                             // R3 R4 R7 R13
        filtered("tag=team:growth", "0.00787", 2);                       // R1 R4 (raw rows)
        filtered("tag=team:growth&provider=openai", "0.0075", 1);        // R1
        filtered("tag=team:nobody", "0", 0);

        // breakdowns and daily series follow the filter
        JsonNode s = api.ok("/api/v1/spend?window=7d&category=politics&tag_key=team");
        assertThat(names(s.get("by_model"), "model")).containsExactly("gpt-image-1", "gpt-4o");
        assertThat(s.get("daily").get(6).get("total_usd").decimalValue()).isEqualByComparingTo("0.0627");
        assertThat(names(s.get("by_category"), "category")).containsExactly("politics");
        assertThat(names(s.get("by_content_product"), "content_product")).containsExactly("article");
        JsonNode tags = s.get("by_tag"); // R1 growth, R2 newsroom, R3 untagged
        assertThat(tags).hasSize(3);
        isNull(tags.get(0), "value");
        usd(tags.get(0), "total_usd", "0.0402");
    }

    private void filtered(String query, String totalUsd, long generations) {
        JsonNode s = api.ok("/api/v1/spend?window=7d&" + query);
        assertThat(s.get("total_usd").decimalValue()).as(query).isEqualByComparingTo(totalUsd);
        assertThat(s.get("generations").asLong()).as(query).isEqualTo(generations);
        BigDecimal daily = BigDecimal.ZERO;
        for (JsonNode d : s.get("daily")) {
            daily = daily.add(d.get("total_usd").decimalValue());
        }
        assertThat(daily).as("daily sum for %s", query).isEqualByComparingTo(totalUsd);
        long byModel = 0;
        for (JsonNode m : s.get("by_model")) {
            byModel += m.get("generations").asLong();
        }
        assertThat(byModel).as("by_model generations for %s", query).isEqualTo(generations);
    }

    @Test
    void allCoversEveryRowFromTheFirstDay() {
        JsonNode s = api.ok("/api/v1/spend?window=all");
        count(s, "generations", 12);
        usd(s, "total_usd", "1.87567");
        assertThat(s.get("window").get("from").asText()).isEqualTo("2026-11-01T00:00:00Z");
        assertThat(s.get("window").get("to").asText()).isEqualTo("2026-11-21T00:00:00Z");
        assertThat(s.get("daily")).hasSize(20);
    }

    @Test
    void monthToDateStartsAtTheFirstOfTheMonth() {
        JsonNode s = api.ok("/api/v1/spend?window=mtd");
        assertThat(s.get("window").get("from").asText()).isEqualTo("2026-11-01T00:00:00Z");
        usd(s, "total_usd", "1.87567");
        assertThat(s.get("daily")).hasSize(20);
    }

    private static void day(JsonNode d, String day, String total, String llm, String media, long generations,
                            String perGeneration) {
        assertThat(d.get("day").asText()).isEqualTo(day);
        usd(d, "total_usd", total);
        usd(d, "llm_usd", llm);
        usd(d, "media_usd", media);
        count(d, "generations", generations);
        if (perGeneration == null) {
            isNull(d, "cost_per_generation_usd");
        } else {
            usd(d, "cost_per_generation_usd", perGeneration);
        }
    }

    private static void model(JsonNode m, String provider, String model, String total, long generations, long in,
                              long out) {
        assertThat(m.get("provider").asText()).isEqualTo(provider);
        assertThat(m.get("model").asText()).isEqualTo(model);
        usd(m, "total_usd", total);
        count(m, "generations", generations);
        count(m, "input_tokens", in);
        count(m, "output_tokens", out);
    }

    static List<String> names(JsonNode array, String field) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.get(field).isNull() ? null : n.get(field).asText()));
        return out;
    }
}
