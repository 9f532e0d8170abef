package io.eventfn.faults;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The numbers of the suite, one row per scenario, kept in {@code verification/fault-tests/RESULTS.md}: the short suite and the
 * soak each have a section, and a run replaces the rows of the scenarios it ran (a run of a few scenarios keeps the
 * others' latest rows, each with its own date).
 */
final class ResultsTable {

    private static final String HEADER = "| date | scenario | guarantee | faults | produced | valid | outputs | lost"
            + " | duplicates | dead-lettered | time to drain | notes | verdict |";
    private static final String ALIGNMENT = "|---|---|---|---|--:|--:|--:|--:|--:|--:|--:|---|---|";

    /** One scenario's outcome. {@code verdict} is "pass" or what failed. */
    record Row(String scenario, String guarantee, String faults, OutputLedger.Tally tally, FaultRun.Drain drain,
            String notes, String verdict) {
    }

    private final List<Row> rows = new ArrayList<>();
    private final ZonedDateTime started = ZonedDateTime.now();
    private final boolean soak;
    private final String groupSetup;

    /** @param groupSetup how the instances take part in their group (protocol, session timeout, heartbeat) */
    ResultsTable(boolean soak, String groupSetup) {
        this.soak = soak;
        this.groupSetup = groupSetup;
    }

    synchronized void add(Row row) {
        rows.add(row);
    }

    /** Whether this run already has a row for the scenario in this guarantee. */
    synchronized boolean has(String scenario, String guarantee) {
        return rows.stream().anyMatch(row -> key(row.scenario(), row.guarantee()).equals(key(scenario, guarantee)));
    }

    /** Replaces this run's rows in its section of {@code file}, creating the file if needed. */
    synchronized void writeTo(Path file, Duration took) {
        if (rows.isEmpty()) {
            return;
        }
        String section = soak ? "soak" : "short";
        String begin = "<!-- " + section + ":begin -->";
        String end = "<!-- " + section + ":end -->";
        try {
            String text = Files.isRegularFile(file) ? Files.readString(file, StandardCharsets.UTF_8) : template();
            if (text.indexOf(begin) < 0 || text.indexOf(end) < text.indexOf(begin)) {
                text = template();
            }
            int from = text.indexOf(begin) + begin.length();
            int to = text.indexOf(end);
            // Keyed by scenario and guarantee; the table lists them in scenario order (by number: 2 before 10).
            Map<String, String> byScenario = new TreeMap<>(BY_SCENARIO_NUMBER);
            text.substring(from, to).lines()
                    .filter(line -> line.startsWith("| 20"))
                    .forEach(line -> byScenario.put(key(line.split("\\|")[2], line.split("\\|")[3]), line));
            String date = started.format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm z", Locale.ROOT));
            for (Row row : rows) {
                byScenario.put(key(row.scenario(), row.guarantee()), line(date, row));
            }
            String table = "\nLatest run " + date + " (" + Runtime.getRuntime().availableProcessors() + " cores, Java "
                    + Runtime.version().feature() + ", " + rows.size() + " scenario runs, " + seconds(took) + "; "
                    + groupSetup + ").\n\n"
                    + HEADER + "\n" + ALIGNMENT + "\n" + String.join("\n", byScenario.values()) + "\n";
            Files.writeString(file, text.substring(0, from) + table + text.substring(to), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + file, e);
        }
    }

    /** "10. x" after "9. y": the leading number first, then the text. */
    private static final Comparator<String> BY_SCENARIO_NUMBER = Comparator
            .comparingInt((String key) -> {
                int dot = key.indexOf('.');
                try {
                    return dot > 0 ? Integer.parseInt(key.substring(0, dot)) : Integer.MAX_VALUE;
                } catch (NumberFormatException e) {
                    return Integer.MAX_VALUE;
                }
            })
            .thenComparing(Comparator.naturalOrder());

    private static String key(String scenario, String guarantee) {
        return scenario.strip() + " " + guarantee.strip();
    }

    private static String line(String date, Row row) {
        OutputLedger.Tally t = row.tally();
        return String.join(" | ", "| " + date, row.scenario(), row.guarantee(), row.faults(), count(t.produced()),
                count(t.valid()), count(t.outputs()), count(t.lost()), count(t.duplicates()),
                count(t.deadLettered()),
                row.drain().drained() ? seconds(row.drain().timeToDrain())
                        : row.drain().lastLag() == null ? "not reached"
                                : "not drained (lag " + row.drain().lastLag() + ")",
                row.notes(), row.verdict().replace("|", "/").replace("\n", " ")) + " |";
    }

    private static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    private static String seconds(Duration duration) {
        return String.format(Locale.ROOT, "%.1f s", duration.toMillis() / 1000.0);
    }

    private static String template() {
        return """
                # Fault-injection results

                Written by `fault-tests` (`FaultInjectionIT`) at the end of each run; a run replaces the rows of the
                scenarios it ran in its own section. The packaged app runs as real processes against a real local
                broker; faults are real signals (SIGKILL, SIGTERM) and a real broker stop, injected while the input is
                still being produced. The instances use the app's default consumer group protocol (KIP-848) unless
                a run's line says otherwise; its session timeout (how long a killed instance keeps its partitions) and
                heartbeat interval are then the broker's, set to 6 s and 1 s (Kafka's defaults: 45 s and 5 s).

                - **produced**: input records written (valid orders, poison records, and records of aborted input
                  transactions); **valid**: valid orders outside aborted transactions, each of which must come out.
                - **outputs**: distinct valid orderIds on the output topic, read with `isolation.level=read_committed`;
                  **lost**: valid orders never output; **duplicates**: output records beyond the first per orderId.
                - **dead-lettered**: distinct poison records on the dead-letter topic (each checked: reason class, source
                  coordinates, key and value byte for byte).
                - **time to drain**: from the first record produced to the group's lag reaching 0 (committed offset ==
                  log-end offset on every input partition).

                ## Short suite (every `./mvnw -B verify`)

                <!-- short:begin -->
                <!-- short:end -->

                ## Soak (`-Dfault.soak=true` or `-Pfault-soak`; see README.md)

                <!-- soak:begin -->
                <!-- soak:end -->
                """;
    }
}
