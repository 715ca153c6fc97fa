package dev.genledger.pricing;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.LocalDate;

/**
 * Prices one usage with one catalog entry, exactly: per-1M rates move the decimal point, and the
 * few divisions that may not terminate (per minute, per hour, a tier over a long-context rate)
 * keep 34 significant digits. Nothing is rounded to cents.
 *
 * <p>Input cost: plain input tokens (input − cached − audio − image), cached, audio and image
 * input tokens, each at its rate. Output cost: plain output tokens (output − audio − image, so
 * reasoning tokens are billed as output), audio and image output tokens. Other cost: images,
 * characters, ElevenLabs credits, media seconds (per second, minute, hour or Replicate hardware
 * second).
 */
final class CostCalculator {
    private static final MathContext EXACT_ENOUGH = MathContext.DECIMAL128;
    private static final BigDecimal SIXTY = BigDecimal.valueOf(60);
    private static final BigDecimal HOUR = BigDecimal.valueOf(3600);

    private final HardwareTable hardware;
    private final BigDecimal elevenLabsUsdPerCredit;

    CostCalculator(HardwareTable hardware, BigDecimal elevenLabsUsdPerCredit) {
        this.hardware = hardware;
        this.elevenLabsUsdPerCredit = elevenLabsUsdPerCredit;
    }

    /** The cost, or null when no rate of the entry applies to anything the usage counted. */
    Cost price(CatalogEntry e, Usage u, LocalDate day) {
        Tally t = new Tally();
        boolean longContext = e.rate(RateNames.LONG_CONTEXT_THRESHOLD) != null
                && BigDecimal.valueOf(u.inputTokens()).compareTo(e.rate(RateNames.LONG_CONTEXT_THRESHOLD)) > 0;
        String tier = RateNames.word(u.attribute("service_tier"));
        BigDecimal input = BigDecimal.ZERO;
        BigDecimal output = BigDecimal.ZERO;
        for (TokenKind kind : TokenKind.values()) {
            long n = kind.count(u);
            if (n == 0) {
                continue;
            }
            BigDecimal rate = tokenRate(e, kind, longContext, tier);
            if (rate == null) {
                continue;
            }
            BigDecimal cost = rate.multiply(BigDecimal.valueOf(n)).movePointLeft(6);
            t.applied = true;
            if (kind.isInput()) {
                input = input.add(cost);
            } else {
                output = output.add(cost);
            }
        }
        BigDecimal other = images(e, u, t).add(unitsAndTime(e, u, day, t));
        if (!t.applied) {
            return null;
        }
        return cost(input, output, other, e.priceRef());
    }

    private static final class Tally {
        boolean applied;
    }

    /**
     * The rate of a kind of token: the long-context rate when the request is over the threshold;
     * a service tier's rate when the tier sets one (over a long-context request, scaled by the
     * same factor as the long-context rate over the standard one); a special kind without a rate
     * falls back to its plain kind.
     */
    static BigDecimal tokenRate(CatalogEntry e, TokenKind kind, boolean longContext, String tier) {
        BigDecimal standard = e.rate(kind.rate());
        BigDecimal longRate = longContext ? e.rate(RateNames.LONG_CONTEXT + kind.rate()) : null;
        BigDecimal tierRate = tier == null ? null : e.rate(RateNames.SERVICE_TIER + tier + "." + kind.rate());
        BigDecimal rate;
        if (tierRate != null) {
            rate = longRate != null && standard != null && standard.signum() != 0
                    ? tierRate.multiply(longRate).divide(standard, EXACT_ENOUGH)
                    : tierRate;
        } else {
            rate = longRate != null ? longRate : standard;
        }
        if (rate == null && kind.fallback() != null) {
            return tokenRate(e, kind.fallback(), longContext, tier);
        }
        return rate;
    }

