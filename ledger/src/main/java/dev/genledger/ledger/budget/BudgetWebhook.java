package dev.genledger.ledger.budget;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Posts budget alerts as JSON, asynchronously and with a timeout. A failed post is logged and not
 * retried: the alert itself was already logged, and the threshold stays claimed for the month.
 * Webhook URLs often carry a secret in their path (Slack, Teams), so only the host is ever logged.
 */
final class BudgetWebhook implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(BudgetWebhook.class);

    private final URI url;
    private final Duration timeout;
    private final HttpClient client;

    BudgetWebhook(URI url, Duration timeout) {
        this.url = url;
        this.timeout = timeout;
        this.client = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    /** Sends the alert; the future completes (never exceptionally) once the post succeeded or failed. */
    CompletableFuture<Void> post(BudgetAlert alert) {
        HttpRequest request = HttpRequest.newBuilder(url)
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(alert.toJson(), StandardCharsets.UTF_8))
                .build();
        return client.sendAsync(request, HttpResponse.BodyHandlers.discarding())
                .handle((response, error) -> {
                    if (error != null) {
                        log.warn("budget: posting the {}% alert to the webhook at {} failed: {}; the alert is "
                                + "not retried", alert.thresholdPercent().toPlainString(), url.getHost(),
                                error.toString());
                    } else if (response.statusCode() / 100 != 2) {
                        log.warn("budget: the webhook at {} answered {} to the {}% alert (expected: 2xx); the alert "
                                + "is not retried", url.getHost(), response.statusCode(),
                                alert.thresholdPercent().toPlainString());
                    } else {
                        log.info("budget: {}% alert posted to the webhook at {}",
                                alert.thresholdPercent().toPlainString(), url.getHost());
                    }
                    return null;
                });
    }

    @Override
    public void close() {
        client.shutdownNow();
    }
}
