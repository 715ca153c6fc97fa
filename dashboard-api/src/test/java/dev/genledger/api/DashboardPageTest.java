package dev.genledger.api;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Download;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.Route;
import dev.genledger.ledger.budget.BudgetSettings;
import dev.genledger.ledger.budget.BudgetTracker;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The web dashboard in a real browser: Debian's headless Chromium, driven by Playwright for Java
 * (its bundled driver, no browser download), against a dashboard server on {@link HandLedger}'s
 * rows plus article titles and a $10 monthly budget. Every number on screen is checked against
 * the same API answer, formatted as the page formats it ({@link Shown}); a few are also written
 * out by hand. Screenshots of a 1366×768 laptop screen go to target/screenshots/.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DashboardPageTest {
    private static final Path SHOTS = Path.of("target", "screenshots");
    private static final String TOKEN = "s3cret-token";

    private ApiServer api;
    private ApiServer guarded;
    private Playwright playwright;
    private Browser browser;
    private BrowserContext context;
    private Page page;
    private final List<String> pageErrors = new ArrayList<>();
    private final List<String> elsewhere = new ArrayList<>();

    @BeforeAll
    void start(@TempDir Path dataDir, @TempDir Path guardedDir) throws Exception {
        Path chromium = Chromium.require();
        api = new ApiServer(dataDir, HandLedger.NOW, ApiServer.Options.defaults(),
                s -> BudgetTracker.start(s.ds, BudgetSettings.monthly(new BigDecimal("10")).withClock(s.clock)));
        api.write(HandLedger.ROWS);
        assertThat(api.put("/api/v1/articles/A1", """
                {"title":"Election night: the results","category":"politics","content_product":"article",
                 "url":"https://news.example/election-results","published_at":"2026-11-19T14:00:00Z"}""").status())
                .isEqualTo(200);
        assertThat(api.put("/api/v1/articles/A2", "{\"title\":\"Sport weekly newsletter\"}").status()).isEqualTo(200);
        api.budget.refreshNow().get();
        guarded = new ApiServer(guardedDir, HandLedger.NOW, ApiServer.Options.defaults().token(TOKEN), null);
        guarded.write(HandLedger.ROWS);

        Files.createDirectories(SHOTS);
        playwright = Playwright.create(new Playwright.CreateOptions()
                .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        // launch() gives the browser a fresh temporary profile (user-data dir), removed on close
        browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
                .setExecutablePath(chromium).setHeadless(true).setArgs(Chromium.ARGS));
    }

    @AfterAll
    void stop() {
        if (browser != null) {
            browser.close();
        }
        if (playwright != null) {
            playwright.close();
        }
        if (guarded != null) {
            guarded.close();
        }
        if (api != null) {
            api.close();
        }
    }

    @BeforeEach
    void newPage() {
        context = browser.newContext(new Browser.NewContextOptions().setViewportSize(1366, 768).setAcceptDownloads(true));
        context.setDefaultTimeout(10_000);
        page = context.newPage();
        pageErrors.clear();
        page.onPageError(pageErrors::add);
        // everything the page needs comes from the gateway: no CDN, works offline
        elsewhere.clear();
        context.onRequest(r -> {
            String url = r.url();
            if (!url.startsWith("http://127.0.0.1:") && !url.startsWith("data:") && !url.startsWith("blob:")) {
                elsewhere.add(url);
            }
        });
    }

    @AfterEach
    void closePage(TestInfo test) {
        context.close();
        assertThat(pageErrors).as("uncaught errors in the page during %s", test.getDisplayName()).isEmpty();
        assertThat(elsewhere).as("requests to other hosts during %s", test.getDisplayName()).isEmpty();
    }

    // ------------------------------------------------------------------ helpers

    private Page open(ApiServer server, String pathAndQuery) {
        page.navigate(server.url(pathAndQuery));
        return page;
    }

    private void ready(String tab) {
        assertThat(page.locator("#panel-" + tab)).hasAttribute("data-state", "ready");
    }

    private Locator kpi(String name) {
        return page.locator("[data-kpi=\"" + name + "\"] .kpi-value");
    }

    /** The laptop screen as seen, and the whole page below it. */
    private void screenshot(String name) {
        page.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve(name + ".png")));
        page.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve(name + "-full.png")).setFullPage(true));
    }

    /** The cell texts of a table's body rows. */
    private List<List<String>> rows(String tableId) {
        Locator rows = page.locator("#" + tableId + " tbody tr");
        List<List<String>> out = new ArrayList<>();
        for (int i = 0; i < rows.count(); i++) {
            out.add(rows.nth(i).locator("th, td").allInnerTexts().stream().map(String::strip).toList());
        }
        return out;
    }

    /** The data of one series of the ECharts chart in a card, as the page handed it to ECharts. */
    private List<Object> series(String card, int index) {
        Object data = page.evaluate("([card, i]) => echarts.getInstanceByDom(document.querySelector("
                + "`[data-card=\"${card}\"] .chart`)).getOption().series[i].data.map(d => d !== null && typeof d === 'object' ? d.value : d)",
                List.of(card, index));
        return new ArrayList<>((List<?>) data);
    }

    private static List<Double> numbers(JsonNode array, String field) {
        List<Double> out = new ArrayList<>();
        array.forEach(n -> out.add(n.get(field).doubleValue()));
        return out;
    }

    private static List<Double> doubles(List<Object> values) {
        return values.stream().map(v -> ((Number) v).doubleValue()).toList();
    }

    private String downloaded(Runnable click) throws IOException {
        Download d = page.waitForDownload(click);
        return Files.readString(d.path(), StandardCharsets.UTF_8);
    }

    private static String model(JsonNode r) {
        return r.get("provider").asText() + "/" + (r.get("model").isNull() ? "(no model)" : r.get("model").asText());
    }

    // ------------------------------------------------------------------ tests

    @Test
    void spendShowsTheApisNumbersWithBudgetAndUnpricedModels() {
        JsonNode s = api.ok("/api/v1/spend?window=7d");
        open(api, "/?tab=spend&window=7d");
        ready("spend");

        assertThat(kpi("total_usd")).hasText(Shown.usd(s.get("total_usd")));
        assertThat(kpi("llm_usd")).hasText(Shown.usd(s.get("llm_usd")));
        assertThat(kpi("media_usd")).hasText(Shown.usd(s.get("media_usd")));
        assertThat(kpi("generations")).hasText(Shown.count(s.get("generations")));
        assertThat(kpi("cost_per_generation_usd")).hasText(Shown.usd(s.get("cost_per_generation_usd")));
        // the same, worked out by hand (SpendApiTest): 0.86317, 0.52297, 0.3402, 10, 0.10789625
        assertThat(kpi("total_usd")).hasText("$0.863");
        assertThat(kpi("llm_usd")).hasText("$0.523");
        assertThat(kpi("media_usd")).hasText("$0.34");
        assertThat(kpi("generations")).hasText("10");
        assertThat(kpi("cost_per_generation_usd")).hasText("$0.108");

        // the models table: every row of by_model, in the API's order
        List<List<String>> expected = new ArrayList<>();
        for (JsonNode m : s.get("by_model")) {
            expected.add(List.of(model(m), Shown.usd(m.get("total_usd")), Shown.count(m.get("generations")),
                    Shown.count(m.get("unpriced_generations")), Shown.count(m.get("input_tokens")),
                    Shown.count(m.get("output_tokens"))));
        }
        assertThat(rows("spend-models")).isEqualTo(expected);
        assertThat(rows("spend-models").get(3)).containsExactly("gemini/gemini-2.5-flash", "$0.00037", "1", "0", "400",
                "100");

        // the charts carry the API's series: daily LLM and media, cost by provider
        assertThat(doubles(series("daily", 0))).isEqualTo(numbers(s.get("daily"), "llm_usd"));
        assertThat(doubles(series("daily", 1))).isEqualTo(numbers(s.get("daily"), "media_usd"));
        assertThat(doubles(series("by-provider", 0))).isEqualTo(numbers(s.get("by_provider"), "total_usd"));
        assertThat(rows("spend-providers").get(0)).containsExactly("openai", Shown.usd(s.get("by_provider").get(0)
                .get("total_usd")), Shown.count(s.get("by_provider").get(0).get("generations")));

        // budget: month to date and the month-end projection (independent of the window)
        JsonNode b = s.get("budget");
        assertThat(page.locator("[data-budget=month_to_date]"))
                .hasText(Shown.usd(b.get("month_to_date_usd")) + " of " + Shown.usd(b.get("monthly_usd")) + " ("
                        + Shown.percent(b.get("utilization")) + ")");
        assertThat(page.locator("[data-budget=month_to_date]")).hasText("$1.88 of $10.00 (18.8%)");
        assertThat(page.locator("[data-budget=projected]")).hasText(Shown.usd(b.get("projected_month_usd")) + " ("
                + Shown.percent(b.get("projected_utilization")) + " of budget)");
        assertThat(page.locator("[data-budget=projected]")).hasText("$2.88 (28.8% of budget)");
        assertThat(page.locator("[data-card=budget] canvas")).hasCount(1);

        // the unpriced warning: the count in view and the models from /api/v1/pricing
        Locator warning = page.locator("[data-warning=unpriced]");
        assertThat(warning).isVisible();
        assertThat(warning.locator(".unpriced-count")).hasText("1 unpriced generation in this view");
        JsonNode unpriced = api.ok("/api/v1/pricing").get("unpriced_models");
        assertThat(unpriced).isNotEmpty();
        for (JsonNode m : unpriced) {
            assertThat(warning).containsText(model(m));
        }
        assertThat(warning).containsText("openai/unknown-model");
        screenshot("spend");
    }

    @Test
    void theBudgetCardSaysWhenNoBudgetIsSet() {
        open(guarded, "/?tab=spend&window=7d");
        page.locator("#token-input").fill(TOKEN);
        page.locator("#token-dialog button[value=ok]").click();
        ready("spend");
        assertThat(page.locator("[data-budget=none]")).containsText("No budget set");
    }

    @Test
    void aFilterChangesEveryNumberAndTheUrlAndSurvivesAReload() {
        open(api, "/?tab=spend&window=7d");
        ready("spend");
        // the choices come from the data in the window
        assertThat(page.locator("#filter-provider option")).hasText(new String[] {"All providers", "elevenlabs", "gemini",
                "openai", "replicate"});
        assertThat(page.locator("#filter-category option")).hasText(new String[] {"All categories", "politics", "sport"});
        assertThat(page.locator("#filter-content_product option")).hasText(new String[] {"All products", "article",
                "newsletter"});

        page.selectOption("#filter-provider", "gemini");
        assertThat(page).hasURL(Pattern.compile("[?&]provider=gemini(&|$)"));
        ready("spend");
        JsonNode s = api.ok("/api/v1/spend?window=7d&provider=gemini");
        assertThat(kpi("total_usd")).hasText(Shown.usd(s.get("total_usd")));
        assertThat(kpi("total_usd")).hasText("$0.00037");
        assertThat(kpi("generations")).hasText("1");
        assertThat(rows("spend-models")).extracting(r -> r.get(0)).containsExactly("gemini/gemini-2.5-flash");
        // other providers stay choosable while one is chosen
        assertThat(page.locator("#filter-provider option")).hasCount(5);
        assertThat(page.locator("#generations-csv")).hasAttribute("href",
                "/api/v1/generations?format=csv&window=7d&provider=gemini");

        // the filter applies to the other tabs too
        page.locator("#tab-performance").click();
        assertThat(page).hasURL(Pattern.compile("tab=performance.*provider=gemini"));
        ready("performance");
        assertThat(rows("performance-models")).extracting(r -> r.get(0)).containsExactly("gemini/gemini-2.5-flash");

        // the URL holds the view: a reload shows the same
        page.reload();
        ready("performance");
        assertThat(page.locator("#filter-provider")).hasValue("gemini");
        assertThat(page.locator("#window")).hasValue("7d");
        assertThat(page.locator("#tab-performance")).hasAttribute("aria-selected", "true");
        assertThat(rows("performance-models")).extracting(r -> r.get(0)).containsExactly("gemini/gemini-2.5-flash");

        // back to all providers
        page.locator("#clear-filters").click();
        assertThat(page).not().hasURL(Pattern.compile("provider="));
        ready("performance");
        assertThat(page.locator("#performance-models tbody tr")).hasCount(
                api.ok("/api/v1/performance?window=7d").get("by_model").size());
    }

    @Test
    void aWindowChangeChangesTheNumbersAndTheUrl() {
        open(api, "/?tab=spend&window=7d");
        ready("spend");
        assertThat(kpi("total_usd")).hasText("$0.863");
        String sevenDays = page.locator("#window-info").innerText();

        page.selectOption("#window", "30d");
        assertThat(page).hasURL(Pattern.compile("[?&]window=30d(&|$)"));
        ready("spend");
        JsonNode s = api.ok("/api/v1/spend?window=30d");
        assertThat(kpi("total_usd")).hasText(Shown.usd(s.get("total_usd")));
        assertThat(kpi("total_usd")).hasText("$1.88"); // 0.86317 + R10 0.0125 + R11 1.00
        assertThat(kpi("generations")).hasText("12");
        assertThat(page.locator("#window-info")).not().hasText(sevenDays);
        assertThat(page.locator("#window-info")).hasText("Oct 21, 2026 12:34 UTC → Nov 20, 2026 12:34 UTC");
        assertThat(doubles(series("daily", 0))).hasSize(31);

        page.goBack();
        assertThat(page).hasURL(Pattern.compile("[?&]window=7d(&|$)"));
        ready("spend");
        assertThat(kpi("total_usd")).hasText("$0.863");
    }

    @Test
    void performanceShowsLatencyPerTaskAndThroughputPerModel() {
        JsonNode p = api.ok("/api/v1/performance?window=7d");
        open(api, "/?tab=performance&window=7d");
        ready("performance");

        List<List<String>> tasks = new ArrayList<>();
        for (JsonNode t : p.get("by_task")) {
            tasks.add(List.of(t.get("task").isNull() ? "(no task)" : t.get("task").asText(),
                    Shown.count(t.get("generations")), Shown.ms(t.get("avg_latency_ms")), Shown.ms(t.get("p95_latency_ms")),
                    Shown.ms(t.get("avg_ttfb_ms")), Shown.percent(t.get("error_rate"))));
        }
        assertThat(rows("performance-tasks")).isEqualTo(tasks);
        List<List<String>> models = new ArrayList<>();
        for (JsonNode m : p.get("by_model")) {
            models.add(List.of(model(m), Shown.count(m.get("generations")), Shown.ms(m.get("avg_latency_ms")),
                    Shown.ms(m.get("p95_latency_ms")), Shown.decimal(m.get("output_tokens_per_second"), 1),
                    Shown.decimal(m.get("output_tokens_per_usd"), 0), Shown.usd(m.get("input_cost_usd")),
                    Shown.usd(m.get("output_cost_usd")), Shown.percent(m.get("error_rate"))));
        }
        assertThat(rows("performance-models")).isEqualTo(models);
        // image_brief is R3 alone: 10,000 ms average and P95
        assertThat(page.locator("#performance-tasks tr[data-task=image_brief] td").nth(1)).hasText("10,000 ms");

        // the charts: average and P95 per task, input and output cost per model
        assertThat(doubles(series("latency-by-task", 0))).isEqualTo(numbers(p.get("by_task"), "avg_latency_ms"));
        assertThat(doubles(series("latency-by-task", 1))).isEqualTo(numbers(p.get("by_task"), "p95_latency_ms"));
        assertThat(doubles(series("input-output-cost", 0))).isEqualTo(numbers(p.get("by_model"), "input_cost_usd"));
        assertThat(doubles(series("input-output-cost", 1))).isEqualTo(numbers(p.get("by_model"), "output_cost_usd"));
        assertThat(page.locator("[data-card=tokens-per-second] canvas")).hasCount(1);
        assertThat(page.locator("[data-card=tokens-per-usd] canvas")).hasCount(1);
        screenshot("performance");
    }

    @Test
    void contentListsArticlesSortablyAndAnArticleOpensItsLineageInOrder() {
        JsonNode c = api.ok("/api/v1/content?window=7d&limit=200");
        open(api, "/?tab=content&window=7d");
        ready("content");

        assertThat(kpi("total_content_usd")).hasText(Shown.usd(c.get("total_content_usd")));
        assertThat(kpi("articles")).hasText(Shown.count(c.get("articles")));
        assertThat(kpi("avg_cost_per_article_usd")).hasText(Shown.usd(c.get("avg_cost_per_article_usd")));
        assertThat(kpi("avg_tokens_per_article")).hasText(Shown.decimal(c.get("avg_tokens_per_article"), 1));
        // A1 0.0627 + A2 0.30037 over 2 articles; tokens A1 1500 + 3000 + 50, A2 500 + 0 + 0
        assertThat(kpi("total_content_usd")).hasText("$0.363");
        assertThat(kpi("articles")).hasText("2");
        assertThat(kpi("avg_cost_per_article_usd")).hasText("$0.182");
        assertThat(kpi("avg_tokens_per_article")).hasText("2,525");
        assertThat(doubles(series("by-category", 0))).isEqualTo(numbers(c.get("by_category"), "total_usd"));
        assertThat(doubles(series("by-content-product", 0))).isEqualTo(numbers(c.get("by_content_product"), "total_usd"));

        List<List<String>> articles = new ArrayList<>();
        for (JsonNode a : c.get("top_articles")) {
            articles.add(List.of(a.get("title").asText(), a.get("category").isNull() ? "(none)" : a.get("category").asText(),
                    a.get("content_product").isNull() ? "(none)" : a.get("content_product").asText(),
                    Shown.usd(a.get("total_usd")), Shown.count(a.get("tokens")), Shown.count(a.get("generations"))));
        }
        assertThat(rows("content-articles")).isEqualTo(articles);
        assertThat(rows("content-articles")).extracting(r -> r.get(0))
                .containsExactly("Sport weekly newsletter", "Election night: the results");
        screenshot("content");

        // sort: by cost ascending, then by title
        page.locator("#content-articles button[data-sort=total_usd]").click();
        assertThat(page).hasURL(Pattern.compile("[?&]sort=total_usd(&|$)"));
        assertThat(page.locator("#content-articles th[aria-sort=ascending]")).hasText("Cost ▲");
        assertThat(rows("content-articles")).extracting(r -> r.get(0))
                .containsExactly("Election night: the results", "Sport weekly newsletter");
        assertThat(page.locator("#content-articles button[data-sort=total_usd]")).isFocused();
        page.locator("#content-articles button[data-sort=tokens]").click();
        assertThat(rows("content-articles")).extracting(r -> r.get(4)).containsExactly("4,550", "500");

        // an article opens its lineage: every generation in time order, each with its parent
        page.locator("a[data-article=A1]").click();
        assertThat(page).hasURL(Pattern.compile("[?&]article=A1(&|$)"));
        assertLineageOfA1();
        screenshot("lineage");

        // the lineage is part of the shared view
        page.reload();
        assertLineageOfA1();
        page.keyboard().press("Escape");
        assertThat(page.locator("#lineage-dialog")).not().isVisible();
        assertThat(page).not().hasURL(Pattern.compile("article="));
    }

    private void assertLineageOfA1() {
        JsonNode a = api.ok("/api/v1/articles/A1");
        JsonNode gens = a.get("generations");
        assertThat(gens).hasSize(3); // R1 → R2 → R3; R9 (a poll) is not a generation
        Locator dialog = page.locator("#lineage-dialog");
        assertThat(dialog).isVisible();
        assertThat(dialog).hasAttribute("data-state", "ready");
        assertThat(dialog.locator("h2")).hasText("Lineage: Election night: the results");
        // the chain ends at the published piece
        assertThat(dialog.locator("[data-published=A1]"))
                .hasText("Published 2026-11-19 14:00:00 UTC at https://news.example/election-results");
        assertThat(dialog.locator("[data-kpi=lineage_total_usd] .kpi-value")).hasText(Shown.usd(a.get("total_usd")));
        assertThat(dialog.locator("[data-kpi=lineage_tokens] .kpi-value")).hasText(Shown.count(a.get("tokens")));
        List<List<String>> expected = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (JsonNode g : gens) {
            ids.add(g.get("id").asText());
        }
        for (int i = 0; i < gens.size(); i++) {
            JsonNode g = gens.get(i);
            String parent = g.get("parent_id").isNull() ? "source"
                    : "#" + (ids.indexOf(g.get("parent_id").asText()) + 1) + " "
                            + gens.get(ids.indexOf(g.get("parent_id").asText())).get("task").asText();
            expected.add(List.of("#" + (i + 1), Shown.instant(g.get("started_at").asText()),
                    (i == 0 ? "" : "↳ ") + g.get("task").asText(), model(g), Shown.usd(g.get("cost_usd")),
                    Shown.ms(g.get("latency_ms")), parent, g.get("status").asText()));
        }
        assertThat(rows("lineage-table")).isEqualTo(expected);
        assertThat(rows("lineage-table")).containsExactly(
                List.of("#1", "2026-11-19 10:00:00 UTC", "article_rewrite", "openai/gpt-4o", "$0.0075", "2,000 ms",
                        "source", "200"),
                List.of("#2", "2026-11-19 11:00:00 UTC", "↳ article_rewrite", "openai/gpt-4o", "$0.015", "3,000 ms",
                        "#1 article_rewrite", "200"),
                List.of("#3", "2026-11-19 12:00:00 UTC", "↳ image_brief", "openai/gpt-image-1", "$0.0402", "10,000 ms",
                        "#2 article_rewrite", "200"));
    }

    @Test
    void csvExportsHoldTheDataOnScreenAndLinkTheApisGenerations() throws IOException {
        JsonNode s = api.ok("/api/v1/spend?window=7d");
        open(api, "/?tab=spend&window=7d");
        ready("spend");

        String models = downloaded(() -> page.locator("[data-card=models] .csv-button").click());
        List<String> lines = models.lines().toList();
        assertThat(lines.get(0)).isEqualTo("provider,model,total_usd,generations,unpriced_generations,input_tokens,output_tokens");
        List<String> expected = new ArrayList<>();
        for (JsonNode m : s.get("by_model")) {
            expected.add(String.join(",", m.get("provider").asText(), m.get("model").asText(), Shown.plain(m.get("total_usd")),
                    m.get("generations").asText(), m.get("unpriced_generations").asText(), m.get("input_tokens").asText(),
                    m.get("output_tokens").asText()));
        }
        assertThat(lines.subList(1, lines.size())).isEqualTo(expected);
        assertThat(lines).contains("gemini,gemini-2.5-flash,0.00037,1,0,400,100"); // exact, as the API sent it

        String daily = downloaded(() -> page.locator("[data-card=daily] .csv-button").click());
        assertThat(daily.lines().toList()).hasSize(1 + s.get("daily").size())
                .contains("2026-11-18,0.30037,0.00037,0.3,2,0,0.150185");

        // the generations behind the view, from the API with the same window and filters
        page.selectOption("#filter-provider", "gemini");
        ready("spend");
        String generations = downloaded(() -> page.locator("#generations-csv").click());
        List<String> csv = generations.lines().toList();
        assertThat(csv).hasSize(2); // header + R4
        assertThat(csv.get(1)).startsWith(HandLedger.R4.id().toString());
    }

    @Test
    void theTokenIsAskedForOnceAndKeptForTheTabsSession() {
        JsonNode s = guarded.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                guarded.url("/api/v1/spend?window=7d"))).header("Authorization", "Bearer " + TOKEN)).json();
        open(guarded, "/?tab=spend&window=7d");
        Locator dialog = page.locator("#token-dialog");
        assertThat(dialog).isVisible();
        assertThat(page.locator("#token-input")).isFocused();
        screenshot("token-prompt");

        // cancelled: the view says why it is empty and offers the prompt again
        page.locator("#token-cancel").click();
        assertThat(dialog).not().isVisible();
        Locator error = page.locator("#panel-spend .error-box");
        assertThat(error.locator(".error-message")).containsText("needs its API token (GENLEDGER_API_TOKEN)");
        error.locator("button").click();
        assertThat(dialog).isVisible();

        page.locator("#token-input").fill("not-the-token");
        page.locator("#token-dialog button[value=ok]").click();
        assertThat(dialog).isVisible();
        assertThat(page.locator("#token-error")).containsText("That token was not accepted");
        assertThat(page.locator("#token-error")).containsText("not the gateway's GENLEDGER_API_TOKEN");

        page.locator("#token-input").fill(TOKEN);
        page.keyboard().press("Enter");
        assertThat(dialog).not().isVisible();
        ready("spend");
        assertThat(kpi("total_usd")).hasText(Shown.usd(s.get("total_usd")));
        assertThat(page.evaluate("sessionStorage.getItem('genledger.apiToken')")).isEqualTo(TOKEN);

        // other tabs, a reload and the CSV export go on with the same token, without asking again
        page.locator("#tab-content").click();
        ready("content");
        page.reload();
        ready("content");
        assertThat(dialog).not().isVisible();
        String csv;
        try {
            csv = downloaded(() -> page.locator("#generations-csv").click());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        assertThat(csv.lines().count()).isEqualTo(1 + s.get("generations").asLong());

        // a new tab (a new session) asks again
        Page other = context.browser().newContext().newPage();
        other.navigate(guarded.url("/?tab=spend&window=7d"));
        assertThat(other.locator("#token-dialog")).isVisible();
        other.context().close();
    }

    @Test
    void apiErrorsAreShownInWords() {
        String message = api.get("/api/v1/spend?window=fortnight").json().get("error").get("message").asText();
        open(api, "/?tab=spend&window=fortnight");
        Locator error = page.locator("#panel-spend .error-box");
        assertThat(error).isVisible();
        assertThat(error.locator(".error-message")).hasText(message);
        assertThat(error.locator(".error-message")).containsText("window: 'fortnight' (expected: 7d, 30d, 90d, all or mtd");
        assertThat(error.locator(".error-detail")).hasText("HTTP 400 · invalid_parameter");
        screenshot("error");

        // the API out of reach
        page.route("**/api/v1/**", Route::abort);
        page.navigate(api.url("/?tab=performance&window=7d"));
        Locator unreachable = page.locator("#panel-performance .error-box .error-message");
        assertThat(unreachable).containsText("The API is unreachable");
        page.unroute("**/api/v1/**");
        page.locator("#panel-performance .error-box button").click();
        ready("performance");
    }

    @Test
    void emptyAndLoadingStatesAreShown() {
        List<Route> held = new ArrayList<>();
        page.route("**/api/v1/performance?*", held::add);
        open(api, "/?tab=performance&window=7d");
        page.waitForCondition(() -> !held.isEmpty());
        assertThat(page.locator("#panel-performance")).hasAttribute("aria-busy", "true");
        assertThat(page.locator("#status")).hasText("Loading performance for the last 7 days…");
        held.forEach(Route::resume);
        ready("performance");
        assertThat(page.locator("#status")).hasText("");

        page.navigate(api.url("/?tab=spend&window=7d&provider=nobody"));
        ready("spend");
        assertThat(kpi("total_usd")).hasText("$0.00");
        assertThat(kpi("cost_per_generation_usd")).hasText("—");
        assertThat(page.locator("[data-card=daily] .empty")).hasText("No generations in this window and filters.");
        assertThat(page.locator("#filter-provider")).hasValue("nobody");
        assertThat(page.locator("#filter-provider option:checked")).hasText("nobody (no data in this window)");
        page.locator("#tab-content").click();
        ready("content");
        assertThat(page.locator("[data-card=articles] .empty")).containsText("No generations with an article");
        screenshot("empty");
    }

    @Test
    void tabsWorkFromTheKeyboard() {
        open(api, "/?tab=spend&window=7d");
        ready("spend");
        page.locator("#tab-spend").focus();
        page.keyboard().press("ArrowRight");
        assertThat(page.locator("#tab-performance")).isFocused();
        assertThat(page.locator("#tab-performance")).hasAttribute("aria-selected", "true");
        assertThat(page).hasURL(Pattern.compile("tab=performance"));
        ready("performance");
        assertThat(page.locator("#panel-spend")).isHidden();
        page.keyboard().press("ArrowLeft");
        page.keyboard().press("ArrowLeft");
        assertThat(page.locator("#tab-content")).isFocused();
        ready("content");
        // an article opens from the keyboard too
        page.locator("a[data-article=A1]").focus();
        page.keyboard().press("Enter");
        assertThat(page.locator("#lineage-dialog")).hasAttribute("data-state", "ready");
        assertThat(page.locator("#lineage-close")).isFocused();
        page.keyboard().press("Enter");
        assertThat(page.locator("#lineage-dialog")).isHidden();
    }

    @Test
    void withoutEchartsTheTablesStillShowTheNumbers() {
        page.route("**/vendor/echarts/**", Route::abort);
        JsonNode s = api.ok("/api/v1/spend?window=7d");
        open(api, "/?tab=spend&window=7d");
        ready("spend");
        assertThat(page.locator("[data-card=daily] .chart-missing")).containsText("Charts are unavailable");
        assertThat(kpi("total_usd")).hasText(Shown.usd(s.get("total_usd")));
        assertThat(page.locator("#spend-models tbody tr")).hasCount(s.get("by_model").size());
    }

    @Test
    void theBrowserFormatsNumbersAsTheRulesSay() {
        open(api, "/?tab=spend&window=7d");
        ready("spend");
        List<String> amounts = List.of("0", "0.3", "0.00037", "0.10789625", "0.0025", "0.00125", "0.9996", "1",
                "1.005", "1234.5", "1234567.891", "0.0000000001234", "12.3456789");
        @SuppressWarnings("unchecked")
        List<String> shown = (List<String>) page.evaluate(
                "async (xs) => { const f = await import('/assets/js/format.js'); return xs.map(x => f.usd(x)); }", amounts);
        for (int i = 0; i < amounts.size(); i++) {
            assertThat(shown.get(i)).as("usd(%s)", amounts.get(i)).isEqualTo(Shown.usd(amounts.get(i)));
        }
        assertThat(shown).containsExactly("$0.00", "$0.30", "$0.00037", "$0.108", "$0.0025", "$0.00125", "$1.00", "$1.00",
                "$1.01", "$1,234.50", "$1,234,567.89", "$0.0000000001", "$12.35");
        @SuppressWarnings("unchecked")
        List<String> others = (List<String>) page.evaluate("async () => { const f = await import('/assets/js/format.js');"
                + " return [f.count(8850), f.percent('0.187567'), f.percent('0.0625'), f.ms(1234.5), f.decimal('1683.333', 1),"
                + " f.tokensPerSecond(52.25), f.usd(null)]; }");
        assertThat(others).containsExactly("8,850", "18.8%", "6.3%", "1,235 ms", "1,683.3", "52.3 tok/s", "—");
    }
}