    private static BigDecimal images(CatalogEntry e, Usage u, Tally t) {
        if (u.images() == 0) {
            return BigDecimal.ZERO;
        }
        BigDecimal rate = perImage(e, attribute(e, u, "size", true), attribute(e, u, "quality", false));
        if (rate == null) {
            return BigDecimal.ZERO;
        }
        t.applied = true;
        return rate.multiply(BigDecimal.valueOf(u.images()));
    }

    /** per_image.&lt;quality&gt;.&lt;size&gt;, then per_image.&lt;size&gt;, per_image.&lt;quality&gt;, per_image. */
    static BigDecimal perImage(CatalogEntry e, String size, String quality) {
        String p = RateNames.PER_IMAGE + ".";
        BigDecimal rate = null;
        if (quality != null && size != null) {
            rate = e.rate(p + quality + "." + size);
        }
        if (rate == null && size != null) {
            rate = e.rate(p + size);
        }
        if (rate == null && quality != null) {
            rate = e.rate(p + quality);
        }
        return rate != null ? rate : e.rate(RateNames.PER_IMAGE);
    }

    private BigDecimal unitsAndTime(CatalogEntry e, Usage u, LocalDate day, Tally t) {
        if (e.provider().equals("elevenlabs") && u.credits() != null) {
            // credits are what ElevenLabs bills; characters and seconds are only the fallback
            t.applied = true;
            return u.credits().multiply(elevenLabsUsdPerCredit);
        }
        BigDecimal cost = BigDecimal.ZERO;
        BigDecimal perChar = e.rate(RateNames.PER_1M_CHARACTERS);
        if (perChar != null && u.characters() > 0) {
            t.applied = true;
            cost = cost.add(perChar.multiply(BigDecimal.valueOf(u.characters())).movePointLeft(6));
        }
        BigDecimal seconds = u.mediaSeconds();
        if (seconds.signum() == 0) {
            return cost;
        }
        BigDecimal timeCost = timeCost(e, u, day, seconds);
        if (timeCost != null) {
            t.applied = true;
            cost = cost.add(timeCost);
        }
        return cost;
    }

    private BigDecimal timeCost(CatalogEntry e, Usage u, LocalDate day, BigDecimal seconds) {
        String resolution = attribute(e, u, "resolution", false);
        BigDecimal perSecond = resolution == null ? null : e.rate(RateNames.PER_SECOND + "." + resolution);
        if (perSecond == null) {
            perSecond = e.rate(RateNames.PER_SECOND);
        }
        if (perSecond != null) {
            return seconds.multiply(perSecond);
        }
        if (e.rate(RateNames.PER_MINUTE) != null) {
            return seconds.multiply(e.rate(RateNames.PER_MINUTE)).divide(SIXTY, EXACT_ENOUGH);
        }
        if (e.rate(RateNames.PER_HOUR) != null) {
            return seconds.multiply(e.rate(RateNames.PER_HOUR)).divide(HOUR, EXACT_ENOUGH);
        }
        if (e.hardware() != null) {
            String sku = u.attribute("hardware") != null ? u.attribute("hardware") : e.hardware();
            HardwarePrice hw = hardware.at(sku, day);
            return hw == null ? null : seconds.multiply(hw.perSecond());
        }
        return null;
    }

    /** The usage's attribute, normalised, or the entry's default for it. */
    private static String attribute(CatalogEntry e, Usage u, String name, boolean isSize) {
        String v = u.attribute(name);
        if (v == null || v.isBlank()) {
            v = e.defaults().get(name);
        }
        return isSize ? RateNames.size(v) : RateNames.word(v);
    }

    private static Cost cost(BigDecimal input, BigDecimal output, BigDecimal other, String priceRef) {
        BigDecimal in = strip(input);
        BigDecimal out = strip(output);
        BigDecimal oth = strip(other);
        return new Cost(strip(in.add(out).add(oth)), in, out, oth, true, priceRef);
    }

    private static BigDecimal strip(BigDecimal d) {
        return CatalogEntry.plain(d);
    }
}
