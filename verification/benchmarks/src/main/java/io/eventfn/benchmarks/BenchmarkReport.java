package io.eventfn.benchmarks;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;

/** Everything one run measured (every round of every variant), with the options it ran with. */
public record BenchmarkReport(BenchmarkOptions options, Instant started, InputLoader.Loaded input,
        List<VariantResult> results) {

    /** The variant's round with the median records/s (the lower middle one for an even count); null if not run. */
    public VariantResult result(Variant variant) {
        List<VariantResult> rounds = rounds(variant);
        return rounds.isEmpty() ? null : rounds.get((rounds.size() - 1) / 2);
    }

    /** The variant's rounds, slowest first. */
    List<VariantResult> rounds(Variant variant) {
        return results.stream().filter(r -> r.variant() == variant)
                .sorted(Comparator.comparingDouble(VariantResult::recordsPerSecond)).toList();
    }

    /** The variants measured, in the order of the options. */
    List<Variant> variants() {
        return options.variants().stream().filter(variant -> result(variant) != null).toList();
    }

    /** The round of the variant that measured its latency; null when none did. */
    LatencyPhase.Latency latency(Variant variant) {
        return results.stream().filter(r -> r.variant() == variant && r.latency() != null)
                .map(VariantResult::latency).findFirst().orElse(null);
    }
}
