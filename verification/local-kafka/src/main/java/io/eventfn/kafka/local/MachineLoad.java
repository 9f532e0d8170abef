package io.eventfn.kafka.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * What the machine a measurement ran on was and how busy it was, read from Linux's {@code /proc}: results files write
 * it beside their numbers, since the machine is shared.
 */
public final class MachineLoad {

    private MachineLoad() {
    }

    /** The one-minute load average (the first number of {@code /proc/loadavg}), others' processes included; NaN where unreadable. */
    public static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /** The CPU's model name from {@code /proc/cpuinfo}. */
    public static Optional<String> cpuModel() {
        return procField("/proc/cpuinfo", "model name");
    }

    /** MemTotal from {@code /proc/meminfo}, as written there (e.g. {@code 8123456 kB}). */
    public static Optional<String> memoryTotal() {
        return procField("/proc/meminfo", "MemTotal");
    }

    private static Optional<String> procField(String file, String field) {
        try (Stream<String> lines = Files.lines(Path.of(file))) {
            return lines.filter(l -> l.startsWith(field)).findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim());
        } catch (IOException | UncheckedIOException e) {
            return Optional.empty();
        }
    }
}
