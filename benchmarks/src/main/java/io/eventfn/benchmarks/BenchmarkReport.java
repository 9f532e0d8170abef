package io.eventfn.benchmarks;

import java.time.Instant;
import java.util.List;

/** Everything one run measured, with the options it ran with. */
public record BenchmarkReport(BenchmarkOptions options, Instant started, InputLoader.Loaded input,
        List<VariantResult> results) {

    VariantResult baseline() {
        return results.stream().filter(r -> r.variant() == Variant.BASELINE).findFirst().orElse(null);
    }

    public VariantResult result(Variant variant) {
        return results.stream().filter(r -> r.variant() == variant).findFirst().orElse(null);
    }
}
