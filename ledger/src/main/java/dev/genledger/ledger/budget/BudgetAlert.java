package dev.genledger.ledger.budget;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.genledger.ledger.LedgerJson;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;

/**
 * One threshold of the monthly budget crossed: what is logged and posted to the webhook.
 *
 * @param thresholdPercent the threshold crossed, e.g. 80
 * @param snapshot         the spend that crossed it
 */
public record BudgetAlert(BigDecimal thresholdPercent, BudgetSnapshot snapshot) {

    /**
     * The webhook body: {@code {"event":"budget_threshold_reached","month":"2026-11",
     * "threshold_percent":80,"monthly_usd":…,"month_to_date_usd":…,"utilization":…,
     * "projected_month_usd":…,"hard_cap_reached":false,"at":"…"}}.
     */
    public String toJson() {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator g = LedgerJson.FACTORY.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("event", "budget_threshold_reached");
            g.writeStringField("month", snapshot.month().toString());
            g.writeNumberField("threshold_percent", thresholdPercent);
            g.writeNumberField("monthly_usd", snapshot.monthlyUsd());
            g.writeNumberField("month_to_date_usd", snapshot.monthToDateUsd());
            g.writeNumberField("utilization", snapshot.utilization());
            if (snapshot.projectedMonthUsd() == null) {
                g.writeNullField("projected_month_usd");
            } else {
                g.writeNumberField("projected_month_usd", snapshot.projectedMonthUsd());
            }
            g.writeBooleanField("hard_cap_reached", snapshot.hardCapReached());
            g.writeStringField("at", snapshot.readAt().toString());
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
