package io.eventfn.benchmarks;

/**
 * What one variant did with the whole input.
 *
 * @param round                    which round of the run this was (1 when the run has one)
 * @param outputs                  committed records on its output topic after the throughput run
 * @param consumedAll              the group committed every input offset within the timeout
 * @param recordsPerSecond         outputs ÷ (LogAppendTime of the last output − that of the first)
 * @param cpuSecondsProcessing     utime + stime of the process from its first output to the commit of the last input
 * @param cpuSecondsTotal          utime + stime from the JVM's start to the commit of the last input
 * @param peakRssBytes             VmHWM of the process, sampled when the last input was committed
 * @param secondsToFirstOutput     from the process start to the first output being visible
 * @param loadAverageBefore        the machine's 1-minute load average when the variant started
 * @param latency                  null when not measured for this variant
 */
record VariantResult(
        Variant variant,
        int round,
        long outputs,
        boolean consumedAll,
        double recordsPerSecond,
        double cpuSecondsProcessing,
        double cpuSecondsTotal,
        long peakRssBytes,
        double secondsToFirstOutput,
        double loadAverageBefore,
        LatencyPhase.Latency latency) {

    double peakRssMegabytes() {
        return peakRssBytes / (1024.0 * 1024.0);
    }
}
